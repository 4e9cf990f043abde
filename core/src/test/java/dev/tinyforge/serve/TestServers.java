package dev.tinyforge.serve;

import dev.tinyforge.model.TinyModel;
import dev.tinyforge.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** Servers on an ephemeral loopback port over small real models, for the integration tests. */
final class TestServers {
    private TestServers() {}

    /** Loopback, port 0, short heartbeats so the tests exercise them. */
    static ServeOptions options() {
        return ServeOptions.defaults().withAddress("127.0.0.1", 0).withStreaming(Duration.ofMillis(200), 4096);
    }

    /** stories260K (HF folder): a real SentencePiece tokenizer and real text; no chat template (ChatML fallback). */
    static ServedModel stories(int context) throws IOException {
        return ServedModel.load(Fixtures.require("models/stories260K/hf"), null, context);
    }

    /** TinyForge's built-in byte-level model with seeded weights, written to {@code dir}. */
    static ServedModel tiny(Path dir, long seed, int context) throws IOException {
        TinyModel.write(dir, seed);
        return ServedModel.load(dir, null, context);
    }
}
