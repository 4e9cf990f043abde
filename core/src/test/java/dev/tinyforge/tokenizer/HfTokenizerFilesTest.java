package dev.tinyforge.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tinyforge.io.gguf.GgufFile;
import dev.tinyforge.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** llama.cpp's vocabularies written as HF tokenizer files give llama.cpp's ids for its own test strings. */
class HfTokenizerFilesTest {
    @ParameterizedTest
    // qwen2 and llama-bpe pass too (checked by hand); left out to keep the suite fast (6 and 8 s more).
    @ValueSource(strings = {"llama-spm", "gpt-2"})
    void aGgufVocabularyBecomesATokenizerJsonThatTokenizesAlike(String name) throws IOException {
        try (GgufFile gguf = GgufFile.open(Fixtures.require("tokenizers/ggml-vocab-" + name + ".gguf"))) {
            var files = HfTokenizerFiles.fromGguf(gguf.metadata(), name, "{{ messages }}");
            Tokenizer hf = HfTokenizerLoader.load(new ByteArrayInputStream(files.tokenizerJson()), name,
                    new ByteArrayInputStream(files.tokenizerConfigJson()), name);
            for (var c : FixtureTokenizers.ggufCases(name)) {
                assertArrayEquals(c.ids(), hf.encode(c.text(), false, false), () -> name + ": " + HfFixtureTest.escape(c.text()));
            }
            assertEquals(FixtureTokenizers.gguf(name).specialTokens(), hf.specialTokens());
        }
    }
}
