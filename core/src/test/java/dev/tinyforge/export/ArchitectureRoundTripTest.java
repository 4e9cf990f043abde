package dev.tinyforge.export;

import dev.tinyforge.quant.FileType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.io.gguf.GgufFile;
import dev.tinyforge.io.gguf.GgufValue;
import dev.tinyforge.model.Activation;
import dev.tinyforge.model.Family;
import dev.tinyforge.model.LoadedModel;
import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.ModelLoader;
import dev.tinyforge.model.ModelWeights;
import dev.tinyforge.model.RandomModels;
import dev.tinyforge.model.RopeScaling;
import dev.tinyforge.testing.Fixtures;
import dev.tinyforge.tokenizer.GgufTokenizerMetadata;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SequencedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every family's GGUF reads back as the same model: llama (q/k permuted, untied, GQA), qwen2 (NeoX
 * order, q/k/v biases, tied), gemma (norms stored as w, not w - 1; scaled embeddings), mistral
 * (sliding window kept), Llama 3 RoPE scaling (as a rope_freqs tensor).
 */
class ArchitectureRoundTripTest {
    @TempDir
    Path dir;

    private static SequencedMap<String, GgufValue> tokenizer() throws IOException {
        try (GgufFile stories = GgufFile.open(TestRuns.storiesGguf())) {
            return GgufTokenizerMetadata.copyOf(stories.metadata());
        }
    }

    private static ModelConfig config(Family family, int vocab, boolean bias, boolean tied, float normOffset, boolean scale,
                                      RopeScaling rope, int window) {
        return new ModelConfig(family, vocab, 64, 96, 2, 4, 2, 32, 256, 1e-6, 50000, rope, bias, tied,
                family == Family.GEMMA ? Activation.GELU_TANH : Activation.SILU, normOffset, scale, window);
    }

    static Stream<Arguments> randomModels() {
        return Stream.of(
                Arguments.of("gemma", config(Family.GEMMA, 300, false, true, 1f, true, RopeScaling.NONE, 0)),
                Arguments.of("mistral", config(Family.MISTRAL, 300, false, false, 0f, false, RopeScaling.NONE, 128)),
                Arguments.of("llama3-rope", config(Family.LLAMA, 300, false, true, 0f, false,
                        new RopeScaling.Llama3(8, 1, 4, 64), 0)),
                Arguments.of("qwen2", config(Family.QWEN2, 300, true, true, 0f, false, RopeScaling.NONE, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("randomModels")
    void randomModelsReadBackAsTheSameModel(String name, ModelConfig c) throws IOException {
        ModelWeights w = RandomModels.weights(c, 17, 0.2);
        if (c.qkvBias()) {
            java.util.SplittableRandom random = new java.util.SplittableRandom(3);
            for (var layer : w.layers()) {
                for (float[] b : new float[][] {layer.queryBias(), layer.keyBias(), layer.valueBias()}) {
                    for (int i = 0; i < b.length; i++) b[i] = (float) random.nextGaussian();
                }
            }
        }
        Path out = dir.resolve(name + ".gguf");
        GgufModelWriter.write(c, w, tokenizer(), name, FileType.F32, out);
        int[] ids = {1, 17, 250, 3, 99, 42, 7};
        try (LoadedModel back = ModelLoader.load(out)) {
            assertEquals(c.slidingWindow(), back.config().slidingWindow());
            double rel = TestRuns.relative(TestRuns.logits(back, ids), TestRuns.logits(c, w, ids));
            assertTrue(rel < 1e-5, name + ": " + rel);
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"llama", "qwen2"})
    void pyTorchFixtureModelsReadBackAsTheSameModel(String family) throws IOException {
        Path model = Fixtures.require("torch/" + family + "/model");
        Path out = dir.resolve(family + ".gguf");
        try (LoadedModel hf = ModelLoader.load(model)) {
            GgufModelWriter.write(hf.config(), hf.weights(), tokenizer(), family, FileType.F32, out);
            try (LoadedModel back = ModelLoader.load(out); GgufFile file = GgufFile.open(out)) {
                assertEquals(family, file.metadata().getString("general.architecture"));
                assertEquals(hf.config().tiedEmbeddings(), file.findTensor("output.weight").isEmpty());
                assertEquals(hf.config().qkvBias(), file.findTensor("blk.0.attn_q.bias").isPresent());
                int[] ids = {1, 15, 3, 29, 38, 50, 60, 37};
                assertTrue(TestRuns.relative(TestRuns.logits(back, ids), TestRuns.logits(hf, ids)) < 1e-5);
            }
        }
    }
}
