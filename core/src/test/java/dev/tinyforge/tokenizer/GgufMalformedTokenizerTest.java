package dev.tinyforge.tokenizer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.io.gguf.GgufArray;
import dev.tinyforge.io.gguf.GgufMetadata;
import dev.tinyforge.io.gguf.GgufValue;
import dev.tinyforge.util.BadInputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** A GGUF vocabulary we cannot reproduce exactly is refused with one line naming the file, the key and the value. */
class GgufMalformedTokenizerTest {

    private static void refused(Supplier<Tokenizer> load, String... expectedParts) {
        BadInputException e = assertThrows(BadInputException.class, load::get);
        assertTrue(e.getMessage().startsWith("tiny.gguf: "), e.getMessage());
        for (String part : expectedParts) assertTrue(e.getMessage().contains(part), () -> e.getMessage() + " lacks " + part);
    }

    @Test
    void unsupportedModelsAndPreTokenizersNameTheValue() {
        TinyGguf bert = TinyGguf.spm(true).put("tokenizer.ggml.model", GgufValue.string("bert"));
        refused(bert::load, "tokenizer.ggml.model", "'bert'", "supported: llama");
        refused(TinyGguf.bpe("kimi-k2")::load, "tokenizer.ggml.pre", "'kimi-k2'", "llama-bpe", "qwen2");
    }

    @Test
    void missingOrMistypedKeys() {
        Map<String, GgufValue> m = new LinkedHashMap<>(TinyGguf.spm(true).metadata().asMap());
        m.remove("tokenizer.ggml.model");
        refused(() -> GgufTokenizerLoader.load(new GgufMetadata("tiny.gguf", m), "tiny.gguf"), "tokenizer.ggml.model", "missing");

        refused(TinyGguf.spm(true).put("tokenizer.ggml.tokens", GgufArray.ofInts(new int[] {1, 2}))::load,
                "tokenizer.ggml.tokens", "INT32");
        refused(TinyGguf.spm(true).put("tokenizer.ggml.tokens", GgufArray.ofStrings(List.of()))::load, "tokenizer.ggml.tokens");
        refused(TinyGguf.spm(true).put("tokenizer.ggml.token_type", GgufArray.ofFloats(new float[259]))::load,
                "tokenizer.ggml.token_type", "INT32");
        refused(TinyGguf.spm(true).put("tokenizer.ggml.scores", GgufArray.ofFloats(new float[3]))::load,
                "tokenizer.ggml.scores", "3 entries");
        refused(TinyGguf.spm(true).put("tokenizer.ggml.add_bos_token", GgufValue.string("yes"))::load, "add_bos_token");
    }

    @Test
    void absurdlyLongTokensAreRefusedBeforeTheyCostMemory() {
        refused(TinyGguf.spm(true).add("x".repeat(70_000), 0)::load, "entry 259", "70000 characters");
    }

    @Test
    void duplicatedTokensAreRefused() {
        refused(TinyGguf.spm(true).add("a", 0).add("a", 0)::load, "'a' twice", "259", "260");
    }

    @Test
    void mergesMustNameTokens() {
        Map<String, GgufValue> m = new LinkedHashMap<>(TinyGguf.bpe("gpt-2").metadata().asMap());
        m.put("tokenizer.ggml.merges", GgufArray.ofStrings(List.of("a b")));
        refused(() -> GgufTokenizerLoader.load(new GgufMetadata("tiny.gguf", m), "tiny.gguf"), "merges", "'ab'");
        m.remove("tokenizer.ggml.merges");
        refused(() -> GgufTokenizerLoader.load(new GgufMetadata("tiny.gguf", m), "tiny.gguf"), "tokenizer.ggml.merges");
    }

    @Test
    void addingATokenThatDoesNotExistIsRefused() {
        // ChatGLM's preset has no default BOS.
        refused(TinyGguf.bpe("glm4").put("tokenizer.ggml.add_bos_token", GgufValue.bool(true))::load, "add_bos_token");
        // An out-of-range id keeps the default (EOS 2), which a two-token vocabulary does not have either.
        Map<String, GgufValue> m = new LinkedHashMap<>();
        m.put("tokenizer.ggml.model", GgufValue.string("llama"));
        m.put("tokenizer.ggml.tokens", GgufArray.ofStrings(List.of("<unk>", "<s>")));
        m.put("tokenizer.ggml.eos_token_id", GgufValue.u32(9999));
        m.put("tokenizer.ggml.add_eos_token", GgufValue.bool(true));
        refused(() -> GgufTokenizerLoader.load(new GgufMetadata("tiny.gguf", m), "tiny.gguf"), "add_eos_token");
    }
}
