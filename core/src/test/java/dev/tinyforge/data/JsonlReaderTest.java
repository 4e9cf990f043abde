package dev.tinyforge.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonlReaderTest {
    private static List<JsonlReader.Line> read(byte[] bytes, int max) throws IOException {
        List<JsonlReader.Line> lines = new ArrayList<>();
        try (JsonlReader reader = new JsonlReader(new ByteArrayInputStream(bytes), max)) {
            for (JsonlReader.Line l; (l = reader.next()) != null; ) lines.add(l);
        }
        return lines;
    }

    private static List<JsonlReader.Line> read(String text) throws IOException {
        return read(text.getBytes(StandardCharsets.UTF_8), 1000);
    }

    @Test
    void acceptsBomCrlfAndMissingFinalNewline() throws IOException {
        List<JsonlReader.Line> lines = read("\uFEFFone\r\ntwo\r\nthree");
        assertEquals(List.of("one", "two", "three"), lines.stream().map(JsonlReader.Line::text).toList());
        assertEquals(3, lines.get(2).number());
    }

    @Test
    void keepsBlankLinesAndCountsThem() throws IOException {
        List<JsonlReader.Line> lines = read("a\n\n  \nb\n");
        assertEquals(4, lines.size());
        assertEquals(true, lines.get(1).isBlank());
        assertEquals(true, lines.get(2).isBlank());
    }

    @Test
    void emptyInputHasNoLines() throws IOException {
        assertEquals(List.of(), read(""));
    }

    @Test
    void tooLongLineIsReportedAndSkippedWithoutBuffering() throws IOException {
        String longLine = "x".repeat(200_000);
        List<JsonlReader.Line> lines = read(("ok\n" + longLine + "\nafter\n").getBytes(StandardCharsets.UTF_8), 100);
        assertEquals("ok", lines.get(0).text());
        assertNull(lines.get(1).text());
        assertEquals("line is 200000 bytes long, over the limit of 100 bytes", lines.get(1).problem());
        assertEquals("after", lines.get(2).text());
        assertEquals(3, lines.get(2).number());
    }

    @Test
    void lineOfExactlyTheLimitIsFine() throws IOException {
        assertEquals("x".repeat(100), read(("x".repeat(100) + "\n").getBytes(StandardCharsets.UTF_8), 100).get(0).text());
    }

    @Test
    void invalidUtf8IsABadLine() throws IOException {
        byte[] bytes = {'o', 'k', '\n', (byte) 0xC3, (byte) 0x28, '\n', 'z'};
        List<JsonlReader.Line> lines = read(bytes, 100);
        assertEquals("line is not valid UTF-8", lines.get(1).problem());
        assertEquals("z", lines.get(2).text());
    }

    @Test
    void linesSpanningReadBuffersAreJoined() throws IOException {
        // A stream that hands out 7 bytes at a time exercises every buffer boundary.
        String text = "{\"input\":\"é漢字🙂\",\"output\":\"b\"}\n".repeat(50);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        InputStream trickle = new ByteArrayInputStream(bytes) {
            @Override
            public int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7));
            }
        };
        int count = 0;
        try (JsonlReader reader = new JsonlReader(trickle, 1000)) {
            for (JsonlReader.Line l; (l = reader.next()) != null; count++) {
                assertEquals("{\"input\":\"é漢字🙂\",\"output\":\"b\"}", l.text());
            }
        }
        assertEquals(50, count);
    }
}
