package dev.tinyforge.tokenizer.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case in {@code shared/fixtures/chat-templates}: 10 real templates x 4 conversations, rendered
 * by llama.cpp's server. We render as llama.cpp does: its extra variables ({@code context}), its clock,
 * {@code add_generation_prompt} undefined when false, and the system-role merge for templates without one.
 */
class ChatTemplateFixtureTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Case(String template, String name, JsonNode data) {
        @Override
        public String toString() {
            return template + " " + name;
        }
    }

    static Stream<Arguments> cases() throws IOException {
        Path dir = Fixtures.require("chat-templates");
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".cases.json")).sorted().toList()) {
                String template = f.getFileName().toString().replace(".cases.json", "");
                for (JsonNode c : JSON.readTree(f.toFile())) {
                    out.add(Arguments.of(new Case(template, c.get("name").asText(), c)));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rendersLikeLlamaCpp(Case c) {
        JsonNode data = c.data();
        ChatTemplate template = load(c.template(), data);
        List<Map<String, Object>> messages = JSON.convertValue(data.get("messages"), new TypeReference<>() {});
        String bos = data.get("bos_token").asText(), eos = data.get("eos_token").asText();

        String prompt = template.render(template.adaptMessages(messages), data.get("add_generation_prompt").asBoolean(),
                bos, eos, variables(data));

        assertEquals(data.get("expected").asText(), prompt);
        if (data.has("expected_if_vocab_adds_bos")) {
            assertEquals(data.get("expected_if_vocab_adds_bos").asText(), ChatTemplate.stripLeadingBos(prompt, bos));
        }
    }

    @Test
    void fixtureSetHasFortyCases() throws IOException {
        assertEquals(40, cases().count());
    }

    @Test
    void onlyGemmaLacksASystemRole() throws IOException {
        Path dir = Fixtures.require("chat-templates");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jinja")).toList()) {
                boolean gemma = f.getFileName().toString().startsWith("google-gemma-2");
                assertEquals(!gemma, ChatTemplateFiles.load(f).supportsSystemRole(), f.getFileName().toString());
            }
        }
    }

    @Test
    void gemmaRaisesOnASystemMessageWithoutTheMerge() {
        Path file = Fixtures.require("chat-templates/google-gemma-2-2b-it.jinja");
        ChatTemplate gemma = ChatTemplateFiles.load(file);
        List<Map<String, String>> messages = List.of(Map.of("role", "system", "content", "Be brief."),
                Map.of("role", "user", "content", "Hi"));
        TemplateException e = assertThrows(TemplateException.class,
                () -> gemma.render(messages, true, "<bos>", "<eos>", Map.of()));
        assertEquals(TemplateException.Kind.RAISED, e.kind());
        assertEquals("System role not supported", e.reason());
        assertTrue(e.getMessage().startsWith(file + ": line 1, column "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    private static ChatTemplate load(String template, JsonNode data) {
        Path file = Fixtures.require("chat-templates/" + template + ".jinja");
        Instant now = Instant.parse(data.get("context").get("strftime_now_time").asText());
        return ChatTemplateFiles.load(file).withClock(Clock.fixed(now, ZoneOffset.UTC));
    }

    /** llama.cpp's extra template variables; strftime_now_time is the clock, not a variable. */
    private static Map<String, Object> variables(JsonNode data) {
        Map<String, Object> vars = JSON.convertValue(data.get("context"), new TypeReference<LinkedHashMap<String, Object>>() {});
        vars.remove("strftime_now_time");
        return vars;
    }
}
