package dev.tinyforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.tensor.Parallel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
    private static final Pattern ROW = Pattern.compile("\\| tiny-19m \\(random(, q8_0)?\\) \\| 19\\.5 M \\| [A-Z0-9_+]+ \\| "
            + Parallel.THREADS + " \\| (pp4|tg2) \\| [0-9.]+ ± [0-9.]+ \\|");

    @Test
    void printsPromptAndGenerationRowsLikeLlamaBench() {
        CliRunner r = CliRunner.run("bench", "--random", "tiny-19m", "-p", "4", "-n", "2", "-r", "1",
                "--threads", Integer.toString(Parallel.THREADS));
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(2, ROW.matcher(r.out()).results().count(), r.out());
    }

    @Test
    void writesAQuantizedFileAndTimesItsFirstToken(@TempDir Path dir) {
        Path saved = dir.resolve("tiny.gguf");
        CliRunner r = CliRunner.run("bench", "--random", "tiny-19m", "--type", "q8_0", "--save", saved.toString(),
                "-p", "4", "-n", "2", "-r", "1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("first token (token "), r.out());
        assertEquals(2, ROW.matcher(r.out()).results().count(), r.out());
        assertTrue(Files.isRegularFile(saved));
    }

    @Test
    void refusesAThreadCountTheKernelsCannotTakeAnyMore() {
        CliRunner zero = CliRunner.run("bench", "--random", "tiny-19m", "--threads", "0");
        assertEquals(2, zero.exitCode());
        assertTrue(zero.err().contains("--threads must be within 1..1024, got 0"), zero.err());
        // The kernel threads started with this JVM's first kernel call; another count needs a new JVM.
        CliRunner other = CliRunner.run("bench", "--random", "tiny-19m", "--threads", Integer.toString(Parallel.THREADS + 1));
        assertEquals(2, other.exitCode());
        assertTrue(other.err().contains("start it with -Dtinyforge.threads=" + (Parallel.THREADS + 1)), other.err());
    }
}
