package dev.tinyforge.cli;

import dev.tinyforge.data.DatasetSplitter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tinyforge data split FILE --out DIR}: deterministic train/val/test files without leakage. */
@Command(name = "split", mixinStandardHelpOptions = true,
        description = {"Split a dataset into train/val/test files, deterministically by seed.",
                "Writes train.jsonl, val.jsonl and test.jsonl. Records with the same input (after whitespace",
                "normalisation) always land in the same split, so held-out figures are honest."})
final class SplitCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The JSONL file to split.")
    Path file;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the split files.")
    Path out;

    @Option(names = "--ratios", defaultValue = "0.8,0.1,0.1", paramLabel = "TRAIN,VAL[,TEST]",
            description = "Shares of the records per split (default: ${DEFAULT-VALUE}).")
    String ratios;

    @Option(names = "--seed", defaultValue = "42", description = "Shuffle seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--allow-errors", description = "Leave bad lines out (with a warning) instead of failing.")
    boolean allowErrors;

    @Mixin
    ScanOptions scan;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        var options = new DatasetSplitter.Options(DatasetSplitter.Options.parseRatios(ratios), seed, scan.toOptions(),
                allowErrors);
        var result = DatasetSplitter.split(file, out, options,
                new ProblemPrinter(spec.commandLine().getErr(), file, !allowErrors));
        print(stdout, result, seed);
        return Main.OK;
    }

    static void print(PrintWriter out, DatasetSplitter.Result result, long seed) {
        for (int i = 0; i < result.files().size(); i++) {
            out.printf("%-6s %7d records (%d distinct inputs) -> %s%n", DatasetSplitter.SPLIT_NAMES.get(i),
                    result.records()[i], result.groups()[i], result.files().get(i));
        }
        out.printf("split %d %s records with seed %d%n", result.total(), result.scan().format(), seed);
    }
}
