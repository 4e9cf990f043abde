package dev.tinyforge.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tinyforge.data.examples.ExampleDatasets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExamplesAndQuickstartTest {
    @TempDir
    Path dir;

    /** The repository's examples/ folder is exactly what the generator writes with the default seed. */
    @Test
    void committedExamplesMatchTheGenerator() throws IOException {
        Path committed = Path.of("..", "examples").toAbsolutePath().normalize();
        assumeTrue(Files.isDirectory(committed), "skipped: no examples/ folder beside core/");
        CliRunner r = CliRunner.run("data", "examples", "--out", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        try (var files = Files.list(dir)) {
            for (Path generated : files.toList()) {
                Path file = committed.resolve(generated.getFileName());
                assertTrue(Files.exists(file), file + " is missing: run ./tinyforge data examples --out examples");
                assertArrayEquals(Files.readAllBytes(generated), Files.readAllBytes(file),
                        file + " is stale: run ./tinyforge data examples --out examples");
            }
        }
        assertEquals(ExampleDatasets.all().size() + 1, Files.list(committed).count(), "unexpected files in examples/");
    }

    /** The whole loop, shortened to one epoch: data, built-in model, exact match before and after, artifacts. */
    @Test
    void quickstartRunsTheWholeLoop() throws IOException {
        CliRunner r = CliRunner.run("quickstart", "--out", dir.toString(), "--epochs", "1", "--eval-limit", "5",
                "--train-size", "200");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("reminders.jsonl: 600 records in io format, 0 bad lines"), r.out());
        assertTrue(r.out().contains("Exact match of the base model on 5 held-out examples: 0.0%"), r.out());
        assertTrue(r.out().contains("8. Exact match after fine-tuning: "), r.out());
        assertTrue(r.out().contains("+ 200 generated reminders for training"), r.out());
        long total = 0;
        for (String split : new String[] {"train", "val", "test"}) {
            total += Files.readAllLines(dir.resolve("data").resolve(split + ".jsonl")).size();
        }
        assertEquals(600, total);
        for (String file : new String[] {"base/config.json", "base/tokenizer.json", "run/model.safetensors",
                "run/config.json", "run/tokenizer.json", "run/loss.png", "run/logs/metrics.csv"}) {
            assertTrue(Files.exists(dir.resolve(file)), file);
        }
    }

    @Test
    void quickstartRejectsAnUnknownDataset() {
        CliRunner r = CliRunner.run("quickstart", "--out", dir.toString(), "--dataset", "poems");
        assertEquals(2, r.exitCode());
        assertEquals("error: --dataset: no bundled dataset 'poems' (choose from support, openapi, reminders, dot, toolcall)\n",
                r.err());
    }
}
