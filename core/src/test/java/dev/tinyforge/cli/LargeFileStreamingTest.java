package dev.tinyforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file many times larger than the JVM's heap validates fine: the scan streams, and a single line
 * bigger than the whole heap is skipped without being buffered. Runs the CLI in a child JVM with
 * {@code -Xmx32m} so that any buffering of the file would fail with OutOfMemoryError.
 */
class LargeFileStreamingTest {
    private static final int RECORDS = 200_000;
    private static final int HUGE_LINE_BYTES = 48 << 20;

    @TempDir
    Path dir;

    @Test
    void validatesAFileTenTimesTheHeapInBoundedMemory() throws Exception {
        Path file = dir.resolve("big.jsonl");
        long size = writeBigFile(file);
        assertTrue(size > 320L << 20, "file is " + size + " bytes");

        Path stdout = dir.resolve("out.txt"), stderr = dir.resolve("err.txt");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, "-Xmx32m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "data", "validate", "--max-line-bytes", "1048576", file.toString())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "validate did not finish in time");
        String err = Files.readString(stderr);
        assertEquals(2, process.exitValue(), err);
        assertEquals(file + ": " + RECORDS + " records in io format, 1 bad line\n", Files.readString(stdout));
        List<String> errors = err.lines().filter(l -> l.startsWith("error:")).toList();
        assertEquals(List.of("error: " + file + ":" + (RECORDS / 2 + 1) + ": line is " + HUGE_LINE_BYTES
                + " bytes long, over the limit of 1048576 bytes"), errors);
    }

    /** 200k distinct ~1.5 KB records with one 48 MB line in the middle. */
    private static long writeBigFile(Path file) throws IOException {
        String padding = "lorem ipsum dolor sit amet ".repeat(50);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            for (int i = 0; i < RECORDS; i++) {
                if (i == RECORDS / 2) {
                    byte[] chunk = "x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
                    for (int j = 0; j < HUGE_LINE_BYTES >> 20; j++) out.write(chunk);
                    out.write('\n');
                }
                out.write(("{\"input\":\"request " + i + " " + padding + "\",\"output\":\"answer " + i + " " + padding
                        + "\"}\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return Files.size(file);
    }
}
