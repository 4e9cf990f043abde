package dev.tinyforge.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.model.Activation;
import dev.tinyforge.model.Family;
import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.ModelWeights;
import dev.tinyforge.model.RandomModels;
import dev.tinyforge.model.RopeScaling;
import java.util.EnumSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** LoRA dropout as PEFT defines it: inverted dropout on the LoRA branch's input, in training only. */
class LoraDropoutTest {
    private static final ModelConfig TINY = new ModelConfig(Family.LLAMA, 23, 16, 24, 2, 4, 2, 4, 64, 1e-5, 10000,
            RopeScaling.NONE, false, false, Activation.SILU, 0f, false, 0);
    private static final int[] IDS = {1, 7, 3, 22, 9, 14, 5, 2, 11, 4, 19};
    private static final boolean[] TARGET = {false, false, true, true, true, true, true, true, true, true, true};
    private static final int[] ONE = {0};

    /** An adapter on every linear whose B is not zero, so that every A gets a gradient. */
    private static LoraAdapter adapter(ModelWeights base, double dropout) {
        var config = new LoraConfig(3, 6, dropout, EnumSet.allOf(LoraTarget.class), false);
        LoraAdapter adapter = LoraAdapter.initialize(base, config, 3);
        SplittableRandom random = new SplittableRandom(4);
        for (LoraAdapter.Slot s : adapter.slots()) {
            float[] b = s.matrix().b().data();
            for (int i = 0; i < b.length; i++) b[i] = (float) (random.nextGaussian() * 0.3);
        }
        return adapter;
    }

    private static float[][] gradients(Trainables t) {
        return t.parameters().stream().map(p -> p[1].clone()).toArray(float[][]::new);
    }

    @Test
    void theMaskDropsAShareOfAboutPAndScalesWhatItKeeps() {
        var dropout = new LoraDropout(0.25);
        float[] x = new float[200_000], y = new float[x.length], again = new float[x.length];
        java.util.Arrays.fill(x, 3f);
        long key = LoraDropout.matrixKey(LoraDropout.rowKey(42, 0, 0), 0, LoraTarget.Q_PROJ);
        dropout.apply(key, x, y, x.length);
        int dropped = 0;
        for (float v : y) {
            if (v == 0f) dropped++;
            else assertEquals(3f * (float) (1 / 0.75), v, "a kept entry is scaled by 1/(1-p)");
        }
        assertEquals(0.25, dropped / (double) x.length, 0.005);
        dropout.apply(key, x, again, x.length);
        assertArrayEquals(y, again, "one key, one mask");
        dropout.apply(LoraDropout.matrixKey(LoraDropout.rowKey(42, 0, 0), 0, LoraTarget.K_PROJ), x, again, x.length);
        assertFalse(java.util.Arrays.equals(y, again), "each matrix has its own mask");
        dropout.apply(LoraDropout.matrixKey(LoraDropout.rowKey(42, 1, 0), 0, LoraTarget.Q_PROJ), x, again, x.length);
        assertFalse(java.util.Arrays.equals(y, again), "each step has its own masks");
    }

    /**
     * Every LoRA gradient under one fixed mask (a fixed row key) against central differences of the
     * loss under the same mask: the backward pass must use the forward pass's mask on dA's input and
     * on the gradient flowing back through the branch. The difference quotients are taken in double
     * (over the steps as the float parameters really took them), with Richardson extrapolation; the
     * loss itself is computed in float, so the larger entries of each tensor are checked.
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.1, 0.5})
    void gradientsMatchFiniteDifferencesUnderAFixedMask(double p) {
        LoraAdapter adapter = adapter(RandomModels.weights(TINY, 5, 0.3), p);
        Backprop backprop = new Backprop(TINY, adapter, 16);
        long key = LoraDropout.rowKey(7, 3, 1);
        adapter.zeroGradients();
        double loss = backprop.run(IDS, IDS.length, TARGET, ONE, key, 1f).nll();
        float[][] grads = gradients(adapter);
        adapter.zeroGradients();
        assertNotEquals(loss, backprop.run(IDS, IDS.length, TARGET, ONE, key + 1, 1f).nll(), "another key, other masks");
        int checked = 0;
        for (int n = 0; n < grads.length; n++) {
            float[] parameter = adapter.parameters().get(n)[0], grad = grads[n];
            int best = 0;
            for (int i = 1; i < grad.length; i++) if (Math.abs(grad[i]) > Math.abs(grad[best])) best = i;
            for (int i : new int[] {best, (best + grad.length / 3) % grad.length, (best + 2 * grad.length / 3) % grad.length}) {
                if (Math.abs(grad[i]) < 0.1 * Math.abs(grad[best])) continue;
                // Richardson: (4 D(h) - D(2h)) / 3 cancels the h² term of central differences D.
                double numeric = (4 * difference(backprop, parameter, i, key, 1e-3f)
                        - difference(backprop, parameter, i, key, 2e-3f)) / 3;
                assertEquals(numeric, grad[i], 5e-3 * Math.abs(numeric) + 2e-3, "parameter " + n + " entry " + i);
                checked++;
            }
        }
        assertTrue(checked > 40, "checked " + checked);
    }

    /** (L(θ + h) − L(θ − h)) / 2h for entry i of a parameter, under the masks of {@code key}. */
    private static double difference(Backprop backprop, float[] parameter, int i, long key, float h) {
        float original = parameter[i];
        parameter[i] = original + h;
        double plus = backprop.run(IDS, IDS.length, TARGET, ONE, key, 1f).nll();
        parameter[i] = original - h;
        double minus = backprop.run(IDS, IDS.length, TARGET, ONE, key, 1f).nll();
        parameter[i] = original;
        return (plus - minus) / ((double) (original + h) - (double) (original - h));
    }

    @Test
    void zeroDropoutIsThePlainPathAndValidationNeverDrops() {
        ModelWeights base = RandomModels.weights(TINY, 5, 0.3);
        LoraAdapter plain = adapter(base, 0), dropped = adapter(base, 0.3);
        Backprop plainBackprop = new Backprop(TINY, plain, 16), droppedBackprop = new Backprop(TINY, dropped, 16);
        plain.zeroGradients();
        double viaRow = plainBackprop.run(IDS, IDS.length, TARGET, ONE, LoraDropout.rowKey(1, 2, 3), 1f).nll();
        float[][] rowGrads = gradients(plain);
        plain.zeroGradients();
        double viaSequence = plainBackprop.run(IDS, IDS.length, TARGET, 1f).nll();
        assertEquals(viaSequence, viaRow, 0.0, "p = 0: no key changes anything");
        float[][] sequenceGrads = gradients(plain);
        for (int i = 0; i < rowGrads.length; i++) assertArrayEquals(sequenceGrads[i], rowGrads[i]);

        dropped.zeroGradients();
        double train = droppedBackprop.run(IDS, IDS.length, TARGET, ONE, LoraDropout.rowKey(1, 2, 3), 1f).nll();
        assertNotEquals(viaSequence, train, "p = 0.3 drops in training");
        assertEquals(plainBackprop.loss(IDS, IDS.length, TARGET).nll(), droppedBackprop.loss(IDS, IDS.length, TARGET).nll(),
                0.0, "the validation loss has no dropout");
    }
}
