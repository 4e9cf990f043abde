package dev.tinyforge.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tinyforge.io.gguf.GgufValue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** llama.cpp's byte-level BPE rules (model "gpt2") on vocabularies small enough to check by hand. */
class GgufBpeTest {

    private static int[] ids(TinyGguf g, String... pieces) {
        int[] out = new int[pieces.length];
        for (int i = 0; i < pieces.length; i++) out[i] = g.id(pieces[i]);
        return out;
    }

    @Test
    void mergesByRankAfterThePreTokenizer() {
        TinyGguf g = TinyGguf.bpe("gpt-2").merge("h", "e").merge("Ġ", "t").merge("Ġt", "he").merge("l", "l");
        Tokenizer tok = g.load();
        // GPT-2's split: "hello", " the", " " (a run of spaces leaves its last one to the next word), " ."
        assertArrayEquals(ids(g, "he", "ll", "o", "Ġthe", "Ġ", "Ġ", "."), tok.encode("hello the  .", false, false));
        assertEquals(new SpecialTokens(11, 11, -1, -1, false, false), tok.specialTokens());
    }

    @Test
    void aRepeatedMergeKeepsItsFirstRank() {
        TinyGguf g = TinyGguf.bpe("gpt-2").merge("a", "b").merge("b", "c").merge("a", "b");
        // (a,b) keeps rank 0, before (b,c): "abc" -> ab c (with HF's last-rank rule it would be a bc).
        assertArrayEquals(ids(g, "ab", "c"), g.load().encode("abc", false, false));
    }

    @Test
    void llama3TakesAWholeWordThatIsAPiece() {
        // No merge builds "abc", but the piece exists: llama-bpe's ignore_merges takes it whole.
        TinyGguf g = TinyGguf.bpe("llama-bpe").merge("a", "b").add("abc", 0)
                .put("tokenizer.ggml.bos_token_id", GgufValue.u32(0));
        Tokenizer tok = g.load();
        assertArrayEquals(ids(g, "abc"), tok.encode("abc", false, false));
        assertArrayEquals(new int[] {0, g.id("abc")}, tok.encode("abc", true, false)); // llama-bpe adds BOS
        TinyGguf gpt2 = TinyGguf.bpe("gpt-2").merge("a", "b").add("abc", 0);
        assertArrayEquals(ids(gpt2, "ab", "c"), gpt2.load().encode("abc", false, false));
    }

    @Test
    void bytesWithoutAPieceAreDroppedButStillSeparateTheirNeighbours() {
        // A vocabulary without the piece for byte 0x01, in which "!" and "?" merge.
        List<String> pieces = new ArrayList<>();
        for (int b = 0; b < 256; b++) if (b != 1) pieces.add(String.valueOf(ByteLevel.charOf(b)));
        TinyGguf holed = TinyGguf.bpeFrom(pieces, "gpt-2").merge("!", "?");
        Tokenizer tok = holed.load();
        assertArrayEquals(ids(holed, "!?"), tok.encode("!?", false, false));
        assertArrayEquals(ids(holed, "!", "?"), tok.encode("!\u0001?", false, false));
    }

    @Test
    void detokenizeCleansSpacesLikeLlamaCppWhereThePresetSaysSo() {
        TinyGguf gpt2 = TinyGguf.bpe("gpt-2");
        Tokenizer tok = gpt2.load();
        String text = "Hello , world . I 'm here ' ok ' and 've 'll 't";
        assertEquals("Hello, world. I'm here'ok'and've 'll 't", tok.decode(tok.encode(text, false, false), false));
        Tokenizer qwen = TinyGguf.bpe("qwen2").load();
        assertEquals(text, qwen.decode(qwen.encode(text, false, false), false));
    }

    @Test
    void streamingHoldsBackASpaceThatPunctuationMayStillRemove() {
        Tokenizer tok = TinyGguf.bpe("gpt-2").load();
        int[] ids = tok.encode("a ?b", false, false);
        StreamingDecoder stream = tok.streamingDecoder(false);
        StringBuilder out = new StringBuilder();
        List<String> chunks = new ArrayList<>();
        for (int id : ids) {
            String c = stream.accept(id);
            chunks.add(c);
            out.append(c);
        }
        out.append(stream.flush());
        assertEquals("a?b", out.toString());
        assertEquals(List.of("a", "", "?", "b"), chunks);
    }

    @Test
    void aLongRunOfSpacesIsReleasedAndLaterTextIsNotLost() {
        TinyGguf g = TinyGguf.bpe("gpt-2");
        Tokenizer tok = g.load();
        int space = g.id("Ġ");
        for (int spaces : new int[] {7, 8, 10}) {
            int[] ids = new int[spaces + 3];
            java.util.Arrays.fill(ids, space);
            ids[0] = g.id("a");
            ids[spaces + 1] = g.id(".");
            ids[spaces + 2] = g.id("b");
            StreamingDecoder stream = tok.streamingDecoder(false);
            StringBuilder out = new StringBuilder();
            for (int id : ids) out.append(stream.accept(id));
            out.append(stream.flush());
            String decoded = "a" + " ".repeat(spaces - 1) + ".b";
            assertEquals(decoded, tok.decode(ids, false));
            // Eight pending spaces are given out; when "." then removes the last one, it cannot be taken back,
            // but nothing after it is lost.
            assertEquals(spaces == 8 ? "a" + " ".repeat(8) + ".b" : decoded, out.toString());
        }
    }

    @Test
    void missingPreMeansDefaultAndSpecialTokensAreMatchedByType() {
        TinyGguf g = TinyGguf.bpe(null).add("<|endoftext|>", 0, 3).add("<tool>", 0, 4);
        Tokenizer tok = g.load();
        int end = g.id("<|endoftext|>"), tool = g.id("<tool>");
        assertArrayEquals(new int[] {g.id("x"), tool}, tok.encode("x<tool>", false, false));
        assertEquals(14, tok.encode("x<|endoftext|>", false, false).length);
        assertArrayEquals(new int[] {g.id("x"), end}, tok.encode("x<|endoftext|>", false, true));
        assertEquals("x", tok.decode(new int[] {g.id("x"), end}, true));
        assertEquals("x<|endoftext|>", tok.decode(new int[] {g.id("x"), end}, false));
    }
}
