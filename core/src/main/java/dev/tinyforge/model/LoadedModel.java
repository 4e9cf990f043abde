package dev.tinyforge.model;

import java.nio.file.Path;

/**
 * A model ready to run: its config and weights, plus the mapped files the weights live in, which
 * stay open until {@link #close}.
 *
 * @param source the HF folder or GGUF file it came from
 */
public record LoadedModel(Path source, Format format, ModelConfig config, ModelWeights weights, AutoCloseable files)
        implements AutoCloseable {
    /** Where the weights came from. */
    public enum Format { HF, GGUF }

    /** A transformer over these weights with room for {@code maxContext} tokens (capped by the model's own). */
    public Transformer transformer(int maxContext) {
        return new Transformer(config, weights, Math.min(maxContext, config.contextLength()));
    }

    @Override
    public void close() {
        try {
            files.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not close " + source, e);
        }
    }
}
