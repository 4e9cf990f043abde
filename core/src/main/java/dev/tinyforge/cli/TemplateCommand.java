package dev.tinyforge.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.tokenizer.Tokenizer;
import dev.tinyforge.tokenizer.template.ChatTemplate;
import dev.tinyforge.tokenizer.template.ChatTemplateFiles;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tinyforge template FILE|MODEL --messages FILE.json}: prints the prompt a chat template makes of
 * a conversation, exactly (no newline is added), as HF transformers and llama.cpp would build it.
 */
@Command(name = "template", mixinStandardHelpOptions = true,
        description = {"Render a chat template for a conversation and print the prompt exactly.",
                "FILE is a .jinja file or a tokenizer_config.json with a chat_template field; MODEL is an HF",
                "folder or a GGUF file, whose template is used (ChatML if it has none) and whose tokenizer",
                "gives the BOS and EOS texts unless --bos/--eos are set.",
                "The messages file holds a JSON array of {role, content}, or an object with",
                "\"messages\" and further template variables (\"tools\", \"enable_thinking\" ...)."})
final class TemplateCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(paramLabel = "FILE|MODEL", description = "The chat template (.jinja, tokenizer_config.json) or a model.")
    Path templateFile;

    @Option(names = "--messages", required = true, paramLabel = "FILE", description = "The conversation as JSON.")
    Path messagesFile;

    @Option(names = "--add-generation-prompt", description = "End with the start of an assistant turn.")
    boolean addGenerationPrompt;

    @Option(names = "--bos", paramLabel = "S", description = "The BOS token text (undefined if not given).")
    String bos;

    @Option(names = "--eos", paramLabel = "S", description = "The EOS token text (undefined if not given).")
    String eos;

    @Option(names = "--var", paramLabel = "NAME=JSON",
            description = "Another template variable; the value is JSON, or else taken as a string. Repeatable.")
    Map<String, String> variables = new LinkedHashMap<>();

    @Option(names = "--merge-system-role",
            description = "If the template ignores or refuses system messages, merge them into the next user"
                    + " message as llama.cpp does.")
    boolean mergeSystemRole;

    @Option(names = "--now", paramLabel = "INSTANT",
            description = "The time strftime_now() sees, e.g. 2025-03-05T12:00:00Z (default: the clock, local time).")
    String now;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ChatTemplate template = isModel(templateFile) ? modelTemplate(templateFile) : ChatTemplateFiles.load(templateFile);
        if (now != null) template = template.withClock(fixedClock(now));
        Map<String, Object> extras = new LinkedHashMap<>();
        List<Map<String, Object>> messages = readMessages(extras);
        variables.forEach((name, value) -> extras.put(name, parseVariable(value)));
        if (mergeSystemRole) messages = template.adaptMessages(messages);
        String prompt;
        try {
            prompt = template.render(messages, addGenerationPrompt, bos, eos, extras);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(messagesFile + ": " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(prompt);
        out.flush();
        return Main.OK;
    }

    /** A folder or a GGUF file is a model; anything else is read as a template file. */
    private static boolean isModel(Path path) {
        return Files.isDirectory(path) || path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gguf");
    }

    /** The model's template (ChatML, with a note, when it has none); fills in --bos/--eos from its tokenizer. */
    private ChatTemplate modelTemplate(Path model) throws IOException {
        Optional<ChatTemplate> template = ChatTemplateFiles.fromModel(model);
        if (template.isEmpty()) spec.commandLine().getErr().println("note: " + model + " has no chat template; using ChatML");
        // GGUF tokenizers are not read yet; there --bos/--eos stay as given.
        if (Files.isRegularFile(model.resolve("tokenizer.json")) || Files.isRegularFile(model.resolve("tokenizer.json.gz"))) {
            Tokenizer tokenizer = dev.tinyforge.tokenizer.Tokenizers.load(model);
            if (bos == null && tokenizer.bos() >= 0) bos = tokenizer.piece(tokenizer.bos());
            if (eos == null && tokenizer.eos() >= 0) eos = tokenizer.piece(tokenizer.eos());
        }
        return template.orElse(ChatTemplate.CHATML);
    }

    /** The messages, and any other top-level fields of an object-form file into {@code extras}. */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> readMessages(Map<String, Object> extras) {
        Object root;
        try {
            root = JSON.readValue(messagesFile.toFile(), Object.class);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new BadInputException(messagesFile + ": invalid JSON" + where + ": " + e.getOriginalMessage());
        } catch (NoSuchFileException e) {
            throw new BadInputException(messagesFile + ": no such file");
        } catch (IOException e) {
            throw new BadInputException(messagesFile + ": cannot read: " + e.getMessage());
        }
        Object messages = root;
        if (root instanceof Map<?, ?> map) {
            messages = map.get("messages");
            map.forEach((k, v) -> {
                if (!"messages".equals(k)) extras.put((String) k, v);
            });
        }
        if (!(messages instanceof List<?> list) || !list.stream().allMatch(m -> m instanceof Map)) {
            throw new BadInputException(messagesFile
                    + ": expected a JSON array of messages, or an object with a \"messages\" array");
        }
        return (List<Map<String, Object>>) list;
    }

    private static Object parseVariable(String value) {
        try {
            return JSON.readValue(value, Object.class);
        } catch (JacksonException e) {
            return value; // not JSON: a plain string, so --var name=Alice works without quotes
        }
    }

    private static Clock fixedClock(String instant) {
        try {
            return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new BadInputException("--now: expected an ISO-8601 instant such as 2025-03-05T12:00:00Z, got " + instant);
        }
    }
}
