package dev.tinyforge.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tinyforge.io.gguf.GgufFile;
import dev.tinyforge.io.gguf.GgufMetadata;
import dev.tinyforge.io.gguf.GgufValue;
import dev.tinyforge.testing.Fixtures;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SequencedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An HF tokenizer.json converted to GGUF keys tokenizes as llama.cpp's own GGUF vocabularies do:
 * stories260K's (SentencePiece-style) against the GGUF llama.cpp's converter wrote, Llama 3's and
 * Qwen's (byte-level) against llama.cpp's vocab fixtures and their expected ids.
 */
class GgufTokenizerMetadataTest {
    @TempDir
    Path dir;

    private static Tokenizer load(SequencedMap<String, GgufValue> entries) {
        return GgufTokenizerLoader.load(new GgufMetadata("converted", entries), "converted");
    }

    @Test
    void stories260KConvertsToTheTokenizerLlamaCppWrote() throws IOException {
        Path hf = Fixtures.require("models/stories260K/hf");
        var converted = GgufTokenizerMetadata.fromHf(hf, 512);
        assertEquals("llama", ((GgufValue.Str) converted.entries().get("tokenizer.ggml.model")).value());
        Tokenizer ours = load(converted.entries());
        Tokenizer original = FixtureTokenizers.storiesGguf();
        for (JsonNode c : Stories260KTokenizerTest.cases()) {
            String text = c.get("text").asText();
            int[] expected = new int[c.get("ids").size()];
            for (int i = 0; i < expected.length; i++) expected[i] = c.get("ids").get(i).asInt();
            assertArrayEquals(expected, ours.encode(text, true, true), text);
            assertArrayEquals(original.encode(text, false, false), ours.encode(text, false, false), text);
            assertEquals(original.decode(expected, false), ours.decode(expected, false), text);
        }
        for (int id = 0; id < 512; id++) {
            assertEquals(original.piece(id), ours.piece(id));
            assertEquals(original.vocabulary().type(id), ours.vocabulary().type(id), "type of " + id);
        }
        assertEquals(original.specialTokens(), ours.specialTokens());
    }

    @Test
    void llama3ConvertsToLlamaBpe() {
        Path hf = Fixtures.require("hf-tokenizers/llama3");
        var converted = GgufTokenizerMetadata.fromHf(hf, 128256);
        assertEquals("llama-bpe", ((GgufValue.Str) converted.entries().get("tokenizer.ggml.pre")).value());
        Tokenizer ours = load(converted.entries());
        for (var c : FixtureTokenizers.ggufCases("llama-bpe")) {
            assertArrayEquals(c.ids(), ours.encode(c.text(), false, false), () -> HfFixtureTest.escape(c.text()));
        }
        // This tokenizer.json's post-processor adds no BOS (it is ByteLevel, not a template): HF's behaviour wins.
        assertEquals(new SpecialTokens(128000, 128001, -1, -1, false, false), ours.specialTokens());
        Tokenizer reference = FixtureTokenizers.gguf("llama-bpe");
        for (int id : new int[] {0, 1000, 127999, 128000, 128001, 128009, 128255}) {
            assertEquals(reference.piece(id), ours.piece(id));
            assertEquals(reference.vocabulary().type(id), ours.vocabulary().type(id), "type of " + id);
        }
    }

    @Test
    void qwen3ConvertsToQwen2() {
        Path hf = Fixtures.require("hf-tokenizers/qwen3");
        var converted = GgufTokenizerMetadata.fromHf(hf, 151936);
        assertEquals("qwen2", ((GgufValue.Str) converted.entries().get("tokenizer.ggml.pre")).value());
        assertTrue(converted.notes().getFirst().contains("NFC"), converted.notes().toString());
        Tokenizer ours = load(converted.entries());
        for (var c : FixtureTokenizers.ggufCases("qwen2")) {
            assertArrayEquals(c.ids(), ours.encode(c.text(), false, false), () -> HfFixtureTest.escape(c.text()));
        }
        // tokenizer_config.json names <|im_end|> as EOS (llama.cpp's qwen2 vocab fixture has <|endoftext|>). There is
        // no BOS: none is written, and llama.cpp's default id for a gpt2 vocabulary stays, unused (add_bos false).
        assertEquals(new SpecialTokens(11, 151645, -1, 151643, false, false), ours.specialTokens());
        assertEquals("[PAD151935]", ours.piece(151935));
    }

    @Test
    void copiesEveryTokenizerKeyOfAGguf() throws IOException {
        try (GgufFile gguf = GgufFile.open(Fixtures.require("models/stories260K/stories260K.gguf"))) {
            var copied = GgufTokenizerMetadata.copyOf(gguf.metadata());
            assertTrue(copied.keySet().stream().allMatch(k -> k.startsWith("tokenizer.")));
            assertEquals(gguf.metadata().getArray("tokenizer.ggml.tokens"), copied.get("tokenizer.ggml.tokens"));
        }
    }

    @Test
    void aTokenizerLargerThanTheModelIsRefused() throws IOException {
        Path hf = Fixtures.require("models/stories260K/hf");
        var e = assertThrows(BadInputException.class, () -> GgufTokenizerMetadata.fromHf(hf, 500));
        assertTrue(e.getMessage().contains("512 ids") && e.getMessage().contains("500"), e.getMessage());
        assertThrows(BadInputException.class, () -> GgufTokenizerMetadata.fromHf(Files.createDirectories(dir.resolve("x")), 10));
    }
}
