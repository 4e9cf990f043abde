package dev.tinyforge.data;

import dev.tinyforge.util.BadInputException;
import dev.tinyforge.util.Hashing;
import dev.tinyforge.util.LongIntHashMap;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Streams a JSONL dataset once, parsing every line and calling a {@link Listener} with each valid
 * record, each bad line and each new kind of warning. Memory stays bounded by the number of records
 * (12-24 bytes each, for duplicate detection), never by the file size.
 */
public final class DatasetScanner {
    /**
     * @param format       the format to read every record as, or null to take it from the first record
     * @param maxLineBytes lines longer than this are bad lines
     */
    public record Options(RecordFormat format, int maxLineBytes) {
        public static Options defaults() {
            return new Options(null, JsonlReader.DEFAULT_MAX_LINE_BYTES);
        }
    }

    /** Receives what the scan finds, in file order. */
    public interface Listener {
        default void record(long line, Example example, String text) {}

        default void badLine(long line, String reason) {}

        /** Called for the first line that shows each distinct warning. */
        default void warning(long line, String message) {}
    }

    /** What one pass over a file found. */
    public record Summary(Path file, RecordFormat format, long lines, long blankLines, long records,
                          long badLines, long duplicates, long linesWithWarnings) {
        /** One line: file, records, format, bad lines, duplicates, skipped blank lines, warnings. */
        public String describe() {
            StringBuilder sb = new StringBuilder();
            sb.append(file).append(": ").append(records).append(records == 1 ? " record" : " records");
            if (format != null) sb.append(" in ").append(format).append(" format");
            sb.append(", ").append(badLines).append(badLines == 1 ? " bad line" : " bad lines");
            if (duplicates > 0) sb.append(" (").append(duplicates).append(" duplicate").append(duplicates == 1 ? ")" : "s)");
            if (blankLines > 0) sb.append(", ").append(blankLines).append(blankLines == 1 ? " blank line" : " blank lines").append(" skipped");
            if (linesWithWarnings > 0) {
                sb.append(", ").append(linesWithWarnings).append(linesWithWarnings == 1 ? " line" : " lines").append(" with warnings");
            }
            return sb.toString();
        }
    }

    private DatasetScanner() {}

    public static Summary scan(Path file, Options options, Listener listener) throws IOException {
        return scan(file, options, listener, bytes -> {});
    }

    /** The first {@code limit} examples of a JSONL file; bad lines are skipped (a file already validated). */
    public static java.util.List<Example> firstExamples(Path file, int limit) throws IOException {
        java.util.List<Example> out = new java.util.ArrayList<>();
        scan(file, Options.defaults(), new Listener() {
            @Override
            public void record(long line, Example example, String text) {
                if (out.size() < limit) out.add(example);
            }
        });
        return out;
    }

    /** Scans {@code file}; {@code progress} hears the number of bytes read now and then. */
    public static Summary scan(Path file, Options options, Listener listener, LongConsumer progress) throws IOException {
        InputStream in = open(file);
        RecordFormat fileFormat = options.format();
        long formatLine = 0;
        long lines = 0, blank = 0, records = 0, bad = 0, duplicates = 0, warned = 0;
        LongIntHashMap seen = new LongIntHashMap();
        Set<String> warningsShown = new HashSet<>();
        try (JsonlReader reader = new JsonlReader(in, options.maxLineBytes())) {
            for (JsonlReader.Line line; (line = reader.next()) != null; ) {
                lines++;
                if ((lines & 4095) == 0) progress.accept(reader.bytesRead());
                if (line.problem() != null) {
                    bad++;
                    listener.badLine(line.number(), line.problem());
                    continue;
                }
                if (line.isBlank()) {
                    blank++;
                    continue;
                }
                ParsedRecord parsed = RecordParser.parse(line.text(), options.format());
                if (parsed instanceof ParsedRecord.Invalid(String reason)) {
                    bad++;
                    listener.badLine(line.number(), reason);
                    continue;
                }
                var valid = (ParsedRecord.Valid) parsed;
                Example example = valid.example();
                if (fileFormat == null) {
                    fileFormat = example.format();
                    formatLine = line.number();
                } else if (example.format() != fileFormat) {
                    bad++;
                    listener.badLine(line.number(), "mixed formats: this record is " + example.format()
                            + " but the file is " + fileFormat
                            + (formatLine > 0 ? " (from line " + formatLine + ")" : " (--format)"));
                    continue;
                }
                int first = seen.putIfAbsent(Hashing.hash(canonical(example), 0), clampLine(line.number()), -1);
                if (first >= 0) {
                    bad++;
                    duplicates++;
                    listener.badLine(line.number(), "exact duplicate of line " + first);
                    continue;
                }
                if (!valid.warnings().isEmpty()) {
                    warned++;
                    for (String w : valid.warnings()) {
                        if (warningsShown.size() < 1000 && warningsShown.add(w)) listener.warning(line.number(), w);
                    }
                }
                records++;
                listener.record(line.number(), example, line.text());
            }
            progress.accept(reader.bytesRead());
        }
        return new Summary(file, fileFormat, lines, blank, records, bad, duplicates, warned);
    }

    static InputStream open(Path file) throws IOException {
        try {
            if (Files.isDirectory(file)) throw new BadInputException(file + ": is a directory, expected a JSONL file");
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such file");
        }
    }

    private static int clampLine(long line) {
        return (int) Math.min(line, Integer.MAX_VALUE);
    }

    /** The record's content with layout (key order, spacing, escapes) removed, so equal records hash equal. */
    static String canonical(Example e) {
        StringBuilder sb = new StringBuilder();
        sb.append(e.format().id()).append('\u0000');
        if (e.text() != null) sb.append(e.text());
        for (Message m : e.messages()) {
            sb.append(m.role().id()).append(m.train() ? '+' : '-').append(m.content()).append('\u0000');
        }
        if (e.metadata() != null) sb.append(e.metadata());
        return sb.toString();
    }
}
