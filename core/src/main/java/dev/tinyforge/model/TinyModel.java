package dev.tinyforge.model;

import dev.tinyforge.tokenizer.BpeTrainer;
import dev.tinyforge.tokenizer.ByteTokenizerFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * TinyForge's built-in model for the offline quickstart: a real Llama-architecture model (RMSNorm,
 * RoPE, GQA 4/2, SwiGLU, tied embeddings; hidden 128, 4 layers, ffn 352, ~0.8 M parameters plus
 * 128 per vocabulary entry) over a byte-level BPE vocabulary (bytes alone, or bytes plus merges
 * learned from the training data), with weights drawn from a seed. No pretrained weights ship with
 * TinyForge, so this model knows nothing until it is trained: it shows the whole loop learning a
 * task from scratch, quickly, on a laptop CPU.
 */
public final class TinyModel {
    /** The model over bytes alone (259 tokens). */
    public static final ModelConfig CONFIG = config(ByteTokenizerFiles.VOCAB_SIZE);

    private TinyModel() {}

    public static ModelConfig config(int vocabSize) {
        return new ModelConfig(Family.LLAMA, vocabSize, 128, 352, 4, 4, 2, 32, 512, 1e-5, 10000, RopeScaling.NONE, false,
                true, Activation.SILU, 0f, false, 0);
    }

    /**
     * Weights as GPT-2 initialises them: N(0, 0.02), with the projections that write into the
     * residual stream (o_proj, down_proj) scaled down by √(2 · layers); norms 1.
     */
    public static ModelWeights initialWeights(long seed) {
        return initialWeights(CONFIG, seed);
    }

    /** The seeded weights for {@code c}, a {@link #config} of some vocabulary size. */
    public static ModelWeights initialWeights(ModelConfig c, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double std = 0.02, residualStd = std / Math.sqrt(2.0 * c.layers());
        FloatMatrix embedding = normal(random, c.vocabSize(), c.hiddenSize(), std);
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < c.layers(); l++) {
            layers.add(new LayerWeights(ones(c.hiddenSize()),
                    normal(random, c.queryDim(), c.hiddenSize(), std), normal(random, c.kvDim(), c.hiddenSize(), std),
                    normal(random, c.kvDim(), c.hiddenSize(), std), normal(random, c.hiddenSize(), c.queryDim(), residualStd),
                    null, null, null, ones(c.hiddenSize()),
                    normal(random, c.intermediateSize(), c.hiddenSize(), std),
                    normal(random, c.intermediateSize(), c.hiddenSize(), std),
                    normal(random, c.hiddenSize(), c.intermediateSize(), residualStd)));
        }
        return new ModelWeights(embedding, layers, ones(c.hiddenSize()), embedding, Rope.Layout.HALVES, null);
    }

    /** Writes the seeded byte-level model as an HF folder: config.json, model.safetensors, tokenizer files. */
    public static void write(Path dir, long seed) throws IOException {
        write(dir, seed, List.of());
    }

    /** Writes the seeded model over bytes plus {@code merges} as an HF folder. */
    public static void write(Path dir, long seed, List<BpeTrainer.Merge> merges) throws IOException {
        ModelConfig c = config(ByteTokenizerFiles.vocabSize(merges.size()));
        HfCheckpointWriter.write(c, initialWeights(c, seed), dir);
        ByteTokenizerFiles.write(dir, merges);
    }

    private static FloatMatrix normal(SplittableRandom random, int rows, int cols, double std) {
        float[] data = new float[rows * cols];
        for (int i = 0; i < data.length; i++) data[i] = (float) (random.nextGaussian() * std);
        return new FloatMatrix(rows, cols, data);
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        Arrays.fill(a, 1f);
        return a;
    }
}
