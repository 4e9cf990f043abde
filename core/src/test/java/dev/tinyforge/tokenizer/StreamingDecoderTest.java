package dev.tinyforge.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Characters spread over several tokens come out whole, when their last byte arrives. */
class StreamingDecoderTest {

    private static List<String> chunks(Tokenizer tok, int[] ids, boolean skipSpecial) {
        StreamingDecoder stream = tok.streamingDecoder(skipSpecial);
        List<String> out = new ArrayList<>();
        for (int id : ids) out.add(stream.accept(id));
        out.add(stream.flush());
        return out;
    }

    @Test
    void byteFallbackPiecesWaitForTheWholeCharacter() {
        Tokenizer tok = FixtureTokenizers.stories();
        int[] ids = tok.encode("a 😀!", false, true);
        // ▁a ▁ <0xF0> <0x9F> <0x98> <0x80> !
        assertEquals(List.of("▁a", "▁", "<0xF0>", "<0x9F>", "<0x98>", "<0x80>", "!"),
                java.util.Arrays.stream(ids).mapToObj(tok::piece).toList());
        assertEquals(List.of("a", " ", "", "", "", "😀", "!", ""), chunks(tok, ids, false));
    }

    @Test
    void byteLevelPiecesWaitForTheWholeCharacter() {
        Tokenizer tok = FixtureTokenizers.hf("llama3");
        // 🦙 is four bytes that llama3 spells as three tokens; only the last completes the character.
        int[] ids = tok.encode("🦙", false, true);
        assertEquals(3, ids.length);
        assertEquals(List.of("", "", "🦙", ""), chunks(tok, ids, false));
    }

    @Test
    void leadingSpaceRulesApplyOnlyAtTheStart() {
        Tokenizer tok = FixtureTokenizers.hf("llama2");
        int[] ids = tok.encode("Hello world", true, true);
        assertArrayEquals(new int[] {1}, java.util.Arrays.copyOf(ids, 1));
        assertEquals("Hello world", String.join("", chunks(tok, ids, true)));
        assertEquals("<s> Hello world", String.join("", chunks(tok, ids, false)));
        assertEquals(tok.decode(ids, false), String.join("", chunks(tok, ids, false)));
    }

    @Test
    void invalidBytesAreNotHeldForever() {
        Tokenizer tok = FixtureTokenizers.stories();
        int lone = tok.id("<0xE6>"); // a lead byte with no continuation
        int a = tok.id("a");
        List<String> out = chunks(tok, new int[] {lone, a}, false);
        assertEquals(List.of("", "\uFFFDa", ""), out);
        assertEquals(tok.decode(new int[] {lone, a}, false), String.join("", out));
    }
}
