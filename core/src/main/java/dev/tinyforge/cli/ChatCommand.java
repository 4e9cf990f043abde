package dev.tinyforge.cli;

import dev.tinyforge.generate.ChatPrompt;
import dev.tinyforge.generate.ChatSession;
import dev.tinyforge.model.LoadedModel;
import dev.tinyforge.model.ModelLoader;
import dev.tinyforge.tokenizer.Tokenizer;
import dev.tinyforge.tokenizer.template.ChatTemplateFiles;
import dev.tinyforge.util.BadInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tinyforge chat MODEL}: a conversation on stdin/stdout through the model's chat template. */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = {"Chat with a model: each line on stdin is a user message; replies stream to stdout.",
                "The conversation is kept and rendered through the model's chat template (ChatML if it has none).",
                "/reset clears the conversation, /exit or end of input ends. A line ending in \\ continues on the next."})
final class ChatCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "HF folder or GGUF file.")
    Path model;

    @Option(names = {"-s", "--system"}, paramLabel = "TEXT", description = "A system prompt for the conversation.")
    String system;

    @Option(names = {"-n", "--max-tokens"}, defaultValue = "512", description = "Most tokens per reply (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--ctx", defaultValue = "4096", description = "Context size, capped by the model's (default: ${DEFAULT-VALUE}).")
    int ctx;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Also end a reply when this text appears (repeatable).")
    List<String> stops = List.of();

    @Mixin
    SamplingOptions sampling;

    @CommandLine.ParentCommand
    Main main;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ThreadsOption threadsOption;

    @Override
    public Integer call() throws IOException {
        threadsOption.apply();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (maxTokens < 1 || maxTokens > 1_000_000) throw new BadInputException("--max-tokens must be within 1..1000000");
        if (ctx < 1) throw new BadInputException("--ctx must be positive");
        var params = sampling.toParams();
        // A person at a terminal gets a prompt marker and may fix a failed turn; a script gets neither.
        boolean terminal = main.in == System.in && System.console() != null && System.console().isTerminal();
        try (LoadedModel loaded = ModelLoader.load(model)) {
            Tokenizer tokenizer = dev.tinyforge.tokenizer.Tokenizers.load(model);
            var session = new ChatSession(loaded.transformer(ctx), tokenizer, chatPrompt(model, tokenizer, err), system);
            var in = new BufferedReader(new InputStreamReader(main.in, StandardCharsets.UTF_8));
            String line;
            while ((line = readMessage(in, out, terminal)) != null) {
                String command = line.strip();
                if (command.equals("/exit")) break;
                if (command.equals("/reset")) {
                    session.reset();
                    if (terminal) err.println("(conversation cleared)");
                    continue;
                }
                if (command.isEmpty()) continue;
                try {
                    session.send(line, params, maxTokens, stops, text -> {
                        out.print(text);
                        out.flush();
                    });
                    out.println();
                    out.flush();
                } catch (BadInputException e) {
                    if (!terminal) throw e;
                    err.println("error: " + e.getMessage());
                }
            }
        }
        return Main.OK;
    }

    /** The next user message, or null at end of input; lines ending in a backslash join the next line. */
    private static String readMessage(BufferedReader in, PrintWriter out, boolean terminal) throws IOException {
        StringBuilder message = new StringBuilder();
        while (true) {
            if (terminal) {
                out.print(message.isEmpty() ? "> " : ". ");
                out.flush();
            }
            String line = in.readLine();
            if (line == null) return message.isEmpty() ? null : message.toString();
            if (!line.endsWith("\\")) return message.append(line).toString();
            message.append(line, 0, line.length() - 1).append('\n');
        }
    }

    /** The model's chat prompt; when it has no template, ChatML, and the user is told so once. */
    static ChatPrompt chatPrompt(Path model, Tokenizer tokenizer, PrintWriter err) throws IOException {
        ChatPrompt prompt = ChatPrompt.of(ChatTemplateFiles.fromModel(model).orElse(null), tokenizer);
        if (prompt.isFallback()) err.println("note: " + model + " has no chat template; using ChatML");
        return prompt;
    }
}
