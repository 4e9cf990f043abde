package dev.tinyforge.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RecordConverterTest {
    private static Example parse(String json) {
        return ((ParsedRecord.Valid) RecordParser.parse(json, null)).example();
    }

    /** Every single-turn format, converted through every other one, comes back as the same example. */
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"input\":\"é \\\"q\\\"\\n\",\"output\":\"b\",\"system\":\"s\",\"metadata\":{\"id\":[1,2]}}",
        "{\"instruction\":\"do it\",\"output\":\"done\"}",
        "{\"prompt\":\"p\",\"completion\":\"c\",\"metadata\":{\"x\":true}}",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"u\"},{\"role\":\"assistant\",\"content\":\"a\"}]}",
    })
    void roundTripsThroughEveryFormat(String json) throws Exception {
        Example original = parse(json);
        for (RecordFormat via : new RecordFormat[] {RecordFormat.MESSAGES, RecordFormat.IO, RecordFormat.ALPACA,
                RecordFormat.PROMPT_COMPLETION}) {
            Example converted = parse(RecordConverter.convert(original, via).toString());
            assertEquals(via, converted.format());
            assertEquals(original.messages(), converted.messages(), "via " + via);
            assertEquals(original.metadata(), converted.metadata(), "via " + via);
            Example back = parse(RecordConverter.convert(converted, original.format()).toString());
            assertEquals(original, back, "via " + via);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":\"b\"},{\"role\":\"user\",\"content\":\"c\"},{\"role\":\"assistant\",\"content\":\"d\"}]} | io | the io format holds one user turn and one assistant turn; this record has 4 turns (user, assistant, user, assistant)",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"a\",\"train\":true},{\"role\":\"assistant\",\"content\":\"b\"}]} | alpaca | the alpaca format trains on the answer only; this record sets \"train\" otherwise",
        "{\"text\":\"t\"} | messages | a text record has no prompt or roles; it cannot become messages",
        "{\"input\":\"a\",\"output\":\"b\"} | text | this io record has roles; the text format has none",
    })
    void refusesLossyConversions(String json, String target, String message) {
        var e = assertThrows(RecordConverter.ConversionException.class,
                () -> RecordConverter.convert(parse(json), RecordFormat.fromId(target)));
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"text\":\"plain\"}"})
    void textStaysText(String json) throws Exception {
        assertTrue(RecordConverter.convert(parse(json), RecordFormat.TEXT).toString().contains("plain"));
    }
}
