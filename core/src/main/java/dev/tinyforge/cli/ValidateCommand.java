package dev.tinyforge.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tinyforge.data.DatasetScanner;
import dev.tinyforge.util.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tinyforge data validate FILE}: reports every bad line of a dataset, then a summary. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check every line of a JSONL dataset; report each bad one.",
                "Each bad line is printed as FILE:LINE: reason, then a summary.",
                "Exit code 2 when any line is bad (unless --allow-errors)."})
final class ValidateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The JSONL file to check.")
    Path file;

    @Mixin
    ScanOptions scan;

    @Option(names = "--allow-errors", description = "Report bad lines as warnings and exit 0.")
    boolean allowErrors;

    @Option(names = "--json", description = "Print the report as one JSON object on stdout.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DatasetScanner.Summary summary;
        try (Progress progress = Progress.onStderr("validate " + file.getFileName(), "MB", Files.size(file) >> 20)) {
            if (json) {
                summary = scanToJson(out, progress);
            } else {
                summary = DatasetScanner.scan(file, scan.toOptions(), new ProblemPrinter(err, file, !allowErrors),
                        bytes -> progress.update(bytes >> 20));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new dev.tinyforge.util.BadInputException(file + ": no such file");
        }
        if (!json) out.println(summary.describe());
        boolean failed = summary.badLines() > 0 && !allowErrors;
        if (summary.records() == 0) {
            err.println("error: " + file + ": no valid records");
            return Main.BAD_INPUT;
        }
        return failed ? Main.BAD_INPUT : Main.OK;
    }

    /** Streams the bad lines into a JSON array as they are found, so the report needs no memory per error. */
    private DatasetScanner.Summary scanToJson(PrintWriter out, Progress progress) throws IOException {
        JsonGenerator gen = new JsonFactory().createGenerator(out);
        gen.useDefaultPrettyPrinter();
        gen.writeStartObject();
        gen.writeStringField("file", file.toString());
        gen.writeArrayFieldStart("problems");
        DatasetScanner.Summary s = DatasetScanner.scan(file, scan.toOptions(), new DatasetScanner.Listener() {
            @Override
            public void badLine(long line, String reason) {
                write(line, allowErrors ? "warning" : "error", reason);
            }

            @Override
            public void warning(long line, String message) {
                write(line, "warning", message);
            }

            private void write(long line, String level, String message) {
                try {
                    gen.writeStartObject();
                    gen.writeNumberField("line", line);
                    gen.writeStringField("level", level);
                    gen.writeStringField("message", message);
                    gen.writeEndObject();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }, bytes -> progress.update(bytes >> 20));
        gen.writeEndArray();
        gen.writeStringField("format", s.format() == null ? null : s.format().id());
        gen.writeNumberField("lines", s.lines());
        gen.writeNumberField("records", s.records());
        gen.writeNumberField("bad_lines", s.badLines());
        gen.writeNumberField("duplicates", s.duplicates());
        gen.writeNumberField("blank_lines", s.blankLines());
        gen.writeNumberField("lines_with_warnings", s.linesWithWarnings());
        gen.writeBooleanField("valid", s.badLines() == 0 && s.records() > 0);
        gen.writeEndObject();
        gen.flush();
        out.println();
        return s;
    }
}
