package dev.tinyforge.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.util.BadInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A tokenizer.json we cannot honour exactly is refused with one line naming the file and the field. */
class MalformedTokenizerTest {
    private static final String MODEL = """
            {"type": "BPE", "unk_token": "<unk>", "vocab": {"<unk>": 0, "a": 1, "b": 2, "ab": 3}, "merges": ["a b"]}""";

    private static String tokenizer(String model, String normalizer, String preTokenizer, String decoder) {
        return """
                {"version": "1.0", "added_tokens": [], "normalizer": %s, "pre_tokenizer": %s, "post_processor": null,
                 "decoder": %s, "model": %s}""".formatted(normalizer, preTokenizer, decoder, model);
    }

    private static BadInputException refused(String json) {
        return assertThrows(BadInputException.class, () -> HfTokenizerLoader.load(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "x/tokenizer.json", null, null));
    }

    @Test
    void aValidFileLoads() {
        Tokenizer tok = HfTokenizerLoader.load(new ByteArrayInputStream(tokenizer(MODEL, "null", "null", "null")
                .getBytes(StandardCharsets.UTF_8)), "x/tokenizer.json", null, null);
        assertEquals(3, tok.encode("ab", false, false)[0]);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing model        | {"version": "1.0"}                                                                   | model: missing
            unknown model type   | {"model": {"type": "Unigram", "vocab": []}}                                          | model.type: unsupported model type 'Unigram'
            vocab not an object  | {"model": {"type": "BPE", "vocab": [], "merges": []}}                                | model.vocab: expected an object
            merge of unknown     | {"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a c"]}}    | model.merges[0]: piece 'c' is not in model.vocab
            merge result unknown | {"model": {"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": [["a", "b"]]}}        | model.merges[0]: piece 'ab' is not in model.vocab
            merge not a pair     | {"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a"]}}                       | model.merges[0]: expected two pieces
            unk not in vocab     | {"model": {"type": "BPE", "unk_token": "<unk>", "vocab": {"a": 0}, "merges": []}}    | model.unk_token: '<unk>' is not in model.vocab
            negative id          | {"model": {"type": "BPE", "vocab": {"a": -4}, "merges": []}}                         | model.vocab: piece 'a' has id -4
            dropout              | {"model": {"type": "BPE", "dropout": 0.1, "vocab": {"a": 0}, "merges": []}}          | model.dropout: BPE dropout is not supported
            subword prefix       | {"model": {"type": "BPE", "continuing_subword_prefix": "##", "vocab": {}, "merges": []}} | model.continuing_subword_prefix: not supported
            """)
    void refusesABadModel(String name, String json, String expected) {
        BadInputException e = refused(json);
        assertEquals("x/tokenizer.json: " + expected, e.getMessage().substring(0, Math.min(e.getMessage().length(), ("x/tokenizer.json: " + expected).length())), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
    }

    @Test
    void refusesUnsupportedNormalizer() {
        BadInputException e = refused(tokenizer(MODEL, """
                {"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "BertNormalizer"}]}""", "null", "null"));
        assertEquals("x/tokenizer.json: normalizer.normalizers[1].type: unsupported normalizer type 'BertNormalizer'"
                + " (supported: Sequence, Prepend, Replace, NFC, NFD, NFKC, NFKD, Lowercase, Strip)", e.getMessage());
    }

    @Test
    void refusesUnsupportedPreTokenizer() {
        BadInputException e = refused(tokenizer(MODEL, "null", """
                {"type": "Sequence", "pretokenizers": [{"type": "Whitespace"}]}""", "null"));
        assertTrue(e.getMessage().startsWith("x/tokenizer.json: pre_tokenizer.pretokenizers[0].type: unsupported pre-tokenizer type 'Whitespace'"),
                e.getMessage());
    }

    @Test
    void refusesUnsupportedDecoder() {
        BadInputException e = refused(tokenizer(MODEL, "null", "null", """
                {"type": "WordPiece", "prefix": "##"}"""));
        assertTrue(e.getMessage().startsWith("x/tokenizer.json: decoder.type: unsupported decoder type 'WordPiece'"), e.getMessage());
    }

    @Test
    void refusesARegexJavaCannotCarryOver() {
        BadInputException e = refused(tokenizer(MODEL, "null", """
                {"type": "Split", "pattern": {"Regex": "[[:alpha:]]+"}, "behavior": "Isolated", "invert": false}""", "null"));
        assertTrue(e.getMessage().startsWith("x/tokenizer.json: pre_tokenizer.pattern.Regex: POSIX bracket classes"), e.getMessage());
    }

    @Test
    void refusesByteLevelBeforeAnotherSplit() {
        BadInputException e = refused(tokenizer(MODEL, "null", """
                {"type": "Sequence", "pretokenizers": [{"type": "ByteLevel"}, {"type": "Digits"}]}""", "null"));
        assertTrue(e.getMessage().startsWith("x/tokenizer.json: pre_tokenizer.pretokenizers[0]: a ByteLevel pre-tokenizer followed"), e.getMessage());
    }

    @Test
    void refusesNonJson() {
        BadInputException e = refused("{\"model\": ");
        assertTrue(e.getMessage().startsWith("x/tokenizer.json: not valid JSON at line 1"), e.getMessage());
    }

    @Test
    void namesTheFileOnDisk(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), tokenizer(MODEL, "null", "null", "null"));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": \"<s>\"}");
        BadInputException e = assertThrows(BadInputException.class, () -> HfTokenizerLoader.load(dir));
        assertEquals(dir.resolve("tokenizer_config.json") + ": bos_token: '<s>' is not in the vocabulary", e.getMessage());
        BadInputException missing = assertThrows(BadInputException.class, () -> HfTokenizerLoader.load(dir.resolve("nothing")));
        assertTrue(missing.getMessage().endsWith("nothing: no tokenizer.json found"), missing.getMessage());
    }
}
