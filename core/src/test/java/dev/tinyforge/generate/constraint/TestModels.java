package dev.tinyforge.generate.constraint;

import dev.tinyforge.generate.Generator;
import dev.tinyforge.model.Activation;
import dev.tinyforge.model.Family;
import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.RandomModels;
import dev.tinyforge.model.RopeScaling;
import dev.tinyforge.model.Transformer;
import dev.tinyforge.tokenizer.ByteTokenizerFiles;
import dev.tinyforge.tokenizer.Tokenizer;
import dev.tinyforge.tokenizer.Tokenizers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small models with random weights for generation tests: the built-in byte-level one, or one over any vocabulary. */
final class TestModels {
    private TestModels() {}

    record Model(Generator generator, Tokenizer tokenizer, Transformer transformer) {}

    /** TinyModel's byte-level tokenizer (259 tokens: the 256 bytes, BOS, EOS, PAD). */
    static Tokenizer byteTokenizer() {
        try {
            Path dir = Files.createTempDirectory("tinyforge-bytes");
            ByteTokenizerFiles.write(dir);
            return Tokenizers.load(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A one-layer llama (hidden 32) over {@code tokenizer}'s whole vocabulary; logits spread by {@code std}. */
    static Model overVocabulary(Tokenizer tokenizer, long seed, double std) {
        ModelConfig config = new ModelConfig(Family.LLAMA, tokenizer.vocabSize(), 32, 64, 1, 2, 1, 16, 4096, 1e-5, 10000,
                RopeScaling.NONE, false, false, Activation.SILU, 0f, false, 0);
        Transformer transformer = new Transformer(config, RandomModels.weights(config, seed, std), 4096);
        return new Model(new Generator(transformer, tokenizer), tokenizer, transformer);
    }
}
