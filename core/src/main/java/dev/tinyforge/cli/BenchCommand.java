package dev.tinyforge.cli;

import dev.tinyforge.generate.Benchmark;
import dev.tinyforge.model.LoadedModel;
import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.ModelLoader;
import dev.tinyforge.model.RandomModels;
import dev.tinyforge.model.Transformer;
import dev.tinyforge.model.WeightMatrix;
import dev.tinyforge.tensor.Parallel;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tinyforge bench MODEL}: prompt and generation throughput, printed like llama-bench. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure prompt-processing and generation speed, like llama-bench.",
                "MODEL is an HF folder or GGUF file; --random SHAPE builds a random model of a known shape instead.",
                "Threads: set TINYFORGE_JAVA_OPTS=-Dtinyforge.threads=N (default: all cores)."})
final class BenchCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "MODEL", description = "HF folder or GGUF file.")
    Path model;

    @Option(names = "--random", paramLabel = "SHAPE", description = "smollm2-135m, tiny-19m or qwen2.5-0.5b, random F32 weights.")
    String randomShape;

    @Option(names = {"-p", "--prompt"}, defaultValue = "128", description = "Prompt tokens (default: ${DEFAULT-VALUE}).")
    int promptTokens;

    @Option(names = {"-n", "--gen"}, defaultValue = "32", description = "Generated tokens (default: ${DEFAULT-VALUE}).")
    int genTokens;

    @Option(names = {"-r", "--repetitions"}, defaultValue = "3", description = "Repetitions (default: ${DEFAULT-VALUE}).")
    int repetitions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if ((model == null) == (randomShape == null)) throw new BadInputException("give either MODEL or --random SHAPE");
        if (promptTokens < 1 || genTokens < 1 || repetitions < 1) {
            throw new BadInputException("--prompt, --gen and --repetitions must be positive");
        }
        LoadedModel loaded = model != null ? ModelLoader.load(model) : null;
        try {
            ModelConfig config = loaded != null ? loaded.config() : RandomModels.shape(randomShape);
            int ctx = promptTokens + genTokens + 8;
            Transformer transformer = loaded != null ? loaded.transformer(ctx)
                    : new Transformer(config, RandomModels.weights(config, 1, 0.02), ctx);
            String name = model != null ? model.getFileName().toString() : randomShape + " (random)";
            TreeSet<String> types = new TreeSet<>();
            transformer.weights().layers().forEach(l -> {
                for (WeightMatrix m : new WeightMatrix[] {l.query(), l.key(), l.value(), l.output(), l.gate(), l.up(), l.down()}) {
                    types.add(m.typeName());
                }
            });
            out.println("| model | params | weights | threads | test | t/s |");
            out.println("| --- | ---: | --- | ---: | --- | ---: |");
            var pp = Benchmark.prompt(transformer, promptTokens, repetitions);
            row(out, name, config, types, "pp" + promptTokens, pp);
            var tg = Benchmark.generation(transformer, genTokens, repetitions);
            row(out, name, config, types, "tg" + genTokens, tg);
        } finally {
            if (loaded != null) loaded.close();
        }
        return Main.OK;
    }

    private static void row(PrintWriter out, String name, ModelConfig c, TreeSet<String> types, String test,
                            Benchmark.Figures f) {
        out.printf(Locale.ROOT, "| %s | %s | %s | %d | %s | %.2f ± %.2f |%n", name,
                InspectCommand.human(c.parameterCount()).replaceAll(" \\(.*", ""), String.join("+", types),
                Parallel.THREADS, test, f.mean(), f.stddev());
        out.flush();
    }
}
