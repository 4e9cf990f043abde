package dev.tinyforge.cli;

import dev.tinyforge.generate.ChatPrompt;
import dev.tinyforge.generate.Generator;
import dev.tinyforge.generate.constraint.Grammar;
import dev.tinyforge.generate.constraint.JsonGrammar;
import dev.tinyforge.model.LoadedModel;
import dev.tinyforge.model.ModelLoader;
import dev.tinyforge.tokenizer.Tokenizer;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tinyforge generate MODEL --prompt TEXT [--chat] [--json | --schema FILE]}: continues a prompt (or
 * answers it as a chat), streaming the text; with --json or --schema the text is JSON by construction.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Continue a prompt with a model, streaming the text to stdout.",
                "An empty prompt starts from BOS alone. With --chat the prompt is a user message put through",
                "the model's chat template (ChatML if it has none) and only the reply is printed.",
                "With --json the generated text is one JSON object, with --schema FILE a JSON value valid",
                "against that JSON Schema: tokens are constrained as they are sampled, so the output always",
                "parses, unless --max-tokens runs out first (then the exit code is 1).",
                "Timings go to stderr."})
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

    @Option(names = "--chat", description = "Send the prompt as a user message through the chat template.")
    boolean chat;

    @Option(names = {"-s", "--system"}, paramLabel = "TEXT", description = "A system message before the prompt (needs --chat).")
    String system;

    @Option(names = "--json", description = "Generate one JSON object (constrained decoding).")
    boolean json;

    @Option(names = "--schema", paramLabel = "FILE", description = "Generate JSON valid against this JSON Schema file (implies --json).")
    Path schema;

    @Mixin
    SamplingOptions sampling;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ThreadsOption threadsOption;

    @Override
    public Integer call() throws IOException {
        threadsOption.apply();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (maxTokens < 0 || maxTokens > 1_000_000) throw new BadInputException("--max-tokens must be within 0..1000000");
        if (ctx < 1) throw new BadInputException("--ctx must be positive");
        if (system != null && !chat) throw new BadInputException("--system needs --chat");
        // The schema first: a schema we cannot enforce should fail before a model is loaded.
        Grammar grammar = schema != null ? JsonGrammar.fromSchemaFile(schema) : json ? JsonGrammar.anyObject() : null;
        try (LoadedModel loaded = ModelLoader.load(model)) {
            Tokenizer tokenizer = dev.tinyforge.tokenizer.Tokenizers.load(model);
            int[] promptIds;
            Set<Integer> stopIds = new HashSet<>();
            List<String> stopStrings = new ArrayList<>(stops);
            if (chat) {
                ChatPrompt chatPrompt = ChatCommand.chatPrompt(model, tokenizer, err);
                List<Map<String, String>> messages = new ArrayList<>();
                if (system != null) messages.add(Map.of("role", "system", "content", system));
                messages.add(Map.of("role", "user", "content", prompt));
                promptIds = chatPrompt.encode(messages);
                stopIds.addAll(chatPrompt.stopIds());
                stopStrings.addAll(chatPrompt.stopStrings());
            } else {
                promptIds = tokenizer.encode(prompt, true, true);
                if (tokenizer.eos() >= 0) stopIds.add(tokenizer.eos());
                out.print(prompt);
                out.flush();
            }
            if (promptIds.length == 0) {
                if (tokenizer.bos() < 0) {
                    throw new BadInputException("the prompt is empty and the model has no BOS token to start from");
                }
                promptIds = new int[] {tokenizer.bos()};
            }
            var generator = new Generator(loaded.transformer(ctx), tokenizer);
            var result = generator.generate(new Generator.Request(promptIds, sampling.toParams(), maxTokens, stopStrings, stopIds, grammar),
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
            if (grammar != null && (result.reason() == Generator.StopReason.MAX_TOKENS
                    || result.reason() == Generator.StopReason.CONTEXT_FULL || result.reason() == Generator.StopReason.STOP_STRING)) {
                String why = switch (result.reason()) {
                    case MAX_TOKENS -> "--max-tokens ran out";
                    case CONTEXT_FULL -> "the context is full";
                    default -> "a stop string came";
                };
                err.println("error: the JSON is incomplete: " + why + " before the value was complete");
                return Main.FAILED;
            }
        }
        return Main.OK;
    }
}
