package dev.tinyforge.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.model.Activation;
import dev.tinyforge.model.Family;
import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.ModelWeights;
import dev.tinyforge.model.RandomModels;
import dev.tinyforge.model.RopeScaling;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Activation checkpointing: recomputing each layer before its backward gives the same bits, in less memory. */
class ActivationRecomputeTest {
    /** Qwen2-style biases, three layers (so layers other than the last are recomputed), LoRA dropout on. */
    private static final ModelConfig CONFIG = new ModelConfig(Family.QWEN2, 41, 32, 48, 3, 4, 2, 8, 64, 1e-5, 10000,
            RopeScaling.NONE, true, false, Activation.SILU, 0f, false, 0);

    private static Trainables trainables(String kind) {
        ModelWeights base = RandomModels.weights(CONFIG, 7, 0.3);
        if (kind.equals("full")) return FullParameters.copyOf(base);
        return TestAdapters.withRandomB(base, 4, 8, 0.2, 0.3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lora", "full"})
    void recomputedActivationsGiveBitIdenticalLossAndGradients(String kind) {
        SplittableRandom random = new SplittableRandom(9);
        int length = 30;
        int[] ids = new int[length];
        boolean[] target = new boolean[length];
        for (int t = 0; t < length; t++) {
            ids[t] = random.nextInt(CONFIG.vocabSize());
            target[t] = t > 2 && t != 12;
        }
        int[] starts = {0, 12}; // two packed sequences, so positions and masks are recomputed too

        Trainables kept = trainables(kind), recomputed = trainables(kind);
        double lossKept = new Backprop(CONFIG, kept, length, false).run(ids, length, target, starts, 77, 0.1f).nll();
        double lossRecomputed = new Backprop(CONFIG, recomputed, length, true).run(ids, length, target, starts, 77, 0.1f).nll();
        assertEquals(lossKept, lossRecomputed, 0.0);
        List<float[]> a = gradients(kept), b = gradients(recomputed);
        assertEquals(a.size(), b.size());
        boolean nonZero = false;
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), "gradient " + i);
            for (float v : a.get(i)) nonZero |= v != 0f;
        }
        assertTrue(nonZero, "the gradients are not all zero");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 16})
    void recomputingKeepsOneLayersActivationsInsteadOfAll(int rank) {
        ModelConfig wide = new ModelConfig(Family.LLAMA, 49152, 576, 1536, 30, 9, 3, 64, 2048, 1e-5, 10000,
                RopeScaling.NONE, false, false, Activation.SILU, 0f, false, 0);
        long all = Backprop.floats(wide, 2048, rank, rank == 0 ? 0 : 7, false);
        long one = Backprop.floats(wide, 2048, rank, rank == 0 ? 0 : 7, true);
        // Per layer and token: input 576 + mid 576 + q/att 2 × 576 + k/v 2 × 192 + gate/up 2 × 1536 + 2 norms.
        long perLayer = 2048L * (576 + 2 * 576 + 2 * 192 + 2 * 1536 + 2);
        assertEquals(29 * perLayer - 2048L * 576, all - one, "29 layers' activations less one recomputed output");
    }

    private static List<float[]> gradients(Trainables t) {
        return t.parameters().stream().map(p -> p[1].clone()).toList();
    }
}
