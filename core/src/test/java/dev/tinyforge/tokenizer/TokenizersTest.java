package dev.tinyforge.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.io.gguf.GgufWriter;
import dev.tinyforge.testing.Fixtures;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Tokenizers#load} takes a GGUF file, a model folder or a tokenizer.json and picks the loader. */
class TokenizersTest {

    @Test
    void aGgufFileIsRecognizedByItsMagicWhateverItsName(@TempDir Path dir) throws IOException {
        TinyGguf g = TinyGguf.spm(true).add("▁", -1).add("a", -1).add("▁a", -2);
        Path file = dir.resolve("model.bin");
        new GgufWriter().putAll(g.metadata()).write(file);
        assertArrayEquals(new int[] {1, g.id("▁a")}, Tokenizers.load(file).encode("a", true, false));
    }

    @Test
    void aFolderOrTokenizerJsonGoesToTheHfLoader() {
        Path folder = Fixtures.require("models/stories260K/hf");
        int[] expected = FixtureTokenizers.stories().encode("Once upon a time", true, true);
        assertArrayEquals(expected, Tokenizers.load(folder).encode("Once upon a time", true, true));
        assertArrayEquals(expected, Tokenizers.load(folder.resolve("tokenizer.json")).encode("Once upon a time", true, true));
        Path gz = Fixtures.require("hf-tokenizers/llama3/tokenizer.json.gz");
        assertTrue(Tokenizers.load(gz).vocabSize() > 128000);
    }

    @Test
    void theGgufAndHfFormsOfStories260KAgree() {
        Tokenizer gguf = Tokenizers.load(Fixtures.require("models/stories260K/stories260K.gguf"));
        Tokenizer hf = Tokenizers.load(Fixtures.require("models/stories260K/hf"));
        String text = "Tom had a red ball. He liked to play with it in the park with his friend Sue.";
        assertArrayEquals(hf.encode(text, true, true), gguf.encode(text, true, true));
    }

    @Test
    void whatIsNeitherIsAClearError(@TempDir Path dir) throws IOException {
        BadInputException missing = assertThrows(BadInputException.class, () -> Tokenizers.load(dir.resolve("nope.gguf")));
        assertTrue(missing.getMessage().contains("nope.gguf"), missing.getMessage());
        BadInputException emptyFolder = assertThrows(BadInputException.class, () -> Tokenizers.load(dir));
        assertTrue(emptyFolder.getMessage().contains("tokenizer.json"), emptyFolder.getMessage());
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello");
        BadInputException notJson = assertThrows(BadInputException.class, () -> Tokenizers.load(text));
        assertTrue(notJson.getMessage().contains("notes.txt"), notJson.getMessage());
    }
}
