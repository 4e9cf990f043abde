package dev.tinyforge.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.model.LoadedModel;
import dev.tinyforge.model.ModelLoader;
import dev.tinyforge.model.QuantizedMatrix;
import dev.tinyforge.model.RandomModels;
import dev.tinyforge.quant.FileType;
import dev.tinyforge.quant.GgmlType;
import dev.tinyforge.testing.Fixtures;
import dev.tinyforge.tokenizer.Tokenizers;
import dev.tinyforge.util.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Random models of the benchmark shapes written as GGUF files that load like users' files. */
class RandomGgufTest {
    @TempDir
    Path dir;

    @Test
    void aRandomShapeWrittenAsQ8_0LoadsMappedWithTheCopiedTokenizer() throws Exception {
        Path vocabulary = Fixtures.require("tokenizers/ggml-vocab-llama-spm.gguf");
        Path file = dir.resolve("tiny-q8_0.gguf");
        RandomGguf.write("tiny-19m", FileType.Q8_0, vocabulary, 3, file);
        try (LoadedModel loaded = ModelLoader.load(file)) {
            var expected = RandomModels.shape("tiny-19m");
            var actual = loaded.config();
            assertEquals((float) expected.normEps(), (float) actual.normEps(), "GGUF stores the epsilon as f32");
            assertEquals(expected.toString().replaceAll("normEps=[^,]*", ""), actual.toString().replaceAll("normEps=[^,]*", ""));
            var gate = loaded.weights().layers().get(0).gate();
            assertEquals(GgmlType.Q8_0, ((QuantizedMatrix) gate).type());
        }
        assertArrayEquals(Tokenizers.load(vocabulary).encode("Hello world", true, false),
                Tokenizers.load(file).encode("Hello world", true, false));
        assertFalse(Files.list(dir).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file is left");
    }

    @Test
    void aVocabularyOfAnotherSizeIsRefusedAndNothingIsWritten() {
        Path vocabulary = Fixtures.require("tokenizers/ggml-vocab-gpt-2.gguf");
        Path file = dir.resolve("tiny.gguf");
        var e = assertThrows(BadInputException.class, () -> RandomGguf.write("tiny-19m", FileType.F16, vocabulary, 3, file));
        assertTrue(e.getMessage().contains("the shape needs 32000"), e.getMessage());
        assertFalse(Files.exists(file));
    }
}
