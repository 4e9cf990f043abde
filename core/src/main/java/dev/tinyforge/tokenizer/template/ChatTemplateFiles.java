package dev.tinyforge.tokenizer.template;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a chat template from a file: a plain {@code .jinja} file, or an HF {@code tokenizer_config.json}
 * whose {@code chat_template} is a string or a list of {@code {name, template}} (the "default" one is used).
 * Errors name the file.
 */
public final class ChatTemplateFiles {
    private ChatTemplateFiles() {}

    public static ChatTemplate load(Path file) {
        String text = readUtf8(file);
        String source = file.getFileName().toString().endsWith(".json") ? fromTokenizerConfig(file, text) : text;
        return ChatTemplate.parse(source, file.toString());
    }

    private static String fromTokenizerConfig(Path file, String json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JacksonException e) {
            throw new BadInputException(file + ": invalid JSON: " + e.getOriginalMessage());
        }
        JsonNode template = root == null ? null : root.get("chat_template");
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
