package dev.tinyforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train → export → merge through the CLI, on a run folder as `train` writes it. */
class ExportCommandTest {
    @TempDir
    Path dir;

    private Path trainedRun() throws IOException {
        Path hf = Fixtures.require("models/stories260K/hf");
        Path data = dir.resolve("train.jsonl");
        Files.write(data, List.of("{\"input\":\"Tom had a ball.\",\"output\":\"He was happy.\"}",
                "{\"input\":\"Sue saw a dog.\",\"output\":\"She smiled.\"}",
                "{\"input\":\"Ben ate cake.\",\"output\":\"It was sweet.\"}"));
        Path run = dir.resolve("run");
        CliRunner r = CliRunner.run("train", "--model", hf.toString(), "--data", data.toString(), "--val", data.toString(),
                "--max-steps", "2", "--grad-accum", "1", "--lora-r", "4", "--lr", "1e-2", "--out", run.toString());
        assertEquals(0, r.exitCode(), r.err());
        return run;
    }

    @Test
    void exportsAndMergesATrainedRun() throws IOException {
        Path run = trainedRun();
        Path gguf = dir.resolve("out/run-f32.gguf");
        CliRunner r = CliRunner.run("export", run.toString(), "--out", gguf.toString(), "--type", "f32", "--modelfile",
                "--adapter-gguf", dir.resolve("out/adapter.gguf").toString(), "--max-degradation", "1%");
        assertEquals(0, r.exitCode(), r.err() + r.out());
        assertTrue(r.out().contains("validation loss"), r.out());
        assertTrue(r.out().contains("(+0.00%)") || r.out().contains("(-0.00%)"), r.out());
        for (String f : new String[] {"run-f32.gguf", "adapter.gguf", "Modelfile", "Modelfile.adapter", "manifest.json"}) {
            assertTrue(Files.exists(dir.resolve("out").resolve(f)), f);
        }

        // The gate: Q2_K raises this run's validation loss by about 3%, over a limit of 2%: exit 1, nothing written.
        Path plain = dev.tinyforge.export.TestRuns.plainRun(Files.createDirectories(dir.resolve("plain")));
        Path refused = dir.resolve("refused/run-q2_k.gguf");
        r = CliRunner.run("export", plain.toString(), "--out", refused.toString(), "--type", "q2_k", "--max-degradation", "2%");
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("nothing was written"), r.err());
        assertFalse(Files.exists(refused.getParent()));

        r = CliRunner.run("merge", "--adapter", run.toString(), "--out", dir.resolve("merged").toString(), "--dtype", "f16");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.exists(dir.resolve("merged/model.safetensors")));
        assertTrue(Files.exists(dir.resolve("merged/tokenizer.json")));
    }

    @Test
    void badRequestsAreOneLineErrors() {
        Path hf = Fixtures.require("models/stories260K/hf");
        CliRunner r = CliRunner.run("export", hf.toString(), "--out", dir.resolve("x.gguf").toString(), "--type", "q9");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--type: unknown quantization type 'q9'") && r.err().contains("Q4_K_M"), r.err());
        r = CliRunner.run("export", hf.toString(), "--out", dir.resolve("x.gguf").toString(), "--max-degradation", "lots");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("percentage"), r.err());
        r = CliRunner.run("export", hf.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("nothing to write"), r.err());
        r = CliRunner.run("merge", "--adapter", hf.toString(), "--out", hf.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("not an empty folder"), r.err());
        assertFalse(Files.exists(dir.resolve("x.gguf")));
    }
}
