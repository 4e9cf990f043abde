package dev.tinyforge.cli;

import dev.tinyforge.export.RandomGguf;
import dev.tinyforge.generate.Benchmark;
import dev.tinyforge.model.LoadedModel;
import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.ModelLoader;
import dev.tinyforge.model.RandomModels;
import dev.tinyforge.model.Transformer;
import dev.tinyforge.model.WeightMatrix;
import dev.tinyforge.quant.FileType;
import dev.tinyforge.tensor.Parallel;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tinyforge bench MODEL}: prompt and generation throughput, printed like llama-bench. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure prompt-processing and generation speed, like llama-bench.",
                "MODEL is an HF folder or GGUF file; --random SHAPE builds a random model of a known shape instead."})
final class BenchCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "MODEL", description = "HF folder or GGUF file.")
    Path model;

    @Option(names = "--random", paramLabel = "SHAPE", description = "smollm2-135m, tiny-19m or qwen2.5-0.5b, random F32 weights.")
    String randomShape;

    @Option(names = "--type", paramLabel = "TYPE", description = {"With --random: write the random model as a GGUF file of this "
            + "type (f32, f16, q8_0, q4_0, q4_k_m, ...; llama-quantize's mixtures), then load it mapped as a user's file is "
            + "loaded, and report load time and time to first token too."})
    String type;

    @Option(names = "--vocab", paramLabel = "FILE.gguf", description = {"With --type: copy the tokenizer of this GGUF file "
            + "(a model or a llama.cpp vocabulary file) into the written model, so that generate, chat and serve can run it; "
            + "its token count must be the shape's vocabulary size."})
    Path vocab;

    @Option(names = "--save", paramLabel = "FILE", description = "With --type: keep the written GGUF file here (default: a temporary file, deleted).")
    Path save;

    @Option(names = {"-p", "--prompt"}, defaultValue = "128", description = "Prompt tokens (default: ${DEFAULT-VALUE}).")
    int promptTokens;

    @Option(names = {"-n", "--gen"}, defaultValue = "32", description = "Generated tokens (default: ${DEFAULT-VALUE}).")
    int genTokens;

    @Option(names = {"-r", "--repetitions"}, defaultValue = "3", description = "Repetitions (default: ${DEFAULT-VALUE}).")
    int repetitions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ThreadsOption threadsOption;

    @Override
    public Integer call() throws IOException {
        threadsOption.apply();
        PrintWriter out = spec.commandLine().getOut();
        if ((model == null) == (randomShape == null)) throw new BadInputException("give either MODEL or --random SHAPE");
        if (promptTokens < 1 || genTokens < 1 || repetitions < 1) {
            throw new BadInputException("--prompt, --gen and --repetitions must be positive");
        }
        if (type != null && randomShape == null) throw new BadInputException("--type needs --random SHAPE (a model file is benched as stored)");
        if ((save != null || vocab != null) && type == null) throw new BadInputException("--save and --vocab need --type");
        Path written = type != null ? writeRandom(out) : null;
        Path source = written != null ? written : model;
        long loadStart = System.nanoTime();
        LoadedModel loaded = source != null ? ModelLoader.load(source) : null;
        try {
            ModelConfig config = loaded != null ? loaded.config() : RandomModels.shape(randomShape);
            int ctx = promptTokens + genTokens + 8;
            Transformer transformer = loaded != null ? loaded.transformer(ctx)
                    : new Transformer(config, RandomModels.weights(config, 1, 0.02), ctx);
            if (source != null) firstToken(out, transformer, loadStart);
            String name = model != null ? model.getFileName().toString()
                    : randomShape + " (random" + (type != null ? ", " + type.toLowerCase(Locale.ROOT) : "") + ")";
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
            if (written != null && save == null) Files.deleteIfExists(written);
        }
        return Main.OK;
    }

    /** Writes the random model of {@code --random} as a GGUF of {@code --type}; returns the file. */
    private Path writeRandom(PrintWriter out) throws IOException {
        FileType fileType = FileType.parse(type);
        Path target = save != null ? save : Files.createTempFile("tinyforge-bench-", ".gguf");
        out.printf(Locale.ROOT, "writing %s as %s to %s ...%n", randomShape, fileType.name().toLowerCase(Locale.ROOT), target);
        out.flush();
        long start = System.nanoTime();
        RandomGguf.write(randomShape, fileType, vocab, 1, target);
        out.printf(Locale.ROOT, "written: %.1f MiB in %.1f s%n", Files.size(target) / 1048576.0, (System.nanoTime() - start) / 1e9);
        return target;
    }

    /** Time from opening the file to the first generated token after a one-token prompt, on a cold JIT. */
    private static void firstToken(PrintWriter out, Transformer transformer, long loadStart) {
        long loaded = System.nanoTime();
        int token = Benchmark.firstToken(transformer);
        long first = System.nanoTime();
        out.printf(Locale.ROOT, "load (map + build): %.0f ms; first token (token %d): %.0f ms after opening the file%n",
                (loaded - loadStart) / 1e6, token, (first - loadStart) / 1e6);
        out.flush();
    }

    private static void row(PrintWriter out, String name, ModelConfig c, TreeSet<String> types, String test,
                            Benchmark.Figures f) {
        out.printf(Locale.ROOT, "| %s | %s | %s | %d | %s | %.2f ± %.2f |%n", name,
                InspectCommand.human(c.parameterCount()).replaceAll(" \\(.*", ""), String.join("+", types),
                Parallel.THREADS, test, f.mean(), f.stddev());
        out.flush();
    }
}
