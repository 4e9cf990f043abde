package dev.tinyforge.cli;

import dev.tinyforge.data.examples.ExampleDatasets;
import dev.tinyforge.data.examples.ExampleFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tinyforge data examples --out DIR}: writes the bundled example datasets. */
@Command(name = "examples", mixinStandardHelpOptions = true,
        description = {"Write the bundled example datasets, one per use case.",
                "Generated from a seed: the default seed gives the files in the repository's examples/ folder."})
final class ExamplesCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the files.")
    Path out;

    @Option(names = "--seed", description = "Generator seed (default: ${DEFAULT-VALUE}).")
    long seed = ExampleDatasets.DEFAULT_SEED;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        for (ExampleFiles.Written w : ExampleFiles.writeAll(out, seed)) {
            stdout.printf("%-16s %4d %-18s %s%n", w.file().getFileName(), w.records(), w.dataset().format().id(),
                    w.dataset().description());
        }
        stdout.println("wrote " + ExampleDatasets.all().size() + " datasets and README.md to " + out);
        return Main.OK;
    }
}
