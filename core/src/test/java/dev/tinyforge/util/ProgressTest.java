package dev.tinyforge.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private long now;

    private String run(boolean terminal, long total, long[] updatesAtSeconds, long[] amounts, long endSecond) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        now = 0;
        try (Progress progress = new Progress("validate x", "MB", total, out, terminal, () -> now)) {
            for (int i = 0; i < amounts.length; i++) {
                now = updatesAtSeconds[i] * 1_000_000_000L;
                progress.update(amounts[i]);
            }
            now = endSecond * 1_000_000_000L;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainOutputLogsEveryTenSecondsWithRateAndEta() {
        String out = run(false, 100, new long[] {5, 10, 15, 20}, new long[] {10, 20, 30, 40}, 21);
        assertEquals("""
                validate x: 20/100 MB (20%), 2.0 MB/s, ETA 40s
                validate x: 40/100 MB (40%), 2.0 MB/s, ETA 30s
                validate x: 40/100 MB (40%), 1.9 MB/s, took 21s
                """, out);
    }

    @Test
    void terminalOutputRedrawsOneLine() {
        String out = run(true, -1, new long[] {1}, new long[] {5}, 2);
        assertEquals("\r\033[2Kvalidate x: 5 MB, 5.0 MB/s\r\033[2Kvalidate x: 5 MB, 2.5 MB/s, took 2s\n", out);
    }

    @Test
    void shortWorkPrintsNothing() {
        assertEquals("", run(false, 10, new long[] {0}, new long[] {10}, 0));
    }

    @Test
    void durationsReadNaturally() {
        assertEquals("59s", Progress.formatDuration(59.4));
        assertEquals("2m05s", Progress.formatDuration(125));
        assertEquals("1h01m", Progress.formatDuration(3661));
    }
}
