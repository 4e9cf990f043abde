package dev.tinyforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.tensor.Parallel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BenchTrainCommandTest {
    @ParameterizedTest
    @ValueSource(strings = {"lora", "qlora", "full"})
    void measuresEveryMethodOnASmallShape(String method) {
        CliRunner r = CliRunner.run("bench-train", "--shape", "tiny-19m", "--method", method, "--batch", "1", "--seq", "16",
                "--lora-r", "4", "--warmup", "0", "--steps", "1", "--threads", Integer.toString(Parallel.THREADS));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("measured step 1/1"), r.out());
        assertTrue(r.out().contains("| tiny-19m (random) | 19.5 M | " + method), r.out());
        assertTrue(r.out().contains(" MiB |"), r.out());
    }
}
