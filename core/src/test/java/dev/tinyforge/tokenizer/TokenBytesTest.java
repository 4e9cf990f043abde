package dev.tinyforge.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Tokenizer#tokenBytes}: the bytes of the ids of a text, after a first id, are what decoding adds
 * after that first id's text (for llama.cpp vocabularies, before its clean-up of spaces); special ids
 * have none.
 */
class TokenBytesTest {
    private static void check(Tokenizer tokenizer, FixtureTokenizers.Case c, boolean cleanSpaces) {
        int[] ids = tokenizer.encodePlain("a" + c.text());
        if (ids.length < 2) return;
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        for (int i = 1; i < ids.length; i++) rest.writeBytes(tokenizer.tokenBytes(ids[i]));
        String first = tokenizer.decode(new int[] {ids[0]}, true);
        String expected = tokenizer.decode(ids, true);
        String actual = first + rest.toString(StandardCharsets.UTF_8);
        assertEquals(expected, cleanSpaces ? CleanSpaces.apply(actual) : actual, "case " + c.text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama2", "llama3", "qwen3", "gemma3"})
    void hfTokenizers(String family) {
        Tokenizer tokenizer = FixtureTokenizers.hf(family);
        for (FixtureTokenizers.Case c : FixtureTokenizers.hfCases(family)) check(tokenizer, c, false);
        assertEquals(0, tokenizer.tokenBytes(tokenizer.bos() >= 0 ? tokenizer.bos() : tokenizer.eos()).length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "llama-bpe", "gpt-2", "qwen2", "phi-3", "starcoder"})
    void ggufVocabularies(String name) {
        Tokenizer tokenizer = FixtureTokenizers.gguf(name);
        boolean cleans = !tokenizer.decode(tokenizer.encodePlain("a ,"), true).equals("a ,");
        for (FixtureTokenizers.Case c : FixtureTokenizers.ggufCases(name)) check(tokenizer, c, cleans);
        assertEquals(0, tokenizer.tokenBytes(tokenizer.eos()).length);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x00, 0x41, 0xC3, 0xFF})
    void byteFallbackPiecesAreOneByte(int b) {
        Tokenizer tokenizer = FixtureTokenizers.hf("llama2");
        int id = tokenizer.id(String.format("<0x%02X>", b));
        assertEquals(1, tokenizer.tokenBytes(id).length);
        assertEquals((byte) b, tokenizer.tokenBytes(id)[0]);
    }
}
