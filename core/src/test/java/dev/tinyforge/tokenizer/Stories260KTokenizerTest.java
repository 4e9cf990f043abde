package dev.tinyforge.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.testing.Fixtures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real stories260K tokenizer (HF "legacy" Llama layout: Prepend + Replace normalizer, byte fallback)
 * against the 20 cases that llama-tokenize and HF tokenizers agree on: BOS added, special tokens parsed.
 */
class Stories260KTokenizerTest {

    static Stream<Integer> caseIndexes() throws IOException {
        return IntStream.range(0, cases().size()).boxed();
    }

    static List<JsonNode> cases() throws IOException {
        JsonNode root = new ObjectMapper().readTree(Fixtures.require("models/stories260K/tokenizer_cases.json").toFile());
        assertTrue(root.get("add_bos").asBoolean());
        assertTrue(root.get("parse_special").asBoolean());
        List<JsonNode> cases = new ArrayList<>();
        root.get("cases").forEach(cases::add);
        return cases;
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("caseIndexes")
    void matchesLlamaCppAndHf(int index) throws IOException {
        JsonNode c = cases().get(index);
        Tokenizer tok = FixtureTokenizers.stories();
        String text = c.get("text").asText();
        int[] expected = new int[c.get("ids").size()];
        for (int i = 0; i < expected.length; i++) expected[i] = c.get("ids").get(i).asInt();

        int[] ids = tok.encode(text, true, true);
        assertArrayEquals(expected, ids, () -> HfFixtureTest.escape(text));
        for (int i = 0; i < ids.length; i++) assertEquals(c.get("pieces").get(i).asText(), tok.piece(ids[i]));
        assertEquals(c.get("hf_decode_skip_special").asText(), tok.decode(ids, true));

        StreamingDecoder stream = tok.streamingDecoder(true);
        StringBuilder streamed = new StringBuilder();
        for (int id : ids) streamed.append(stream.accept(id));
        streamed.append(stream.flush());
        assertEquals(c.get("hf_decode_skip_special").asText(), streamed.toString());
    }

    @Test
    void vocabularyMatchesTheGgufDescription() {
        Tokenizer tok = FixtureTokenizers.stories();
        Vocabulary v = tok.vocabulary();
        assertEquals(512, tok.vocabSize());
        assertEquals(TokenType.UNKNOWN, v.type(0));
        assertEquals(TokenType.CONTROL, v.type(1));
        assertEquals(TokenType.CONTROL, v.type(2));
        for (int id = 3; id <= 258; id++) assertEquals(TokenType.BYTE, v.type(id));
        for (int id = 259; id < 512; id++) assertEquals(TokenType.NORMAL, v.type(id));
        assertEquals("<0x0A>", tok.piece(13));
        assertEquals(new SpecialTokens(1, 2, 0, -1, true, false), tok.specialTokens());
        assertEquals(1, tok.bos());
        assertEquals(2, tok.eos());
    }

    @Test
    void specialTokensAsPlainTextWhenNotParsed() {
        Tokenizer tok = FixtureTokenizers.stories();
        int[] ids = tok.encode("<s>", false, false);
        assertTrue(ids.length > 1, "<s> must be spelled out, not matched");
        assertEquals("<s>", tok.decode(ids, true));
        assertArrayEquals(new int[] {1}, tok.encode("<s>", false, true));
    }
}
