package dev.tinyforge.export;

import dev.tinyforge.io.gguf.GgufFile;
import dev.tinyforge.io.gguf.GgufValue;
import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.RandomModels;
import dev.tinyforge.quant.FileType;
import dev.tinyforge.tokenizer.GgufTokenizerMetadata;
import dev.tinyforge.tokenizer.Tokenizers;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model of a named shape with random weights written as a GGUF file of any type, as a user's
 * file would be written (quantized by {@link GgufQuantizer}, llama-quantize's bytes and mixtures):
 * benchmarks then load it mapped, the way they load a real model.
 */
public final class RandomGguf {
    private RandomGguf() {}

    /**
     * Writes {@code target} atomically.
     *
     * @param vocabulary a GGUF file (a model or a llama.cpp vocabulary file) whose tokenizer is copied in, so that
     *                   generate, chat and serve can run the model; null for none
     */
    public static void write(String shape, FileType type, Path vocabulary, long seed, Path target) throws IOException {
        ModelConfig config = RandomModels.shape(shape);
        Map<String, GgufValue> tokenizer = vocabulary != null ? tokenizerOf(vocabulary, config.vocabSize()) : Map.of();
        GgufModelWriter.write(config, RandomModels.weights(config, seed, 0.02), tokenizer, shape + "-random", type, target);
    }

    /** The tokenizer.* keys of {@code file}, which must hold {@code vocabSize} tokens. */
    private static Map<String, GgufValue> tokenizerOf(Path file, int vocabSize) throws IOException {
        int tokens = Tokenizers.load(file).vocabSize();
        if (tokens != vocabSize) {
            throw new BadInputException(file + ": the vocabulary has " + tokens + " tokens, the shape needs " + vocabSize);
        }
        try (GgufFile gguf = GgufFile.open(file)) {
            return GgufTokenizerMetadata.copyOf(gguf.metadata());
        }
    }
}
