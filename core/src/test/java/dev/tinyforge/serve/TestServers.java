package dev.tinyforge.serve;

import dev.tinyforge.model.Activation;
import dev.tinyforge.model.Family;
import dev.tinyforge.model.HfCheckpointWriter;
import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.RandomModels;
import dev.tinyforge.model.RopeScaling;
import dev.tinyforge.model.TinyModel;
import dev.tinyforge.tokenizer.ByteTokenizerFiles;
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

    /**
     * Heartbeats every few milliseconds: responses then interleave them (leading spaces before JSON,
     * SSE comments, spaces before JSON lines) wherever the model pauses, so client tests show that
     * real clients read past them.
     */
    static ServeOptions chattyHeartbeats() {
        return options().withStreaming(Duration.ofMillis(3), 4096);
    }

    /** stories260K (HF folder): a real SentencePiece tokenizer and real text; no chat template (ChatML fallback). */
    static ServedModel stories(int context) throws IOException {
        return ServedModel.load(Fixtures.require("models/stories260K/hf"), null, context);
    }

    /**
     * A byte-level model big enough that a token costs real work (6.3 M parameters, ~2 ms per token on
     * one core): generations then last long enough for tests to act while they run, and batching
     * shows in throughput. Random weights give varied text, rarely EOS.
     */
    static ServedModel slow(Path dir, int context) throws IOException {
        ModelConfig config = new ModelConfig(Family.LLAMA, ByteTokenizerFiles.VOCAB_SIZE, 384, 1024, 4, 6, 2, 64, 1024, 1e-5,
                10000, RopeScaling.NONE, false, true, Activation.SILU, 0f, false, 0);
        HfCheckpointWriter.write(config, RandomModels.weights(config, 5, 0.05), dir);
        ByteTokenizerFiles.write(dir);
        return ServedModel.load(dir, null, context);
    }

    /** TinyForge's built-in byte-level model with seeded weights, written to {@code dir}. */
    static ServedModel tiny(Path dir, long seed, int context) throws IOException {
        TinyModel.write(dir, seed);
        return ServedModel.load(dir, null, context);
    }
}
