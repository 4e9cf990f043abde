package dev.tinyforge.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two small tokenizers written for this test (resources {@code tiny-spm.json}, {@code tiny-bytelevel.json})
 * exercise what the real fixtures do not: added-token flags (single_word, lstrip, rstrip, normalized),
 * Metaspace "first", Digits, Split MergedWithNext, ignore_merges, NFKC/Lowercase/Strip/regex Replace
 * normalizers, fuse_unk, a BOS+EOS template. Expected values in {@code tiny-cases.json} come from HF
 * tokenizers 0.23.2 (its Rust core through npm), run on the same files. Needs no shared fixtures.
 */
class TinyTokenizerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Tokenizer load(String resource) {
        try (InputStream in = TinyTokenizerTest.class.getResourceAsStream(resource)) {
            return HfTokenizerLoader.load(in, resource, null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Arguments> cases() throws IOException {
        JsonNode root;
        try (InputStream in = TinyTokenizerTest.class.getResourceAsStream("tiny-cases.json")) {
            root = JSON.readTree(in);
        }
        List<Arguments> out = new ArrayList<>();
        root.get("files").fields().forEachRemaining(f -> f.getValue().forEach(c -> out.add(Arguments.of(f.getKey(), c))));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesHf(String file, JsonNode c) {
        Tokenizer tok = load(file);
        String text = c.get("text").asText();
        int[] withSpecial = ids(c.get("ids_add_special"));
        assertArrayEquals(ids(c.get("ids")), tok.encode(text, false, true), "plain");
        assertArrayEquals(withSpecial, tok.encode(text, true, true), "with special tokens");
        assertEquals(c.get("decode").asText(), tok.decode(withSpecial, false), "decode");
        assertEquals(c.get("decode_skip_special").asText(), tok.decode(withSpecial, true), "decode skipping specials");
    }

    private static int[] ids(JsonNode n) {
        int[] r = new int[n.size()];
        for (int i = 0; i < r.length; i++) r[i] = n.get(i).asInt();
        return r;
    }
}
