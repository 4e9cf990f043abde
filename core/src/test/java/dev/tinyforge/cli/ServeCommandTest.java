package dev.tinyforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.model.TinyModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serve commands' argument checks and the serving benchmark, in-process. */
class ServeCommandTest {
    @Test
    void badArgumentsExitWithTwo(@TempDir Path dir) throws Exception {
        CliRunner missing = CliRunner.run("serve", dir.resolve("nothing").toString());
        assertEquals(Main.BAD_INPUT, missing.exitCode(), missing.err());
        assertTrue(missing.err().contains("nothing"), missing.err());

        CliRunner parallel = CliRunner.run("serve", dir.toString(), "--parallel", "0");
        assertEquals(Main.BAD_INPUT, parallel.exitCode());
        assertTrue(parallel.err().contains("--parallel"), parallel.err());

        Path adapterOnly = dir.resolve("run");
        Files.createDirectories(adapterOnly);
        Files.writeString(adapterOnly.resolve("adapter_config.json"), "{}");
        CliRunner adapter = CliRunner.run("serve", adapterOnly.toString());
        assertEquals(Main.BAD_INPUT, adapter.exitCode());
        assertTrue(adapter.err().contains("--adapter"), adapter.err());
    }

    @Test
    void benchServePrintsThroughputPerConcurrency(@TempDir Path dir) throws Exception {
        TinyModel.write(dir, 1);
        CliRunner r = CliRunner.run("bench-serve", dir.toString(), "--concurrency", "1,2", "--requests", "1", "--max-tokens",
                "4", "--ctx", "64");
        assertEquals(Main.OK, r.exitCode(), r.err());
        assertTrue(r.out().contains("| clients | requests | tokens | seconds | tokens/s | CPU s | tokens/CPU s | errors |"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("| 2 | 2 | ")), r.out());
    }
}
