package dev.tinyforge.cli;

import dev.tinyforge.generate.Perplexity;
import dev.tinyforge.model.LoadedModel;
import dev.tinyforge.model.ModelLoader;
import dev.tinyforge.tokenizer.Tokenizer;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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

/** {@code tinyforge perplexity MODEL --file TEXT}: perplexity computed and printed as llama-perplexity does. */
@Command(name = "perplexity", mixinStandardHelpOptions = true,
        description = {"Perplexity of a model on a text file, computed as llama-perplexity does.",
                "Non-overlapping chunks of --ctx tokens, each starting with BOS; the second half of each is scored."})
final class PerplexityCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "HF folder or GGUF file.")
    Path model;

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "TEXT", description = "The text file.")
    Path file;

    @Option(names = {"-c", "--ctx"}, defaultValue = "512", description = "Chunk size in tokens (default: ${DEFAULT-VALUE}).")
    int ctx;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ThreadsOption threadsOption;

    @Override
    public Integer call() throws IOException {
        threadsOption.apply();
        PrintWriter out = spec.commandLine().getOut();
        if (ctx < 4) throw new BadInputException("--ctx must be at least 4");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new BadInputException(file + ": not valid UTF-8");
        }
        // llama.cpp's file reading drops one trailing newline.
        if (text.endsWith("\n")) text = text.substring(0, text.length() - 1);
        try (LoadedModel loaded = ModelLoader.load(model)) {
            Tokenizer tokenizer = dev.tinyforge.tokenizer.Tokenizers.load(model);
            int[] tokens = tokenizer.encode(text, true, false);
            if (ctx > loaded.config().contextLength()) {
                throw new BadInputException("--ctx " + ctx + " exceeds the model's context of " + loaded.config().contextLength());
            }
            int chunks = tokens.length / ctx;
            out.printf(Locale.ROOT, "perplexity: %d tokens, calculating perplexity over %d chunks, n_ctx=%d%n",
                    tokens.length, chunks, ctx);
            long start = System.nanoTime();
            var result = Perplexity.compute(loaded.transformer(ctx), tokens, ctx, tokenizer.bos(), c -> {});
            for (int c = 0; c < result.runningEstimates().length; c++) {
                out.printf(Locale.ROOT, "[%d]%.4f,", c + 1, result.runningEstimates()[c]);
            }
            out.println();
            out.printf(Locale.ROOT, "Final estimate: PPL = %.4f +/- %.5f%n", result.perplexity(), result.uncertainty());
            spec.commandLine().getErr().printf(Locale.ROOT, "%d scored tokens, %.1f s%n", result.scoredTokens(),
                    (System.nanoTime() - start) / 1e9);
        }
        return Main.OK;
    }
}
