package dev.tinyforge.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.testing.Fixtures;
import dev.tinyforge.tokenizer.HfTokenizerLoader;
import dev.tinyforge.tokenizer.Tokenizer;
import dev.tinyforge.tokenizer.template.ChatTemplate;
import dev.tinyforge.tokenizer.template.ChatTemplateFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Chat prompts built from real tokenizers and templates: one BOS, end-of-turn stop ids, system merge, ChatML fallback. */
class ChatPromptTest {
    private static final List<Map<String, String>> HI = List.of(Map.of("role", "user", "content", "Hi"));
    private static final List<Map<String, String>> SYSTEM_HI = List.of(Map.of("role", "system", "content", "Be brief."),
            Map.of("role", "user", "content", "Hi"));

    private static ChatPrompt forModel(Path dir, Tokenizer tokenizer) throws IOException {
        return ChatPrompt.of(ChatTemplateFiles.fromModel(dir).orElse(null), tokenizer);
    }

    /** llama3's ids for a "Hi" from the user, as HF's apply_chat_template(tokenize=True) gives them. */
    private static final int[] LLAMA3_HI = {128000, 128006, 882, 128007, 271, 13347, 128009, 128006, 78191, 128007, 271};

    @Test
    void llama3TemplateWritesTheOnlyBosWhenTheTokenizerAddsNone() throws IOException {
        Path dir = Fixtures.require("hf-tokenizers/llama3");
        Tokenizer tokenizer = HfTokenizerLoader.load(dir); // this tokenizer.json has no BOS post-processor
        assertFalse(tokenizer.specialTokens().addBos());
        ChatPrompt chat = forModel(dir, tokenizer);
        assertFalse(chat.isFallback());
        assertEquals("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n", chat.render(HI));
        assertArrayEquals(LLAMA3_HI, chat.encode(HI));
        // EOS is <|end_of_text|>; the instruct template ends turns with <|eot_id|>.
        assertEquals(Set.of(128001, 128009), chat.stopIds());
        assertEquals(List.of(), chat.stopStrings());
    }

    @Test
    void doubledBosIsAvoidedWhenTheTokenizerAddsBosToo() throws IOException {
        Path dir = Fixtures.require("hf-tokenizers/llama3");
        String config = "{\"bos_token\": \"<|begin_of_text|>\", \"eos_token\": \"<|end_of_text|>\", \"add_bos_token\": true}";
        Tokenizer tokenizer;
        try (InputStream json = new GZIPInputStream(Files.newInputStream(dir.resolve("tokenizer.json.gz")));
             InputStream cfg = new ByteArrayInputStream(config.getBytes(StandardCharsets.UTF_8))) {
            tokenizer = HfTokenizerLoader.load(json, "tokenizer.json", cfg, "tokenizer_config.json");
        }
        assertTrue(tokenizer.specialTokens().addBos());
        ChatPrompt chat = forModel(dir, tokenizer);
        // llama.cpp's rule: the rendered text loses its leading BOS, the tokenizer puts it back once.
        assertTrue(chat.render(HI).startsWith("<|start_header_id|>user"), chat.render(HI));
        assertArrayEquals(LLAMA3_HI, chat.encode(HI));
        // Rendering without that rule would have started with two.
        String doubled = chat.template().render(HI, true, "<|begin_of_text|>", "<|end_of_text|>", Map.of());
        assertArrayEquals(new int[] {128000, 128000}, Arrays.copyOf(tokenizer.encode(doubled, true, true), 2));
    }

    @Test
    void qwen3HasNoBosAndTwoEndTokens() throws IOException {
        Path dir = Fixtures.require("hf-tokenizers/qwen3");
        Tokenizer tokenizer = HfTokenizerLoader.load(dir);
        ChatPrompt chat = forModel(dir, tokenizer);
        assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
                chat.render(SYSTEM_HI));
        int[] ids = chat.encode(SYSTEM_HI);
        assertEquals(tokenizer.id("<|im_start|>"), ids[0]);
        assertArrayEquals(new int[] {151644, 77091, 198}, Arrays.copyOfRange(ids, ids.length - 3, ids.length)); // <|im_start|>assistant\n
        assertEquals(Set.of(151643, 151645), chat.stopIds()); // <|endoftext|>, <|im_end|>
        // Template variables pass through: Qwen3's switch for thinking.
        assertTrue(chat.withVariables(Map.of("enable_thinking", false)).render(HI).endsWith("<think>\n\n</think>\n\n"));
    }

    @Test
    void systemMessagesMergeIntoTheUserTurnWhenTheTemplateRefusesThem() throws IOException {
        Path gemma2 = Fixtures.require("chat-templates/google-gemma-2-2b-it.jinja");
        Tokenizer tokenizer = HfTokenizerLoader.load(Fixtures.require("hf-tokenizers/gemma3"));
        ChatPrompt chat = ChatPrompt.of(ChatTemplateFiles.load(gemma2), tokenizer);
        assertFalse(chat.template().supportsSystemRole());
        assertEquals("<start_of_turn>user\nBe brief.\nHi<end_of_turn>\n<start_of_turn>model\n", chat.render(SYSTEM_HI));
        int[] ids = chat.encode(SYSTEM_HI);
        assertEquals(tokenizer.bos(), ids[0]);
        assertEquals(tokenizer.id("<start_of_turn>"), ids[1]);
        assertTrue(chat.stopIds().contains(tokenizer.id("<end_of_turn>")), chat.stopIds().toString());
    }

    @Test
    void chatmlFallbackIsPlainTextWhereTheVocabularyLacksItsTokens() throws IOException {
        Path dir = Fixtures.require("models/stories260K/hf");
        Tokenizer tokenizer = HfTokenizerLoader.load(dir);
        ChatPrompt chat = forModel(dir, tokenizer);
        assertTrue(chat.isFallback());
        assertEquals(-1, tokenizer.id("<|im_start|>"));
        String text = chat.render(HI);
        assertEquals("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", text);
        int[] ids = chat.encode(HI);
        // One BOS from the tokenizer, then the markup as ordinary pieces that decode back to it.
        assertArrayEquals(tokenizer.encode(text, true, false), ids);
        assertEquals(1, Arrays.stream(ids).filter(id -> id == tokenizer.bos()).count());
        assertEquals(tokenizer.bos(), ids[0]);
        assertEquals(text, tokenizer.decode(ids, true));
        assertEquals(Set.of(tokenizer.eos()), chat.stopIds());
        // Nothing marks the end of a turn but the text itself.
        assertEquals(List.of("<|im_end|>"), chat.stopStrings());
    }

    @Test
    void chatmlFallbackUsesTheTokensWhereTheyExist() throws IOException {
        Tokenizer tokenizer = HfTokenizerLoader.load(Fixtures.require("hf-tokenizers/qwen3"));
        ChatPrompt chat = ChatPrompt.of(null, tokenizer);
        assertTrue(chat.isFallback());
        assertEquals(ChatTemplate.CHATML, chat.template());
        assertArrayEquals(new int[] {151644, 872, 198, 13048, 151645, 198, 151644, 77091, 198}, chat.encode(HI));
        assertEquals(List.of(), chat.stopStrings());
    }
}
