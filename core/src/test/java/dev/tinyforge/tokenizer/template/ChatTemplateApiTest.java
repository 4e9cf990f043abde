package dev.tinyforge.tokenizer.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.util.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public API: render arguments, ChatML fallback, system-role merge, BOS stripping, loading files. */
class ChatTemplateApiTest {
    private static final List<Map<String, String>> CHAT = List.of(
            Map.of("role", "system", "content", "Be brief."),
            Map.of("role", "user", "content", "Hi"));

    @Test
    void chatmlRendersTheUsualFormat() {
        assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
                ChatTemplate.CHATML.render(CHAT, true, null, null, Map.of()));
        assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n",
                ChatTemplate.CHATML.render(CHAT, false, null, null, null));
        assertTrue(ChatTemplate.CHATML.supportsSystemRole());
    }

    @Test
    void addGenerationPromptIsUndefinedWhenFalseAndTokensMayBeAbsent() {
        ChatTemplate t = ChatTemplate.parse("{{ add_generation_prompt is defined }}|{{ bos_token }}|{{ eos_token is defined }}");
        assertEquals("False||False", t.render(CHAT, false, null, null, Map.of()));
        assertEquals("True|<s>|True", t.render(CHAT, true, "<s>", "</s>", Map.of()));
        Map<String, Object> hf = new HashMap<>(Map.of("messages", CHAT, "add_generation_prompt", false));
        assertEquals("True||False", t.render(hf), "the raw render passes variables exactly as given");
    }

    @Test
    void extraVariablesMayNotRedefineRenderArguments() {
        assertEquals("x", ChatTemplate.parse("{{ tools[0] }}").render(CHAT, true, "", "", Map.of("tools", List.of("x"))));
        assertThrows(IllegalArgumentException.class,
                () -> ChatTemplate.CHATML.render(CHAT, true, "", "", Map.of("bos_token", "<s>")));
        assertThrows(IllegalArgumentException.class,
                () -> ChatTemplate.CHATML.render(CHAT, true, "", "", Map.of("when", new Object())));
    }

    @Test
    void gemmaStyleTemplatesGetTheSystemTextMergedIntoTheUserTurn() {
        ChatTemplate noSystem = ChatTemplate.parse("{% if messages[0]['role'] == 'system' %}"
                + "{{ raise_exception('System role not supported') }}{% endif %}"
                + "{% for m in messages %}[{{ m.role }}:{{ m.content }}]{% endfor %}");
        assertFalse(noSystem.supportsSystemRole());
        assertEquals("[user:Be brief.\nHi]", noSystem.render(noSystem.adaptMessages(CHAT), true, "", "", Map.of()));
        ChatTemplate ignoresSystem = ChatTemplate.parse("{% for m in messages if m.role != 'system' %}{{ m.content }}{% endfor %}");
        assertFalse(ignoresSystem.supportsSystemRole(), "a template that never prints the system text lacks the role too");
        assertEquals(List.of(Map.of("role", "system", "content", "Be brief."), Map.of("role", "user", "content", "Hi")),
                ChatTemplate.CHATML.adaptMessages(CHAT));
    }

    @Test
    void systemMergeHandlesRunsTrailingTextAndNonUserNeighbours() {
        List<Map<String, Object>> merged = SystemRole.mergeIntoUser(List.of(
                Map.of("role", "system", "content", "A"), Map.of("role", "system", "content", "B"),
                Map.of("role", "user", "content", "", "name", "u1"),
                Map.of("role", "system", "content", "C"), Map.of("role", "assistant", "content", "ok"),
                Map.of("role", "system", "content", "D")));
        assertEquals(List.of(Map.of("role", "user", "content", "A\nB", "name", "u1"),
                Map.of("role", "user", "content", "C"), Map.of("role", "assistant", "content", "ok"),
                Map.of("role", "user", "content", "D")), merged);
        assertThrows(IllegalArgumentException.class, () -> SystemRole.mergeIntoUser(List.of(
                Map.of("role", "system", "content", List.of("parts")), Map.of("role", "user", "content", "x"))));
    }

    @Test
    void leadingBosIsStrippedOnlyWhenPresent() {
        assertEquals("x", ChatTemplate.stripLeadingBos("<s>x", "<s>"));
        assertEquals("x<s>", ChatTemplate.stripLeadingBos("x<s>", "<s>"));
        assertEquals("<s>x", ChatTemplate.stripLeadingBos("<s>x", ""));
        assertEquals("<s>x", ChatTemplate.stripLeadingBos("<s>x", null));
    }

    @Test
    void strftimeNowReadsTheGivenClock() {
        ChatTemplate t = ChatTemplate.parse("{{ strftime_now('%d %B %Y') }}");
        assertEquals("05 March 2025", t.withClock(Render.MARCH_5_2025_NOON).render(Map.of()));
    }

    @Test
    void loadsJinjaFilesAndTokenizerConfigs(@TempDir Path dir) throws Exception {
        Path jinja = Files.writeString(dir.resolve("t.jinja"), "{{ messages[0].content }}\n");
        assertEquals("Be brief.", ChatTemplateFiles.load(jinja).render(CHAT, false, null, null, Map.of()));
        assertEquals(jinja.toString(), ChatTemplateFiles.load(jinja).name());

        Path config = Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": \"[{{ bos_token }}]\"}");
        assertEquals("[<s>]", ChatTemplateFiles.load(config).render(CHAT, false, "<s>", null, Map.of()));
        Path multi = Files.writeString(dir.resolve("multi.json"),
                "{\"chat_template\": [{\"name\": \"tool_use\", \"template\": \"T\"}, {\"name\": \"default\", \"template\": \"D\"}]}");
        assertEquals("D", ChatTemplateFiles.load(multi).render(Map.of()));

        Path none = Files.writeString(dir.resolve("empty.json"), "{\"bos_token\": \"<s>\"}");
        assertEquals(none + ": no \"chat_template\" field",
                assertThrows(BadInputException.class, () -> ChatTemplateFiles.load(none)).getMessage());
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"chat_template\": ");
        assertTrue(assertThrows(BadInputException.class, () -> ChatTemplateFiles.load(broken)).getMessage()
                .startsWith(broken + ": invalid JSON"));
        assertEquals(dir.resolve("missing.jinja") + ": no such file",
                assertThrows(BadInputException.class, () -> ChatTemplateFiles.load(dir.resolve("missing.jinja"))).getMessage());
        Path bad = Files.write(dir.resolve("bad.jinja"), new byte[] {(byte) 0xC3, '('});
        assertEquals(bad + ": not valid UTF-8 text",
                assertThrows(BadInputException.class, () -> ChatTemplateFiles.load(bad)).getMessage());
        Path syntax = Files.writeString(dir.resolve("syntax.jinja"), "ok\n{% if %}");
        assertTrue(assertThrows(TemplateException.class, () -> ChatTemplateFiles.load(syntax)).getMessage()
                .startsWith(syntax + ": line 2, column 7: "));
    }
}
