package dev.tinyforge.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.data.Message;
import dev.tinyforge.data.Role;
import dev.tinyforge.testing.Fixtures;
import dev.tinyforge.tokenizer.template.ChatTemplate;
import dev.tinyforge.train.PromptFormat;
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
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The Ollama templates derived from real chat templates give, when run as Go templates over
 * Ollama's {@code .System} and {@code .Messages}, exactly the prompts llama.cpp rendered from the
 * chat template (the fixture cases with a generation prompt; BOS left to the tokenizer where the
 * model's vocabulary adds it).
 */
class OllamaTemplateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The families TinyForge promises to translate. */
    private static final List<String> KNOWN = List.of("chatml-plain", "Qwen-Qwen2.5-7B-Instruct", "Qwen-Qwen3-0.6B",
            "meta-llama-Llama-3.1-8B-Instruct", "google-gemma-2-2b-it", "mistralai-Mistral-Nemo-Instruct-2407",
            "microsoft-Phi-3.5-mini-instruct");

    static Stream<String> templates() throws IOException {
        Path dir = Fixtures.require("chat-templates");
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jinja"))
                    .map(n -> n.substring(0, n.length() - ".jinja".length())).sorted().toList().stream();
        }
    }

    /** Ollama's view of a conversation: every message in .Messages, the system ones joined in .System. */
    static String ollama(String goTemplate, JsonNode messages) {
        List<Map<String, Object>> list = new ArrayList<>();
        List<String> systems = new ArrayList<>();
        for (JsonNode m : messages) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("Role", m.get("role").asText());
            map.put("Content", m.get("content").asText());
            list.add(map);
            if (m.get("role").asText().equals("system")) systems.add(m.get("content").asText());
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("System", String.join("\n\n", systems));
        data.put("Messages", list);
        return GoTemplateRenderer.render(goTemplate, data);
    }

    @ParameterizedTest
    @MethodSource("templates")
    void derivedTemplateReproducesLlamaCppsRendering(String name) throws IOException {
        Path dir = Fixtures.require("chat-templates");
        ChatTemplate template = ChatTemplate.parse(Files.readString(dir.resolve(name + ".jinja")), name)
                .withClock(Clock.fixed(Instant.parse("2025-03-05T12:00:00Z"), ZoneOffset.UTC));
        JsonNode cases = JSON.readTree(dir.resolve(name + ".cases.json").toFile());
        JsonNode first = cases.get(0);
        boolean addsBos = first.has("expected_if_vocab_adds_bos");
        Map<String, Object> vars = JSON.convertValue(first.get("context"), Map.class);
        vars.remove("strftime_now_time");
        Optional<TurnFormat> format = TurnFormats.derive(template, first.get("bos_token").asText(),
                first.get("eos_token").asText(), addsBos, vars);
        if (!KNOWN.contains(name) && format.isEmpty()) return; // other families may be refused; the exporter warns
        assertTrue(format.isPresent(), name + " derives a turn layout");
        String go = GoTemplate.of(format.get());
        int checked = 0;
        for (JsonNode c : cases) {
            if (!c.get("add_generation_prompt").asBoolean()) continue; // Ollama always asks for the answer
            String expected = (addsBos ? c.get("expected_if_vocab_adds_bos") : c.get("expected")).asText();
            assertEquals(expected, ollama(go, c.get("messages")), name + " " + c.get("name").asText());
            checked++;
        }
        assertEquals(3, checked);
    }

    @Test
    void theStopsAreTheSpecialTokensThatEndAnAnswer() throws IOException {
        Path dir = Fixtures.require("chat-templates");
        var tokenizer = dev.tinyforge.tokenizer.Tokenizers.load(Fixtures.require("hf-tokenizers/qwen3"));
        ChatTemplate qwen = ChatTemplate.parse(Files.readString(dir.resolve("Qwen-Qwen3-0.6B.jinja")), "qwen3");
        TurnFormat format = TurnFormats.derive(qwen, null, "<|im_end|>", false, Map.of()).orElseThrow();
        assertEquals("<|im_end|>\n", format.assistantClose());
        assertEquals(List.of("<|im_end|>"), ModelfileWriter.specials(format.assistantClose(), tokenizer));
        assertEquals("ChatML/Qwen", ModelfileWriter.family(qwen.source()));
        assertEquals(List.of(), ModelfileWriter.specials("<not a token>\n", tokenizer));
    }

    @Test
    void thePlainFormatBecomesATemplateThatRendersLikeTraining() {
        Optional<TurnFormat> format = TurnFormats.derive(PlainTemplate.TEMPLATE, "<s>", "</s>", true, Map.of());
        assertTrue(format.isPresent());
        String go = GoTemplate.of(format.get());
        List<Message> messages = List.of(new Message(Role.SYSTEM, "Be brief.", true), new Message(Role.USER, "hi", true),
                new Message(Role.ASSISTANT, "hello", true), new Message(Role.USER, "bye", true));
        String training = new PromptFormat.Plain().promptFor(messages);
        JsonNode json = JSON.valueToTree(messages.stream().map(m -> Map.of("role", m.role().id(), "content", m.content())).toList());
        // Training appends EOS as a token after each answer; in text it is the EOS piece.
        assertEquals(training.replace("hello", "hello</s>"), ollama(go, json));
    }
}
