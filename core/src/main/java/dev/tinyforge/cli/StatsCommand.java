package dev.tinyforge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tinyforge.data.DatasetStats;
import dev.tinyforge.data.LengthStats;
import dev.tinyforge.util.BadInputException;
import dev.tinyforge.util.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tinyforge data stats FILE}: record counts and length distributions. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Show record counts and prompt/completion length distributions.",
                "Lengths are in characters (Unicode code points). Bad lines are skipped with a warning;",
                "'data validate' lists them."})
final class StatsCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The JSONL file to describe.")
    Path file;

    @Mixin
    ScanOptions scan;

    @Option(names = "--json", description = "Print the figures as one JSON object on stdout.")
    boolean json;

    @Option(names = "--tokenizer", paramLabel = "MODEL",
            description = "Also count tokens with this model's tokenizer (HF folder, tokenizer.json or GGUF).")
    Path tokenizer;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DatasetStats.Result result;
        try (Progress progress = Progress.onStderr("stats " + file.getFileName(), "MB", Files.size(file) >> 20)) {
            var counter = tokenizer == null ? null : dev.tinyforge.tokenizer.Tokenizers.load(tokenizer);
            result = DatasetStats.compute(file, scan.toOptions(), new dev.tinyforge.data.DatasetScanner.Listener() {},
                    bytes -> progress.update(bytes >> 20),
                    counter == null ? null : text -> counter.encode(text, false, false).length);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such file");
        }
        if (result.scan().records() == 0) throw new BadInputException(file + ": no valid records");
        long bad = result.scan().badLines();
        if (bad > 0) {
            err.println("warning: " + file + ": " + bad + (bad == 1 ? " bad line was" : " bad lines were")
                    + " left out; 'tinyforge data validate " + file + "' lists them");
        }
        if (json) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = mapper.createObjectNode();
            root.put("file", file.toString());
            root.put("format", result.scan().format().id());
            root.put("records", result.scan().records());
            root.put("duplicates", result.scan().duplicates());
            root.put("bad_lines", result.scan().badLines());
            root.set("prompt_chars", mapper.valueToTree(result.prompt()));
            root.set("completion_chars", mapper.valueToTree(result.completion()));
            root.set("messages", mapper.valueToTree(result.turns()));
            if (result.promptTokens() != null) {
                root.set("prompt_tokens", mapper.valueToTree(result.promptTokens()));
                root.set("completion_tokens", mapper.valueToTree(result.completionTokens()));
            }
            out.println(mapper.writeValueAsString(root));
        } else {
            var s = result.scan();
            out.printf(Locale.ROOT, "file        %s%n", file);
            out.printf(Locale.ROOT, "format      %s%n", s.format());
            out.printf(Locale.ROOT, "records     %d%n", s.records());
            out.printf(Locale.ROOT, "duplicates  %d%n", s.duplicates());
            out.printf(Locale.ROOT, "bad lines   %d%n", s.badLines());
            out.printf(Locale.ROOT, "%n%-18s %8s %10s %8s %8s %8s%n", "length (chars)", "min", "mean", "p50", "p95", "max");
            row(out, "prompt", result.prompt());
            row(out, "completion", result.completion());
            if (result.promptTokens() != null) {
                out.printf(Locale.ROOT, "%n%-18s %8s %10s %8s %8s %8s%n", "length (tokens)", "min", "mean", "p50", "p95", "max");
                row(out, "prompt", result.promptTokens());
                row(out, "completion", result.completionTokens());
            }
            if (s.format() != dev.tinyforge.data.RecordFormat.TEXT) {
                out.printf(Locale.ROOT, "%n%-18s %8s %10s %8s %8s %8s%n", "turns", "min", "mean", "p50", "p95", "max");
                row(out, "messages", result.turns());
            }
        }
        return Main.OK;
    }

    private static void row(PrintWriter out, String name, LengthStats.Summary s) {
        out.printf(Locale.ROOT, "%-18s %8d %10.1f %8d %8d %8d%n", name, s.min(), s.mean(), s.p50(), s.p95(), s.max());
    }
}
