package dev.tinyforge.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetScannerTest {
    @TempDir
    Path dir;

    record Problem(long line, String message) {}

    private final List<Problem> bad = new ArrayList<>();
    private final List<Problem> warnings = new ArrayList<>();
    private final List<Long> recordLines = new ArrayList<>();

    private DatasetScanner.Summary scan(String content, RecordFormat format) throws IOException {
        Path file = dir.resolve("data.jsonl");
        Files.writeString(file, content);
        return DatasetScanner.scan(file, new DatasetScanner.Options(format, 1 << 20), new DatasetScanner.Listener() {
            @Override
            public void record(long line, Example example, String text) {
                recordLines.add(line);
            }

            @Override
            public void badLine(long line, String reason) {
                bad.add(new Problem(line, reason));
            }

            @Override
            public void warning(long line, String message) {
                warnings.add(new Problem(line, message));
            }
        });
    }

    @Test
    void reportsEveryBadLineInOrder() throws IOException {
        var s = scan("""
                {"input":"a","output":"b"}
                {"input":"a","output":"b"}
                nope
                {"input":"c"}
                {"input":"d","output":"e"}
                """, null);
        assertEquals(List.of(new Problem(2, "exact duplicate of line 1"), new Problem(3,
                "invalid JSON: Unrecognized token 'nope': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false') (column 5)"),
                new Problem(4, "field \"output\" is missing")), bad);
        assertEquals(List.of(1L, 5L), recordLines);
        assertEquals(new DatasetScanner.Summary(dir.resolve("data.jsonl"), RecordFormat.IO, 5, 0, 2, 3, 1, 0), s);
    }

    @Test
    void duplicateIgnoresKeyOrderAndSpacingButNotContent() throws IOException {
        scan("""
                {"input":"a","output":"b"}
                { "output" : "b", "input" : "a" }
                {"input":"a","output":"b "}
                {"input":"a","output":"b","metadata":{"id":1}}
                """, null);
        assertEquals(List.of(new Problem(2, "exact duplicate of line 1")), bad);
    }

    @Test
    void mixedFormatsAreBadLinesNamingTheFirstRecord() throws IOException {
        scan("""

                {"prompt":"a","completion":"b"}
                {"input":"a","output":"b"}
                {"text":"t"}
                """, null);
        assertEquals(List.of(
                new Problem(3, "mixed formats: this record is io but the file is prompt-completion (from line 2)"),
                new Problem(4, "mixed formats: this record is text but the file is prompt-completion (from line 2)")), bad);
    }

    @Test
    void forcedFormatAppliesToEveryRecord() throws IOException {
        var s = scan("{\"input\":\"a\",\"output\":\"b\"}\n{\"text\":\"t\"}\n", RecordFormat.TEXT);
        assertEquals(RecordFormat.TEXT, s.format());
        assertEquals(List.of(new Problem(1, "field \"text\" is missing")), bad);
    }

    @Test
    void eachDistinctWarningIsShownOnceButEveryLineIsCounted() throws IOException {
        var s = scan("""
                {"input":"a","output":"b","id":1}
                {"input":"c","output":"d","id":2}
                {"input":"e","output":"f","tag":"x"}
                """, null);
        assertEquals(List.of(new Problem(1, "field \"id\" is not part of the io format and is ignored"),
                new Problem(3, "field \"tag\" is not part of the io format and is ignored")), warnings);
        assertEquals(3, s.linesWithWarnings());
        assertEquals(3, s.records());
    }

    @Test
    void missingFileIsBadInput() {
        var e = assertThrows(BadInputException.class, () -> DatasetScanner.scan(dir.resolve("missing.jsonl"),
                DatasetScanner.Options.defaults(), new DatasetScanner.Listener() {}));
        assertEquals(dir.resolve("missing.jsonl") + ": no such file", e.getMessage());
    }

    @Test
    void directoryIsBadInput() {
        var e = assertThrows(BadInputException.class,
                () -> DatasetScanner.scan(dir, DatasetScanner.Options.defaults(), new DatasetScanner.Listener() {}));
        assertEquals(dir + ": is a directory, expected a JSONL file", e.getMessage());
    }
}
