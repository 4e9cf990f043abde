package dev.tinyforge.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StopStringsTest {
    @Test
    void holdsBackAPossibleStopAndReleasesItWhenItIsNot() {
        StopStrings s = new StopStrings(List.of("</end>"));
        assertEquals("hello ", s.accept("hello </"));
        assertEquals("</x", s.accept("x"));
        assertFalse(s.stopped());
        assertEquals("", s.flush());
    }

    @Test
    void stopsAtTheEarliestStopAcrossPieces() {
        StopStrings s = new StopStrings(List.of("\n\n", "User:"));
        assertEquals("answer", s.accept("answer\n"));
        assertEquals("", s.accept("\nUser: more"));
        assertTrue(s.stopped());
        assertEquals("", s.accept("ignored"));
    }

    @Test
    void flushReturnsHeldTextWhenGenerationEnds() {
        StopStrings s = new StopStrings(List.of("STOP"));
        assertEquals("abc", s.accept("abcST"));
        assertEquals("ST", s.flush());
    }

    /** However the text is cut into pieces, the output is the text up to the first stop string. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void outputDoesNotDependOnHowTextIsCut(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String alphabet = "ab<>/";
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 200; i++) text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        List<String> stops = List.of("</a>", "bb<b");
        int first = Integer.MAX_VALUE;
        for (String stop : stops) {
            int at = text.indexOf(stop);
            if (at >= 0) first = Math.min(first, at);
        }
        String expected = first == Integer.MAX_VALUE ? text.toString() : text.substring(0, first);
        StopStrings s = new StopStrings(stops);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int n = 1 + random.nextInt(6);
            out.append(s.accept(text.substring(i, Math.min(text.length(), i + n))));
            i += n;
        }
        out.append(s.flush());
        assertEquals(expected, out.toString());
    }
}
