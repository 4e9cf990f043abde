package dev.tinyforge.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.Normalizer.Form;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HF tokenizers' own ids for llama2 (Mistral vocab), llama3, qwen3 and gemma3 on llama.cpp's test strings. */
class HfFixtureTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"llama2", "llama3", "qwen3", "gemma3"})
    void encodesEveryCaseLikeHf(String family) {
        Tokenizer tok = FixtureTokenizers.hf(family);
        List<FixtureTokenizers.Case> cases = FixtureTokenizers.hfCases(family);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            FixtureTokenizers.Case c = cases.get(i);
            int[] got = tok.encode(c.text(), false, true);
            if (!Arrays.equals(got, c.ids())) {
                failures.add("case " + i + " " + escape(c.text()) + ": expected " + Arrays.toString(c.ids()) + " got " + Arrays.toString(got));
            }
            // No case spells a special token, so not parsing them changes nothing.
            assertEquals(Arrays.toString(got), Arrays.toString(tok.encode(c.text(), false, false)));
        }
        System.out.printf("%s: %d/%d cases match HF%n", family, cases.size() - failures.size(), cases.size());
        assertEquals(46, cases.size());
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases.size() + " differ:\n" + String.join("\n", failures));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"llama2", "llama3", "qwen3", "gemma3"})
    void decodeGivesTheTextBack(String family) {
        Tokenizer tok = FixtureTokenizers.hf(family);
        for (FixtureTokenizers.Case c : FixtureTokenizers.hfCases(family)) {
            // qwen3 normalizes to NFC; the others are lossless on these strings.
            String expected = family.equals("qwen3") ? java.text.Normalizer.normalize(c.text(), Form.NFC) : c.text();
            assertEquals(escape(expected), escape(tok.decode(c.ids(), false)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"llama2", "llama3", "qwen3", "gemma3"})
    void streamingDecodeNeverSplitsACharacter(String family) {
        Tokenizer tok = FixtureTokenizers.hf(family);
        for (FixtureTokenizers.Case c : FixtureTokenizers.hfCases(family)) {
            StreamingDecoder stream = tok.streamingDecoder(false);
            StringBuilder all = new StringBuilder();
            for (int id : c.ids()) {
                String chunk = stream.accept(id);
                assertFalse(chunk.contains("\uFFFD"), () -> "half a character in " + escape(chunk));
                assertFalse(!chunk.isEmpty() && Character.isHighSurrogate(chunk.charAt(chunk.length() - 1)));
                all.append(chunk);
            }
            all.append(stream.flush());
            assertEquals(escape(tok.decode(c.ids(), false)), escape(all.toString()));
        }
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            if (cp == '\n') b.append("\\n");
            else if (cp == '\r') b.append("\\r");
            else if (cp == '\t') b.append("\\t");
            else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) b.append(String.format("\\u%04x", cp));
            else b.appendCodePoint(cp);
        });
        return b.append('"').toString();
    }
}
