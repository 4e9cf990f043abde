package dev.tinyforge.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecordParserTest {
    private static Example valid(String json) {
        ParsedRecord parsed = RecordParser.parse(json, null);
        if (parsed instanceof ParsedRecord.Invalid(String reason)) throw new AssertionError("rejected: " + reason);
        return ((ParsedRecord.Valid) parsed).example();
    }

    private static String reason(String json) {
        return reason(json, null);
    }

    private static String reason(String json, RecordFormat format) {
        return assertInstanceOf(ParsedRecord.Invalid.class, RecordParser.parse(json, format)).reason();
    }

    @Test
    void readsIo() {
        Example e = valid("{\"input\":\"remind me\",\"output\":\"call | now\",\"system\":\"Be brief.\",\"metadata\":{\"k\":1}}");
        assertEquals(RecordFormat.IO, e.format());
        assertEquals(List.of(Message.of(Role.SYSTEM, "Be brief."), Message.of(Role.USER, "remind me"),
                Message.of(Role.ASSISTANT, "call | now")), e.messages());
        assertEquals("Be brief.", e.system());
        assertEquals(1, e.metadata().get("k").intValue());
        assertEquals("Be brief.\nremind me", e.prompt());
        assertEquals("call | now", e.completion());
    }

    @Test
    void readsAlpacaJoiningInstructionAndInput() {
        Example e = valid("{\"instruction\":\"Translate.\",\"input\":\"hola\",\"output\":\"hello\"}");
        assertEquals(RecordFormat.ALPACA, e.format());
        assertEquals("Translate.\n\nhola", e.messages().get(0).content());
        Example noInput = valid("{\"instruction\":\"Say hi.\",\"input\":\"\",\"response\":\"hi\"}");
        assertEquals("Say hi.", noInput.messages().get(0).content());
        assertEquals("hi", noInput.completion());
    }

    @Test
    void readsPromptCompletion() {
        Example e = valid("{\"prompt\":\"2+2=\",\"completion\":\"4\"}");
        assertEquals(RecordFormat.PROMPT_COMPLETION, e.format());
        assertEquals("2+2=", e.prompt());
        assertEquals("4", e.completion());
    }

    @Test
    void readsMessagesWithTrainFlags() {
        Example e = valid("{\"messages\":[{\"role\":\"system\",\"content\":\"S\"},{\"role\":\"user\",\"content\":\"U1\"},"
                + "{\"role\":\"assistant\",\"content\":\"A1\",\"train\":false},{\"role\":\"user\",\"content\":\"U2\"},"
                + "{\"role\":\"assistant\",\"content\":\"A2\"}]}");
        assertEquals(RecordFormat.MESSAGES, e.format());
        assertEquals(5, e.messages().size());
        assertFalse(e.messages().get(2).train());
        assertTrue(e.messages().get(4).train());
        assertEquals("A2", e.completion());
        assertEquals("S\nU1\nA1\nU2", e.prompt());
    }

    @Test
    void readsText() {
        Example e = valid("{\"text\":\"Once upon a time.\"}");
        assertEquals(RecordFormat.TEXT, e.format());
        assertEquals("", e.prompt());
        assertEquals("Once upon a time.", e.completion());
        assertTrue(e.messages().isEmpty());
        assertNull(e.system());
    }

    @Test
    void warnsAboutUnknownFields() {
        var parsed = assertInstanceOf(ParsedRecord.Valid.class,
                RecordParser.parse("{\"input\":\"a\",\"output\":\"b\",\"id\":7}", null));
        assertEquals(List.of("field \"id\" is not part of the io format and is ignored"), parsed.warnings());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "not JSON            | {bad                                         | invalid JSON: Unexpected character",
        "trailing garbage    | {\"input\":\"a\",\"output\":\"b\"} x         | invalid JSON:",
        "duplicate key       | {\"input\":\"a\",\"input\":\"b\"}            | invalid JSON: Duplicate field 'input'",
        "array               | [1,2]                                        | expected a JSON object, found an array",
        "string              | \"hi\"                                       | expected a JSON object, found a string",
        "unknown format      | {\"question\":\"a\"}                         | cannot tell the record format",
        "missing output      | {\"input\":\"a\"}                            | field \"output\" is missing",
        "empty output        | {\"input\":\"a\",\"output\":\"  \"}          | field \"output\" is empty",
        "number input        | {\"input\":3,\"output\":\"b\"}               | field \"input\" must be a string, found a number",
        "null output         | {\"input\":\"a\",\"output\":null}            | field \"output\" must be a string, found null",
        "empty system        | {\"input\":\"a\",\"output\":\"b\",\"system\":\"\"} | field \"system\" is empty",
        "metadata not object | {\"input\":\"a\",\"output\":\"b\",\"metadata\":1} | field \"metadata\" must be an object, found a number",
        "alpaca both         | {\"instruction\":\"a\",\"output\":\"b\",\"response\":\"c\"} | has both \"output\" and \"response\"",
        "alpaca no output    | {\"instruction\":\"a\"}                      | field \"output\" is missing",
        "alpaca bad input    | {\"instruction\":\"a\",\"input\":[],\"output\":\"b\"} | field \"input\" must be a string, found an array",
        "missing completion  | {\"prompt\":\"a\"}                           | field \"completion\" is missing",
        "missing prompt      | {\"completion\":\"a\"}                       | field \"prompt\" is missing",
        "text empty          | {\"text\":\"\"}                              | field \"text\" is empty",
        "messages not array  | {\"messages\":{}}                            | field \"messages\" must be an array, found an object",
        "messages empty      | {\"messages\":[]}                            | field \"messages\" is empty",
        "message not object  | {\"messages\":[\"hi\"]}                      | messages[0]: expected an object, found a string",
        "unknown role        | {\"messages\":[{\"role\":\"bot\",\"content\":\"x\"}]} | messages[0]: unknown role \"bot\"",
        "missing role        | {\"messages\":[{\"content\":\"x\"}]}         | messages[0]: field \"role\" is missing",
        "missing content     | {\"messages\":[{\"role\":\"user\"}]}         | messages[0]: field \"content\" is missing",
        "empty content       | {\"messages\":[{\"role\":\"user\",\"content\":\"\"}]} | messages[0]: field \"content\" is empty",
        "bad train           | {\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":\"b\",\"train\":\"no\"}]} | messages[1]: field \"train\" must be true or false, found a string",
        "late system         | {\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"system\",\"content\":\"b\"}]} | messages[1]: a system message may only come first",
        "no assistant        | {\"messages\":[{\"role\":\"user\",\"content\":\"a\"}]} | has no assistant message",
        "nothing trained     | {\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":\"b\",\"train\":false}]} | nothing to train on",
        "system in messages  | {\"system\":\"s\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":\"b\"}]} | put a system message first",
    })
    void rejectsWithAClearReason(String name, String json, String expected) {
        String reason = reason(json);
        assertTrue(reason.startsWith(expected) || reason.contains(expected), () -> "got: " + reason);
    }

    @Test
    void forcedFormatReadsRecordAsThatFormat() {
        assertEquals("field \"input\" is missing", reason("{\"prompt\":\"a\",\"completion\":\"b\"}", RecordFormat.IO));
    }

    @Test
    void deeplyNestedJsonIsRejectedNotAStackOverflow() {
        String deep = "{\"input\":\"a\",\"output\":\"b\",\"metadata\":{\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}}";
        assertTrue(reason(deep).startsWith("invalid JSON"));
    }

    @Test
    void normalizedInputIgnoresWhitespaceButNotRoles() {
        Example a = valid("{\"input\":\"call  mom\\ntomorrow \",\"output\":\"x\"}");
        Example b = valid("{\"input\":\" call mom tomorrow\",\"output\":\"y\"}");
        Example c = valid("{\"input\":\"call mom tomorrow\",\"output\":\"y\",\"system\":\"s\"}");
        assertEquals(a.normalizedInput(), b.normalizedInput());
        assertFalse(a.normalizedInput().equals(c.normalizedInput()));
    }
}
