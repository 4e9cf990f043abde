package dev.tinyforge.cli;

import dev.tinyforge.data.DatasetScanner;
import dev.tinyforge.data.DatasetSplitter;
import dev.tinyforge.data.DatasetStats;
import dev.tinyforge.data.LengthStats;
import dev.tinyforge.data.examples.ExampleDataset;
import dev.tinyforge.data.examples.ExampleDatasets;
import dev.tinyforge.data.examples.ExampleFiles;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tinyforge quickstart}: the main job on the bundled examples. Fine-tuning is not built yet,
 * so today it runs the dataset half of the loop (write, validate, profile, split) and says so.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"Run TinyForge's loop on the bundled example data.",
                "Today this is the dataset pipeline (write, validate, profile, split); fine-tuning,",
                "evaluation and export join it as they are built."})
final class QuickstartCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "runs/quickstart", paramLabel = "DIR",
            description = "Where the run's files go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--dataset", defaultValue = "reminders", paramLabel = "NAME",
            description = "Which bundled dataset to prepare (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--seed", defaultValue = "42", description = "Split seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        ExampleDataset chosen = ExampleDatasets.byName(dataset).orElseThrow(() -> new BadInputException(
                "--dataset: no bundled dataset '" + dataset + "' (choose from "
                        + String.join(", ", ExampleDatasets.all().stream().map(ExampleDataset::name).toList()) + ")"));
        o.println("TinyForge quickstart: " + chosen.description());
        o.println();

        Path examples = out.resolve("examples");
        o.println("1. Writing the bundled example datasets to " + examples);
        var written = ExampleFiles.writeAll(examples, ExampleDatasets.DEFAULT_SEED);
        Path file = examples.resolve(chosen.name() + ".jsonl");

        o.println("2. Validating every line");
        for (ExampleFiles.Written w : written) {
            var summary = DatasetScanner.scan(w.file(), DatasetScanner.Options.defaults(), new DatasetScanner.Listener() {});
            o.println("   " + ValidateCommand.describe(summary));
            if (summary.badLines() > 0) throw new IllegalStateException(w.file() + " has bad lines: the generator is broken");
        }

        o.println("3. Profiling " + file.getFileName());
        var stats = DatasetStats.compute(file, DatasetScanner.Options.defaults(), new DatasetScanner.Listener() {}, b -> {});
        printLengths(o, "prompt", stats.prompt());
        printLengths(o, "completion", stats.completion());

        Path splits = out.resolve("data");
        o.println("4. Splitting into train/val/test (seed " + seed + "), equal inputs kept together");
        var split = DatasetSplitter.split(file, splits, new DatasetSplitter.Options(new double[] {0.8, 0.1, 0.1}, seed,
                DatasetScanner.Options.defaults(), false), new DatasetScanner.Listener() {});
        for (int i = 0; i < split.files().size(); i++) {
            o.printf(Locale.ROOT, "   %-5s %4d records -> %s%n", DatasetSplitter.SPLIT_NAMES.get(i), split.records()[i],
                    split.files().get(i));
        }
        o.println();
        o.println("Done: the data is ready in " + splits + ".");
        o.println("Not yet: fine-tuning (`tinyforge train`), evaluation before/after and GGUF export are still being");
        o.println("built, so this quickstart stops after the dataset pipeline. See README.md, section Status.");
        return Main.OK;
    }

    private static void printLengths(PrintWriter o, String name, LengthStats.Summary s) {
        o.printf(Locale.ROOT, "   %-10s chars: min %d, mean %.1f, p50 %d, p95 %d, max %d%n", name, s.min(), s.mean(),
                s.p50(), s.p95(), s.max());
    }
}
