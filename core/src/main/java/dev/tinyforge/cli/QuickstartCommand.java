package dev.tinyforge.cli;

import dev.tinyforge.eval.ExactMatch;
import dev.tinyforge.quickstart.Quickstart;
import dev.tinyforge.util.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tinyforge quickstart}: runs {@link Quickstart} and prints where its artifacts are and what to try next. */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"Run TinyForge's loop offline on the bundled example data.",
                "Prepares the data, measures exact match on held-out examples, fine-tunes, measures again.",
                "Without --base it trains the built-in tiny model (Llama architecture, ~1 M parameters, weights",
                "from a seed: no pretrained weights ship) over a BPE vocabulary learned from the training split;",
                "--base MODEL fine-tunes that model with LoRA instead. The last lines show how to export the result."})
final class QuickstartCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "runs/quickstart", paramLabel = "DIR",
            description = "Where the run's files go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--dataset", defaultValue = "reminders", paramLabel = "NAME",
            description = "Which bundled dataset to prepare (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the split, the model and training (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--base", paramLabel = "MODEL", description = "Fine-tune this model (HF folder or GGUF) with LoRA instead of the built-in one.")
    Path base;

    @Option(names = "--epochs", description = "Training epochs (default: 5 for the built-in model, 3 with --base).")
    Integer epochs;

    @Option(names = "--train-size", defaultValue = "4000",
            description = "For the built-in model on reminders: train on this many generated reminders, none of them "
                    + "among the held-out inputs (default: ${DEFAULT-VALUE}; 0 trains on the split's train file).")
    int trainSize;

    @Option(names = "--eval-limit", defaultValue = "60", description = "Held-out examples to score (default: ${DEFAULT-VALUE}).")
    int evalLimit;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        long start = System.nanoTime();
        var options = new Quickstart.Options(out, dataset, seed, base, epochs, trainSize, evalLimit);
        Path runDir = out.resolve("run");
        var reporter = new TrainingReporter(o, spec.commandLine().getErr(), "   ", 10, Quickstart.MAX_LENGTH);
        Quickstart.Result r = Quickstart.run(options, line -> {
            o.println(line);
            o.flush();
        }, reporter);
        reporter.writePlot(runDir.resolve("loss.png"));
        o.println();
        for (ExactMatch.Sample sample : r.after().samples().subList(0, Math.min(5, r.after().samples().size()))) {
            o.printf("   %s %s%n      -> %s%n", sample.match() ? "ok  " : "miss", sample.prompt().strip(), sample.actual());
        }
        o.println();
        o.println("Done in " + Progress.formatDuration((System.nanoTime() - start) / 1e9) + ". Artifacts:");
        o.println("   data:   " + r.splits());
        o.println("   model:  " + runDir + (r.builtIn() ? " (HF folder: config.json, model.safetensors, tokenizer)"
                : " (PEFT adapter for " + r.model() + ")"));
        o.println("   curves: " + runDir.resolve("loss.png") + ", " + runDir.resolve("logs/metrics.csv"));
        Path served = r.builtIn() ? runDir : r.model();
        o.println("Try it:  ./tinyforge generate " + served + " -p $'remind me to water the plants tomorrow at 6\\n' --temperature 0");
        o.println("Export:  ./tinyforge export " + runDir + " --out " + out.resolve("model.gguf") + " --type q4_k_m --modelfile"
                + (r.builtIn() ? "" : " (merges the LoRA adapter)"));
        o.println("Serve:   ./tinyforge serve " + (r.builtIn() ? runDir : r.model() + " --adapter " + runDir)
                + "   then   curl -s localhost:8080/predict -d '{\"text\": \"remind me to call mom at 5\"}'");
        return Main.OK;
    }
}
