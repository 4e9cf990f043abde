package dev.tinyforge.tokenizer.template;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test shorthand: render a template with variables given as key, value pairs. Expected outputs in these
 * tests were checked against Python jinja2 3.1.6 configured as HF transformers configures it.
 */
final class Render {
    static final Clock MARCH_5_2025_NOON = Clock.fixed(Instant.parse("2025-03-05T12:00:00Z"), ZoneOffset.UTC);

    /** Variables most tests share. */
    static final Map<String, Object> VARS = Map.of(
            "d", orderedMap("a", 1, "items", 5, "b", List.of(1, 2)),
            "l", List.of(1, 2, 3),
            "s", "Hello World",
            "e", "",
            "msgs", List.of(
                    Map.of("role", "system", "content", "sys"),
                    Map.of("role", "user", "content", "hi"),
                    orderedMap("role", "assistant", "content", "yo", "tool_calls",
                            List.of(Map.of("function", orderedMap("name", "f", "arguments", Map.of("x", 1)))))));

    private Render() {}

    static String render(String template, Object... keyValues) {
        return ChatTemplate.parse(template).withClock(MARCH_5_2025_NOON).render(vars(keyValues));
    }

    static TemplateException error(String template, Object... keyValues) {
        return assertThrows(TemplateException.class, () -> render(template, keyValues));
    }

    static Map<String, Object> vars(Object... keyValues) {
        Map<String, Object> vars = new LinkedHashMap<>(VARS);
        vars.put("n", null);
        vars.putAll(orderedMap(keyValues));
        return vars;
    }

    static Map<String, Object> orderedMap(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
        return m;
    }
}
