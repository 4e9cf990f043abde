package dev.tinyforge.generate.constraint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tinyforge.util.BadInputException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import dev.tinyforge.testing.Fixtures;
import dev.tinyforge.tokenizer.GgufTokenizerLoader;
import dev.tinyforge.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The allowed-token masks (trie walk, string tables, cache) against trying every token on its own, in
 * the states random walks through random schemas reach; and that no reachable state leaves nothing to
 * write.
 */
class TokenMaskTest {
    /** Pieces JSON is made of, so that random tokens cross structure the way BPE tokens do. */
    private static final String[] PIECES = {"{", "}", "[", "]", "\"", ":", ",", " ", "\n", "\t", "\\", "\\\"", "\\u00", "e9",
            "d8", "0", "1", "12", "7", "-", ".", "e", "E", "+", "true", "false", "null", "a", "ab", "name", "id", "x y", "é",
            "日本", "😀", "\":", "\",", "\"}", "\"]", "\": \"", "\",\"", "}}", "]}", "\" ", " \"", "nam", "val", "ue", "tr", "ul"};

    /** The 256 single bytes (anything can be spelled), then random concatenations of pieces, some cut mid-character. */
    static byte[][] syntheticVocabulary(long seed, int size) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] vocab = new byte[size][];
        for (int b = 0; b < 256; b++) vocab[b] = new byte[] {(byte) b};
        for (int id = 256; id < size; id++) {
            ByteArrayOutputStream token = new ByteArrayOutputStream();
            for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) token.writeBytes(PIECES[random.nextInt(PIECES.length)].getBytes(StandardCharsets.UTF_8));
            byte[] bytes = token.toByteArray();
            vocab[id] = random.nextInt(8) == 0 && bytes.length > 1 ? Arrays.copyOf(bytes, bytes.length - 1) : bytes;
        }
        vocab[size - 1] = new byte[0]; // a special token: no text
        return vocab;
    }

    private static long[] bruteForce(JsonAutomaton automaton, ParseState state, TokenTrie trie) {
        long[] bits = new long[(trie.vocabSize + 63) >>> 6];
        ParseState.Successors out = new ParseState.Successors();
        for (int id = 0; id < trie.vocabSize; id++) {
            byte[] bytes = trie.bytes(id);
            ParseState s = bytes.length == 0 ? null : state;
            for (int i = 0; i < bytes.length && s != null; i++) s = automaton.step(s, bytes[i] & 0xFF, out);
            if (s != null) bits[id >>> 6] |= 1L << id;
        }
        return bits;
    }

    /** Random walks: at every step the mask equals trying each token, and something may come next. */
    static int checkWalks(TokenTrie trie, List<JsonGrammar> grammars, long seed, int stepsPerGrammar) {
        SplittableRandom random = new SplittableRandom(seed);
        int end = trie.vocabSize; // an end token id beyond the text tokens
        int checked = 0;
        for (JsonGrammar grammar : grammars) {
            JsonAutomaton automaton = grammar.automaton();
            JsonConstraint constraint = new JsonConstraint(automaton, trie, Set.of(end));
            ParseState.Successors out = new ParseState.Successors();
            ParseState state = automaton.start();
            for (int step = 0; step < stepsPerGrammar; step++) {
                long[] bits = new long[(trie.vocabSize + 63) >>> 6];
                int count = constraint.allowed(state, bits);
                assertArrayEquals(bruteForce(automaton, state, trie), bits, "mask at step " + step);
                assertTrue(count == Arrays.stream(bits).map(Long::bitCount).sum());
                boolean complete = automaton.complete(state, out);
                assertTrue(count > 0 || complete, "nothing may follow an incomplete text");
                checked++;
                if (count == 0 || (complete && random.nextInt(4) == 0)) break;
                int pick = random.nextInt(count), id = -1;
                for (int w = 0; pick >= 0; w++) {
                    int inWord = Long.bitCount(bits[w]);
                    if (pick < inWord) {
                        long word = bits[w];
                        for (int k = 0; k < pick; k++) word &= word - 1;
                        id = w * 64 + Long.numberOfTrailingZeros(word);
                        break;
                    }
                    pick -= inWord;
                }
                for (byte b : trie.bytes(id)) state = automaton.step(state, b & 0xFF, out);
            }
        }
        return checked;
    }

    static List<JsonGrammar> grammars(long seed, int count) {
        RandomSchemas schemas = new RandomSchemas(seed, true, true);
        List<JsonGrammar> grammars = new ArrayList<>(List.of(JsonGrammar.anyObject(), JsonGrammar.anyValue()));
        while (grammars.size() < count) {
            ObjectNode schema = schemas.next();
            try {
                grammars.add(JsonGrammar.fromSchema(schema));
            } catch (BadInputException e) {
                assertTrue(e.getMessage().contains("no JSON value satisfies"), e.getMessage());
            }
        }
        return grammars;
    }

    @Test
    void masksEqualTryingEveryTokenOnASyntheticVocabulary() {
        TokenTrie trie = TokenTrie.of(syntheticVocabulary(5, 3000));
        int checked = checkWalks(trie, grammars(21, 60), 8, 60);
        assertTrue(checked > 800, "states checked: " + checked);
    }

    /** Real vocabularies: GPT-2's byte-level BPE and Llama's SentencePiece with byte fallback (▁ and <0xNN> pieces). */
    @ParameterizedTest
    @ValueSource(strings = {"gpt-2", "llama-spm"})
    void masksEqualTryingEveryTokenOnRealVocabularies(String name) {
        Tokenizer tokenizer = GgufTokenizerLoader.load(Fixtures.require("tokenizers/ggml-vocab-" + name + ".gguf"));
        TokenTrie trie = TokenTrie.of(tokenizer);
        int checked = checkWalks(trie, grammars(33, 10), 9, 20);
        assertTrue(checked > 80, "states checked: " + checked);
    }
}
