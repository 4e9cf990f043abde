package dev.tinyforge.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link SpmModel} merges word by word (cached) where llama.cpp merges whole fragments; on random text
 * both must give the same ids, including around pieces that hold U+2581 inside ("▁▁", "a▁b").
 */
class SpmWordSplitTest {
    private static final String[] ALPHABET = {"a", "b", "ab", " ", "  ", "\t", "\n", "é", "中", "😀", "▁", "x", ".", "the"};

    private static void agree(SpmModel model, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 3000; round++) {
            StringBuilder b = new StringBuilder();
            int length = random.nextInt(16);
            for (int i = 0; i < length; i++) b.append(ALPHABET[random.nextInt(ALPHABET.length)]);
            String text = b.toString();
            boolean prefix = random.nextBoolean();
            IntList split = new IntList(8);
            model.encode(text, 0, text.length(), prefix, split);
            assertArrayEquals(model.encodeWhole(text, prefix), split.toArray(), () -> HfFixtureTest.escape(text));
        }
    }

    @Test
    void llama2Vocabulary() {
        Tokenizer tok = FixtureTokenizers.gguf("llama-spm"); // skips without fixtures
        agree(new SpmModel(tok.vocabulary(), 0), 7);
    }

    @Test
    void piecesThatJoinWordsAcrossSpaces() {
        TinyGguf g = TinyGguf.spm(true).add("▁", -1).add("a", -1).add("b", -1).add("▁a", -2).add("a▁", -1.2f).add("a▁b", -0.5f)
                .add("▁▁", -1.5f).add("b▁▁", -0.7f).add("▁b", -2).add("ab", -2.5f).add("x", -1).add("▁x", -3);
        Tokenizer tok = g.load();
        agree(new SpmModel(tok.vocabulary(), 0), 11);
        // "▁a▁b": a▁ (-1.2) beats ▁a (-2), then a▁ + b: one piece across the space.
        assertArrayEquals(new int[] {g.id("▁"), g.id("a▁b")}, tok.encode("a b", false, false));
    }
}
