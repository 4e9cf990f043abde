package dev.tinyforge.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tinyforge.io.gguf.GgufValue;
import org.junit.jupiter.api.Test;

/** llama.cpp's SentencePiece rules (model "llama") on vocabularies small enough to check by hand. */
class GgufSpmTest {

    private static int[] ids(TinyGguf g, String... pieces) {
        int[] out = new int[pieces.length];
        for (int i = 0; i < pieces.length; i++) out[i] = g.id(pieces[i]);
        return out;
    }

    @Test
    void highestScoreMergesFirstThenLeftmost() {
        // "bc" has the lower id, but among equal scores llama.cpp merges the leftmost pair.
        TinyGguf g = TinyGguf.spm(true).add("▁", -1).add("a", -1).add("b", -1).add("c", -1).add("bc", -2).add("ab", -2);
        assertArrayEquals(ids(g, "▁", "ab", "c"), g.load().encode("abc", false, false));

        TinyGguf better = TinyGguf.spm(true).add("▁", -1).add("a", -1).add("b", -1).add("c", -1).add("bc", -1.5f).add("ab", -2);
        assertArrayEquals(ids(better, "▁", "a", "bc"), better.load().encode("abc", false, false));
    }

    @Test
    void mergesChainThroughLongerPieces() {
        TinyGguf g = TinyGguf.spm(true).add("▁", -1).add("▁h", -3).add("h", -1).add("i", -1).add("hi", -5).add("▁hi", -4);
        // ▁h (-3) beats hi (-5), then ▁h + i = ▁hi.
        assertArrayEquals(ids(g, "▁hi"), g.load().encode("hi", false, false));
    }

    @Test
    void aPieceMergesFromCharactersThatAreNoPiecesThemselves() {
        TinyGguf g = TinyGguf.spm(true).add("▁", -1).add("xy", -1);
        assertArrayEquals(ids(g, "▁", "xy"), g.load().encode("xy", false, false));
        // A lone "x" is no piece: its byte.
        assertArrayEquals(ids(g, "▁", "<0x78>"), g.load().encode("x", false, false));
    }

    @Test
    void unknownCharactersFallBackToBytesOrUnk() {
        TinyGguf withBytes = TinyGguf.spm(true).add("▁", -1);
        assertArrayEquals(ids(withBytes, "▁", "<0xC3>", "<0xA9>"), withBytes.load().encode("é", false, false));
        TinyGguf noBytes = TinyGguf.spm(false).add("▁", -1);
        assertArrayEquals(new int[] {noBytes.id("▁"), 0, 0}, noBytes.load().encode("é", false, false));
    }

    @Test
    void spacesAreEscapedAndPrefixedAtTheStartAndAfterSpecialTokens() {
        TinyGguf g = TinyGguf.spm(true).add("▁", -1).add("a", -1).add("▁a", -1);
        Tokenizer tok = g.load();
        assertArrayEquals(ids(g, "▁a", "▁a"), tok.encode("a a", false, false));
        assertArrayEquals(ids(g, "<s>", "▁a", "</s>", "▁", "▁a"), tok.encode("a</s> a", true, true));
        assertArrayEquals(new int[0], tok.encode("", false, false));
        assertArrayEquals(ids(g, "<s>"), tok.encode("", true, false));

        Tokenizer noPrefix = g.put("tokenizer.ggml.add_space_prefix", GgufValue.bool(false)).load();
        assertArrayEquals(ids(g, "a", "▁a"), noPrefix.encode("a a", false, false));
        assertEquals("a a", noPrefix.decode(noPrefix.encode("a a", false, false), true));
    }

    @Test
    void decodeRendersByTypeAndDropsOnlyTheFirstPiecesSpace() {
        TinyGguf g = TinyGguf.spm(true).add("▁", -1).add("a", -1).add("▁a", -1).add("<tool>", 0, 4).add("<pad>", 0, 5);
        Tokenizer tok = g.load();
        int[] ids = ids(g, "▁a", "▁a", "<0xC3>", "<0xA9>", "<tool>", "<pad>", "</s>");
        assertEquals("a aé<tool>", tok.decode(ids, true));
        assertEquals("a aé<tool></s>", tok.decode(ids, false));
        assertEquals(" a", tok.decode(ids(g, "<s>", "▁a"), true)); // BOS took the strip, as in llama.cpp
        assertEquals("<s> a", tok.decode(ids(g, "<s>", "▁a"), false));
    }

    @Test
    void userDefinedTokensAreMatchedWithoutSpecialParsingAndControlOnesOnlyWithIt() {
        TinyGguf g = TinyGguf.spm(true).add("▁", -1).add("<tool>", 0, 4).add("<|end|>", 0, 3);
        Tokenizer tok = g.load();
        // The space before the token is a fragment of its own, which gets the prefix space too.
        assertArrayEquals(ids(g, "▁", "▁", "<tool>"), tok.encode(" <tool>", false, false));
        int[] plain = tok.encode("<|end|>", false, false);
        assertEquals("<|end|>", tok.decode(plain, true));
        assertEquals(8, plain.length); // ▁ and the seven bytes
        assertArrayEquals(ids(g, "<|end|>"), tok.encode("<|end|>", false, true));
    }

    @Test
    void endOfGenerationTokensBecomeControlEvenWhenTypedUserDefined() {
        TinyGguf g = TinyGguf.spm(true).add("▁", -1).add("<|im_end|>", 0, 4);
        Tokenizer tok = g.load();
        assertEquals(TokenType.CONTROL, tok.vocabulary().type(g.id("<|im_end|>")));
        assertEquals(11, tok.encode("<|im_end|>", false, false).length);
        assertEquals("", tok.decode(ids(g, "<|im_end|>"), true));
    }

    @Test
    void longerSpecialTokensWinOverEarlierShorterOnes() {
        // HF's leftmost-longest rule would take "<a>" at 0; llama.cpp tries "a><b" (longer) first.
        TinyGguf g = TinyGguf.spm(true).add("▁", -1).add("<a>", 0, 4).add("a><b", 0, 4);
        int[] ids = g.load().encode("<a><b", false, false);
        assertArrayEquals(ids(g, "▁", "<0x3C>", "a><b"), ids);
    }

    @Test
    void phi3SpecialTokensSwallowTheSpaceAfterThem() {
        TinyGguf g = TinyGguf.spm(true).add("▁", -1).add("h", -1).add("▁h", -1).add("<|user|>", 0, 3);
        int[] plain = g.load().encode("<|user|>  h", false, true);
        assertArrayEquals(ids(g, "<|user|>", "▁", "▁", "▁h"), plain);
        Tokenizer phi = g.put("general.name", GgufValue.string("Phi3")).load();
        assertArrayEquals(ids(g, "<|user|>", "▁h"), phi.encode("<|user|>  h", false, true));
    }

    @Test
    void specialIdsOutsideTheVocabularyKeepLlamaCppsDefaults() {
        TinyGguf g = TinyGguf.spm(true).put("tokenizer.ggml.bos_token_id", GgufValue.u32(0xFFFFFFFFL))
                .put("tokenizer.ggml.padding_token_id", GgufValue.u32(0xFFFFFFFFL))
                .put("tokenizer.ggml.eos_token_id", GgufValue.u32(0));
        assertEquals(new SpecialTokens(1, 0, 0, -1, true, false), g.load().specialTokens());
        TinyGguf noBos = TinyGguf.spm(true).put("tokenizer.ggml.add_bos_token", GgufValue.bool(false))
                .put("tokenizer.ggml.add_eos_token", GgufValue.bool(true));
        Tokenizer tok = noBos.load();
        assertArrayEquals(new int[] {2}, tok.encode("", true, false));
    }
}
