package dev.tinyforge.tokenizer;

import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Loads the tokenizer of whatever the user points at, so that commands need not care which format a
 * model comes in: a GGUF file (by its magic bytes, whatever its name) goes to {@link GgufTokenizerLoader};
 * a model folder, a {@code tokenizer.json} or a {@code tokenizer.json.gz} goes to {@link HfTokenizerLoader}.
 *
 * <pre>{@code
 * Tokenizer tok = Tokenizers.load(Path.of("models/qwen2.5-0.5b-instruct-q8_0.gguf"));
 * }</pre>
 */
public final class Tokenizers {
    private static final byte[] GGUF_MAGIC = {'G', 'G', 'U', 'F'};

    private Tokenizers() {}

    public static Tokenizer load(Path path) {
        if (!Files.exists(path)) throw new BadInputException(path + ": no such file or folder");
        if (Files.isDirectory(path)) {
            if (!Files.exists(path.resolve("tokenizer.json")) && !Files.exists(path.resolve("tokenizer.json.gz"))) {
                throw new BadInputException(path + ": no tokenizer.json in this folder (give a .gguf file or a folder"
                        + " with tokenizer.json)");
            }
            return HfTokenizerLoader.load(path);
        }
        return isGguf(path) ? GgufTokenizerLoader.load(path) : HfTokenizerLoader.load(path);
    }

    /** Whether {@code file} starts with GGUF's magic bytes. */
    static boolean isGguf(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(4), GGUF_MAGIC);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
