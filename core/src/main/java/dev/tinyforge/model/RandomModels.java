package dev.tinyforge.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Models with random weights of real architectures' shapes, built in memory from a seed: for
 * benchmarks (the shapes ../shared/bench uses) and for tests that need a model of a given shape.
 */
public final class RandomModels {
    private RandomModels() {}

    /** Named shapes; {@code smollm2-135m} is SmolLM2-135M with an untied output, as in the reference figures. */
    public static ModelConfig shape(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "smollm2-135m" -> llama(49152, 576, 1536, 30, 9, 3, false);
            case "tiny-19m" -> llama(32000, 256, 768, 4, 8, 4, false);
            case "qwen2.5-0.5b" -> new ModelConfig(Family.QWEN2, 151936, 896, 4864, 24, 14, 2, 64, 32768, 1e-6,
                    1e6, RopeScaling.NONE, true, true, Activation.SILU, 0f, false, 0);
            default -> throw new dev.tinyforge.util.BadInputException("unknown model shape '" + name
                    + "' (known: smollm2-135m, tiny-19m, qwen2.5-0.5b)");
        };
    }

    private static ModelConfig llama(int vocab, int hidden, int ffn, int layers, int heads, int kvHeads, boolean tied) {
        return new ModelConfig(Family.LLAMA, vocab, hidden, ffn, layers, heads, kvHeads, hidden / heads, 2048, 1e-5,
                10000, RopeScaling.NONE, false, tied, Activation.SILU, 0f, false, 0);
    }

    /** Weights drawn from N(0, std²), norms 1, biases 0, in HF (rotate-half) RoPE layout. */
    public static ModelWeights weights(ModelConfig c, long seed, double std) {
        MatrixMaker floats = (random, rows, cols) -> matrix(random, rows, cols, std);
        return weights(c, seed, floats, floats);
    }

    /** Makes one matrix from values drawn in row-major order (N(0, std²) as the caller decides). */
    @FunctionalInterface
    public interface MatrixMaker {
        WeightMatrix make(SplittableRandom random, int rows, int cols);
    }

    /**
     * As {@link #weights(ModelConfig, long, double)} with each matrix made by {@code projections} (the
     * block's linear layers) or {@code embeddingAndOutput}, in the same order from the same generator,
     * so a model can be stored another way (quantized row by row) without ever holding it as floats.
     */
    public static ModelWeights weights(ModelConfig c, long seed, MatrixMaker projections, MatrixMaker embeddingAndOutput) {
        SplittableRandom random = new SplittableRandom(seed);
        int h = c.hiddenSize(), q = c.queryDim(), kv = c.kvDim(), ffn = c.intermediateSize();
        MatrixMaker p = projections;
        WeightMatrix embedding = embeddingAndOutput.make(random, c.vocabSize(), h);
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < c.layers(); l++) {
            layers.add(new LayerWeights(ones(h), p.make(random, q, h), p.make(random, kv, h), p.make(random, kv, h),
                    p.make(random, h, q), c.qkvBias() ? new float[q] : null, c.qkvBias() ? new float[kv] : null,
                    c.qkvBias() ? new float[kv] : null, ones(h), p.make(random, ffn, h), p.make(random, ffn, h),
                    p.make(random, h, ffn)));
        }
        WeightMatrix output = c.tiedEmbeddings() ? embedding : embeddingAndOutput.make(random, c.vocabSize(), h);
        return new ModelWeights(embedding, layers, ones(h), output, Rope.Layout.HALVES, null);
    }

    private static FloatMatrix matrix(SplittableRandom random, int rows, int cols, double std) {
        float[] data = new float[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < data.length; i++) data[i] = (float) (random.nextGaussian() * std);
        return new FloatMatrix(rows, cols, data);
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }
}
