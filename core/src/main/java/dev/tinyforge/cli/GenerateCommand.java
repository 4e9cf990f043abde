package dev.tinyforge.cli;

import dev.tinyforge.generate.Generator;
import dev.tinyforge.model.LoadedModel;
import dev.tinyforge.model.ModelLoader;
import dev.tinyforge.tokenizer.Tokenizer;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tinyforge generate MODEL --prompt TEXT}: continues a prompt, streaming the text. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Continue a prompt with a model, streaming the text to stdout.",
                "An empty prompt starts from BOS alone. Timings go to stderr."})
final class GenerateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "HF folder or GGUF file.")
    Path model;

    @Option(names = {"-p", "--prompt"}, defaultValue = "", description = "The prompt (default: empty).")
    String prompt;

    @Option(names = {"-n", "--max-tokens"}, defaultValue = "128", description = "Most tokens to generate (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--ctx", defaultValue = "4096", description = "Context size, capped by the model's (default: ${DEFAULT-VALUE}).")
    int ctx;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop when this text appears (repeatable).")
    List<String> stops = List.of();

    @Option(names = "--ids", description = "Also print the generated token ids.")
    boolean ids;

    @Mixin
    SamplingOptions sampling;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (maxTokens < 0 || maxTokens > 1_000_000) throw new BadInputException("--max-tokens must be within 0..1000000");
        if (ctx < 1) throw new BadInputException("--ctx must be positive");
        try (LoadedModel loaded = ModelLoader.load(model)) {
            Tokenizer tokenizer = TokenizerFiles.load(model);
            int[] promptIds = tokenizer.encode(prompt, true, true);
            if (promptIds.length == 0) {
                if (tokenizer.bos() < 0) {
                    throw new BadInputException("the prompt is empty and the model has no BOS token to start from");
                }
                promptIds = new int[] {tokenizer.bos()};
            }
            Set<Integer> stopIds = new HashSet<>();
            if (tokenizer.eos() >= 0) stopIds.add(tokenizer.eos());
            var generator = new Generator(loaded.transformer(ctx), tokenizer);
            out.print(prompt);
            out.flush();
            var result = generator.generate(new Generator.Request(promptIds, sampling.toParams(), maxTokens, stops, stopIds),
                    text -> {
                        out.print(text);
                        out.flush();
                    });
            out.println();
            if (ids) {
                StringBuilder line = new StringBuilder("ids:");
                for (int id : result.ids()) line.append(' ').append(id);
                out.println(line);
            }
            err.printf(Locale.ROOT, "prompt %d tokens (%.1f tokens/s), generated %d tokens (%.1f tokens/s), stop: %s%n",
                    result.promptTokens(), result.promptTokensPerSecond(), result.ids().length,
                    result.generatedTokensPerSecond(), result.reason().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        }
        return Main.OK;
    }
}
