package dev.tinyforge.export;

import dev.tinyforge.quant.FileType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports of a LoRA run with a validation split are measured before (float merged weights) and
 * after (the file loaded back); the gate refuses an export that degrades more than allowed and then
 * leaves nothing behind. The Modelfile of a plain-format run carries its format, stop and system prompt.
 */
class QualityGateTest {
    @TempDir
    Path dir;

    @Test
    void anF32ExportIsMeasuredAndPasses() throws IOException {
        Path run = TestRuns.plainRun(dir);
        Path out = dir.resolve("out/model.gguf");
        var outcome = GgufExport.run(new GgufExport.Request(run, null, out, FileType.F32, dir.resolve("out/adapter.gguf"),
                true, 0.005, 10), line -> {});
        assertTrue(outcome.passed());
        QualityGate.Comparison eval = outcome.evaluation();
        assertNotNull(eval);
        assertEquals(4, eval.before().examples());
        assertTrue(eval.before().lossTokens() > 10);
        assertEquals(eval.before().loss(), eval.after().loss(), 1e-5 * eval.before().loss());
        assertEquals(eval.before().matches(), eval.after().matches());

        JsonNode manifest = new ObjectMapper().readTree(dir.resolve("out/manifest.json").toFile()).get("exports").get(0);
        assertEquals("f32", manifest.get("type").asText());
        assertEquals(4, manifest.get("artifacts").size()); // model.gguf, Modelfile, adapter.gguf, Modelfile.adapter
        assertEquals(eval.degradation(), manifest.get("evaluation").get("degradation").asDouble());
        for (JsonNode a : manifest.get("artifacts")) {
            Path file = dir.resolve("out").resolve(a.get("file").asText());
            assertEquals(Files.size(file), a.get("bytes").asLong());
            assertEquals(Manifest.sha256(file), a.get("sha256").asText());
        }

        String modelfile = Files.readString(dir.resolve("out/Modelfile"));
        assertTrue(modelfile.contains("FROM ./model.gguf\n"), modelfile);
        assertTrue(modelfile.contains("TEMPLATE \"\"\"{{ if .System }}{{ .System }}\n\n{{ end }}"), modelfile);
        assertTrue(modelfile.contains("SYSTEM \"\"\"You tell stories.\"\"\"\n"), modelfile);
        assertTrue(modelfile.contains("PARAMETER stop \"</s>\"\n"), modelfile);
        String adapterfile = Files.readString(dir.resolve("out/Modelfile.adapter"));
        assertTrue(adapterfile.startsWith("# Ollama Modelfile") && adapterfile.contains("\nFROM " + TestRuns.storiesHf().toAbsolutePath()
                + "\nADAPTER ./adapter.gguf\n"),
                adapterfile);
        try (var gguf = dev.tinyforge.io.gguf.GgufFile.open(out)) {
            assertEquals(PlainTemplate.SOURCE, gguf.metadata().getString("tokenizer.chat_template"));
        }
    }

    @Test
    void anExportOverTheLimitIsRefusedAndLeavesNothing() throws IOException {
        Path run = TestRuns.plainRun(dir);
        Path out = dir.resolve("refused/model.gguf");
        // Q2_K (with llama-quantize's fallbacks for this small model) raises the validation loss by about 3%.
        var outcome = GgufExport.run(new GgufExport.Request(run, null, out, FileType.Q2_K, null, true, 0.02, 10), line -> {});
        assertTrue(outcome.evaluation().degradation() > 0.02, outcome.evaluation().describe());
        assertFalse(outcome.passed());
        assertTrue(outcome.written().isEmpty());
        assertFalse(Files.exists(dir.resolve("refused")), "the folder the export created is gone too");
    }

    @Test
    void theGateNeedsAValidationSplit() throws IOException {
        // Outside the lambdas: without ../shared the test is skipped, not failed as a wrong exception.
        Path stories = TestRuns.storiesHf();
        var e = assertThrows(BadInputException.class, () -> GgufExport.run(new GgufExport.Request(stories, null,
                dir.resolve("x.gguf"), FileType.F32, null, false, 0.02, 10), line -> {}));
        assertTrue(e.getMessage().contains("validation split"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> GgufExport.run(new GgufExport.Request(stories, null,
                null, FileType.F32, dir.resolve("a.gguf"), false, null, 10), line -> {}));
        assertTrue(e.getMessage().contains("LoRA run"), e.getMessage());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }
}
