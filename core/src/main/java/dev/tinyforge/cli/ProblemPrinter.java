package dev.tinyforge.cli;

import dev.tinyforge.data.DatasetScanner;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Prints each bad line and first-seen warning of a scan as one {@code file:line: reason} line on stderr. */
class ProblemPrinter implements DatasetScanner.Listener {
    private final PrintWriter err;
    private final Path file;
    private final String badLinePrefix;

    /** @param badLinesAreErrors whether bad lines are printed as errors (else as warnings) */
    ProblemPrinter(PrintWriter err, Path file, boolean badLinesAreErrors) {
        this.err = err;
        this.file = file;
        this.badLinePrefix = badLinesAreErrors ? "error: " : "warning: ";
    }

    @Override
    public void badLine(long line, String reason) {
        err.println(badLinePrefix + file + ":" + line + ": " + reason);
    }

    @Override
    public void warning(long line, String message) {
        err.println("warning: " + file + ":" + line + ": " + message);
    }
}
