package dev.tinyforge.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.io.gguf.GgufFile;
import dev.tinyforge.model.LoadedModel;
import dev.tinyforge.model.ModelLoader;
import dev.tinyforge.model.TinyModel;
import dev.tinyforge.quant.FileType;
import dev.tinyforge.tokenizer.GgufTokenizerLoader;
import dev.tinyforge.tokenizer.Tokenizer;
import dev.tinyforge.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quickstart's built-in model (byte-level vocabulary, no merges) exports with a GGUF tokenizer that agrees with it. */
class TinyModelExportTest {
    @TempDir
    Path dir;

    @Test
    void theBuiltInModelExports() throws IOException {
        Path model = dir.resolve("tiny");
        TinyModel.write(model, 42);
        Path out = dir.resolve("tiny.gguf");
        GgufExport.run(new GgufExport.Request(model, null, out, FileType.F32, null, true, null, 10), line -> {});
        try (GgufFile file = GgufFile.open(out)) {
            assertEquals("gpt2", file.metadata().getString("tokenizer.ggml.model"));
        }
        Tokenizer hf = Tokenizers.load(model), gguf = GgufTokenizerLoader.load(out);
        for (String text : new String[] {"remind me to water the plants tomorrow at 6\n", "héllo wörld 123 ...!", ""}) {
            assertArrayEquals(hf.encode(text, true, true), gguf.encode(text, true, true), text);
        }
        try (LoadedModel a = ModelLoader.load(model); LoadedModel b = ModelLoader.load(out)) {
            int[] ids = hf.encode("remind me", true, true);
            assertTrue(TestRuns.relative(TestRuns.logits(b, ids), TestRuns.logits(a, ids)) < 1e-5);
        }
    }
}
