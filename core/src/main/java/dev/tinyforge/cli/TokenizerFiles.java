package dev.tinyforge.cli;

import dev.tinyforge.tokenizer.HfTokenizerLoader;
import dev.tinyforge.tokenizer.Tokenizer;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the tokenizer of a model given on the command line (an HF folder or a GGUF file). */
final class TokenizerFiles {
    private TokenizerFiles() {}

    static Tokenizer load(Path model) throws IOException {
        if (Files.isDirectory(model) || model.getFileName().toString().startsWith("tokenizer.json")) {
            return HfTokenizerLoader.load(model);
        }
        if (!Files.exists(model)) throw new BadInputException(model + ": no such file or folder");
        throw new BadInputException(model + ": reading the tokenizer from a GGUF file is not built yet; "
                + "use the model's HF folder");
    }
}
