package dev.tinyforge.cli;

import dev.tinyforge.data.DatasetScanner;
import dev.tinyforge.data.JsonlReader;
import dev.tinyforge.data.RecordFormat;
import picocli.CommandLine.Option;

/** The options every command that reads a JSONL dataset shares. */
final class ScanOptions {
    @Option(names = "--format", paramLabel = "FORMAT",
            description = "Read every record as this format instead of detecting it: io, alpaca, prompt-completion, messages, text.")
    String format;

    @Option(names = "--max-line-bytes", paramLabel = "N", defaultValue = "" + JsonlReader.DEFAULT_MAX_LINE_BYTES,
            description = "Lines longer than this are bad lines (default: ${DEFAULT-VALUE}).")
    int maxLineBytes;

    DatasetScanner.Options toOptions() {
        if (maxLineBytes < 1) throw new dev.tinyforge.util.BadInputException("--max-line-bytes must be positive");
        return new DatasetScanner.Options(format == null ? null : RecordFormat.fromId(format), maxLineBytes);
    }
}
