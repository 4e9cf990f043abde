package dev.tinyforge.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * llama.cpp's own tokenizer test cases ({@code test-tokenizer-0}) for its 11 vocab-only GGUFs: ids with
 * add_special = false and parse_special = false must match llama.cpp's exactly.
 */
class GgufVocabFixtureTest {
    static final List<String> VOCABS = FixtureTokenizers.GGUF_VOCABS;

    @ParameterizedTest(name = "{0}")
    @FieldSource("VOCABS")
    void encodesEveryCaseLikeLlamaCpp(String vocab) {
        Tokenizer tok = FixtureTokenizers.gguf(vocab);
        List<FixtureTokenizers.Case> cases = FixtureTokenizers.ggufCases(vocab);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            FixtureTokenizers.Case c = cases.get(i);
            int[] got = tok.encode(c.text(), false, false);
            if (!Arrays.equals(got, c.ids())) {
                failures.add("case " + i + " " + HfFixtureTest.escape(c.text()) + ": expected " + Arrays.toString(c.ids())
                        + " got " + Arrays.toString(got));
            }
        }
        System.out.printf("ggml-vocab-%s: %d/%d cases match llama.cpp%n", vocab, cases.size() - failures.size(), cases.size());
        assertEquals(46, cases.size());
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases.size() + " differ:\n" + String.join("\n", failures));
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("VOCABS")
    void streamingDecodeEqualsDecode(String vocab) {
        Tokenizer tok = FixtureTokenizers.gguf(vocab);
        for (FixtureTokenizers.Case c : FixtureTokenizers.ggufCases(vocab)) {
            for (boolean skipSpecial : new boolean[] {false, true}) {
                StreamingDecoder stream = tok.streamingDecoder(skipSpecial);
                StringBuilder all = new StringBuilder();
                for (int id : c.ids()) {
                    String chunk = stream.accept(id);
                    assertFalse(chunk.contains("\uFFFD") && !c.text().contains("\uFFFD"), () -> "half a character in " + chunk);
                    all.append(chunk);
                }
                all.append(stream.flush());
                assertEquals(HfFixtureTest.escape(tok.decode(c.ids(), skipSpecial)), HfFixtureTest.escape(all.toString()));
            }
        }
    }
}
