package dev.tinyforge.tokenizer.template;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.io.gguf.GgufFile;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads a chat template from a file: a plain {@code .jinja} file, or an HF {@code tokenizer_config.json}
 * whose {@code chat_template} is a string or a list of {@code {name, template}} (the "default" one is used).
 * Errors name the file. {@link #fromModel} finds the template a model ships with.
 */
public final class ChatTemplateFiles {
    private ChatTemplateFiles() {}

    public static ChatTemplate load(Path file) {
        String text = readUtf8(file);
        String source = file.getFileName().toString().endsWith(".json") ? fromTokenizerConfig(file, text) : text;
        return ChatTemplate.parse(source, file.toString());
    }

    /** A template's text as a model ships it, and where it came from (for error messages). */
    public record ModelTemplate(String source, String name) {}

    /**
     * The template of a model: for an HF folder, {@code chat_template} in {@code tokenizer_config.json},
     * else a {@code chat_template.jinja} beside it; for a GGUF file, {@code tokenizer.chat_template}.
     * Empty when the model has none (the caller decides on a fallback such as {@link ChatTemplate#CHATML}).
     * Only the template is read: a tokenizer-only folder or a vocab-only GGUF works too.
     */
    public static Optional<ChatTemplate> fromModel(Path model) throws IOException {
        return findInModel(model).map(t -> ChatTemplate.parse(t.source(), t.name()));
    }

    /** As {@link #fromModel}, without parsing: the text is reported even if the renderer would refuse it. */
    public static Optional<ModelTemplate> findInModel(Path model) throws IOException {
        if (Files.isDirectory(model)) {
            Path config = model.resolve("tokenizer_config.json");
            if (Files.isRegularFile(config)) {
                String text = readUtf8(config);
                if (hasChatTemplate(config, text)) {
                    return Optional.of(new ModelTemplate(fromTokenizerConfig(config, text), config.toString()));
                }
            }
            Path jinja = model.resolve("chat_template.jinja");
            return Files.isRegularFile(jinja) ? Optional.of(new ModelTemplate(readUtf8(jinja), jinja.toString()))
                    : Optional.empty();
        }
        if (!Files.exists(model)) throw new BadInputException(model + ": no such file or folder");
        try (GgufFile gguf = GgufFile.open(model)) {
            String source = gguf.metadata().getString("tokenizer.chat_template", null);
            return Optional.ofNullable(source).map(text -> new ModelTemplate(text, model + " (tokenizer.chat_template)"));
        }
    }

    private static boolean hasChatTemplate(Path file, String json) {
        JsonNode template = readJson(file, json).get("chat_template");
        return template != null && !template.isNull();
    }

    private static JsonNode readJson(Path file, String json) {
        try {
            JsonNode root = new ObjectMapper().readTree(json);
            if (root == null || !root.isObject()) throw new BadInputException(file + ": expected a JSON object");
            return root;
        } catch (JacksonException e) {
            throw new BadInputException(file + ": invalid JSON: " + e.getOriginalMessage());
        }
    }

    private static String fromTokenizerConfig(Path file, String json) {
        JsonNode template = readJson(file, json).get("chat_template");
        if (template == null || template.isNull()) throw new BadInputException(file + ": no \"chat_template\" field");
        if (template.isTextual()) return template.asText();
        if (template.isArray()) {
            for (JsonNode entry : template) {
                if ("default".equals(entry.path("name").asText()) && entry.path("template").isTextual()) {
                    return entry.get("template").asText();
                }
            }
            throw new BadInputException(file + ": \"chat_template\" lists no template named \"default\"");
        }
        throw new BadInputException(file + ": \"chat_template\" must be a string or a list of {name, template}");
    }

    static String readUtf8(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such file");
        } catch (CharacterCodingException e) {
            throw new BadInputException(file + ": not valid UTF-8 text");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage());
        }
    }
}
