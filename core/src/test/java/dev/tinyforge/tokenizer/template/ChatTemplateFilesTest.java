package dev.tinyforge.tokenizer.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a model folder keeps its template: tokenizer_config.json first, then chat_template.jinja. */
class ChatTemplateFilesTest {
    @TempDir
    Path dir;

    private static String render(ChatTemplate template) {
        return template.render(List.of(Map.of("role", "user", "content", "Hi")), false, null, null, Map.of());
    }

    @Test
    void aFolderWithoutATemplateHasNone() throws IOException {
        assertTrue(ChatTemplateFiles.fromModel(dir).isEmpty());
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": \"<s>\", \"chat_template\": null}");
        assertTrue(ChatTemplateFiles.fromModel(dir).isEmpty());
    }

    @Test
    void tokenizerConfigWinsOverTheJinjaFile() throws IOException {
        Files.writeString(dir.resolve("chat_template.jinja"), "jinja:{{ messages[0].content }}");
        assertEquals("jinja:Hi", render(ChatTemplateFiles.fromModel(dir).orElseThrow()));
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"chat_template\": [{\"name\": \"tool_use\", \"template\": \"t\"}, {\"name\": \"default\", \"template\": \"d:{{ messages|length }}\"}]}");
        ChatTemplate template = ChatTemplateFiles.fromModel(dir).orElseThrow();
        assertEquals("d:1", render(template));
        assertEquals(dir.resolve("tokenizer_config.json").toString(), template.name());
    }

    @Test
    void brokenFilesAreNamed() throws IOException {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": ");
        var e = assertThrows(BadInputException.class, () -> ChatTemplateFiles.fromModel(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("tokenizer_config.json") + ": invalid JSON"), e.getMessage());
        var missing = assertThrows(BadInputException.class, () -> ChatTemplateFiles.fromModel(dir.resolve("m.gguf")));
        assertEquals(dir.resolve("m.gguf") + ": no such file or folder", missing.getMessage());
    }
}
