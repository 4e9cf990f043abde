package dev.tinyforge.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.model.Activation;
import dev.tinyforge.model.Family;
import dev.tinyforge.model.FloatMatrix;
import dev.tinyforge.model.LayerWeights;
import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.ModelWeights;
import dev.tinyforge.model.QuantizedMatrix;
import dev.tinyforge.model.RandomModels;
import dev.tinyforge.model.RopeScaling;
import dev.tinyforge.model.WeightMatrix;
import dev.tinyforge.quant.GgmlType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** QLoRA: LoRA over a base held in ggml blocks, whose forward and backward read the blocks in place. */
class QloraTest {
    /** A small llama whose every matrix has rows of whole 32-value blocks; qkv biases exercise that path too. */
    private static final ModelConfig CONFIG = new ModelConfig(Family.QWEN2, 96, 64, 128, 2, 4, 2, 16, 128, 1e-5, 10000,
            RopeScaling.NONE, true, false, Activation.SILU, 0f, false, 0);

    private static LoraConfig lora() {
        return new LoraConfig(4, 8, 0, EnumSet.allOf(LoraTarget.class), false);
    }

    /** The same weights as floats: each quantized matrix decoded row by row. */
    private static ModelWeights dequantized(ModelWeights q) {
        java.util.function.UnaryOperator<WeightMatrix> f = m -> {
            float[] data = new float[m.rows() * m.cols()];
            for (int r = 0; r < m.rows(); r++) m.row(r, data, r * m.cols());
            return new FloatMatrix(m.rows(), m.cols(), data);
        };
        List<LayerWeights> layers = new ArrayList<>();
        for (LayerWeights l : q.layers()) {
            layers.add(new LayerWeights(l.attentionNorm(), f.apply(l.query()), f.apply(l.key()), f.apply(l.value()),
                    f.apply(l.output()), l.queryBias(), l.keyBias(), l.valueBias(), l.ffnNorm(), f.apply(l.gate()),
                    f.apply(l.up()), f.apply(l.down())));
        }
        return new ModelWeights(f.apply(q.embedding()), layers, q.outputNorm(), f.apply(q.output()), q.ropeLayout(),
                q.ropeFreqFactors());
    }

    /** An adapter whose B is not zero, so that the gradients of A are not zero either. */
    private static LoraAdapter adapter(ModelWeights base) {
        return TestAdapters.withRandomB(base, lora().rank(), lora().alpha(), lora().dropout(), 0.05);
    }

    @ParameterizedTest
    @ValueSource(strings = {"q4_0", "q8_0"})
    void gradientsEqualLoraOnTheDequantizedBase(String type) {
        ModelWeights floats = RandomModels.weights(CONFIG, 11, 0.2);
        ModelWeights quantized = QloraBase.quantize(floats, QloraBase.parseType(type));
        assertInstanceOf(QuantizedMatrix.class, quantized.layers().get(0).gate());
        assertEquals(GgmlType.Q8_0, ((QuantizedMatrix) quantized.output()).type());
        long projections = 2L * (64 * 64 * 2 + 32 * 64 * 2 + 3 * 128 * 64);
        long expected = projections * (type.equals("q4_0") ? 18 : 34) / 32 + 2L * 96 * 64 * 34 / 32;
        assertEquals(expected, QloraBase.matrixBytes(quantized), "4.5 (Q4_0) or 8.5 (Q8_0) bits per projection weight");

        LoraAdapter q = adapter(quantized), f = adapter(dequantized(quantized));
        int[] ids = {1, 17, 5, 90, 33, 2, 64, 8, 8, 41, 77, 3, 12, 50, 29, 6, 71, 19, 30, 95};
        boolean[] target = new boolean[ids.length];
        for (int t = 4; t < ids.length; t++) target[t] = true;
        double lossQ = new Backprop(CONFIG, q, ids.length).run(ids, ids.length, target, 1f / 16).nll();
        double lossF = new Backprop(CONFIG, f, ids.length).run(ids, ids.length, target, 1f / 16).nll();
        assertEquals(lossF, lossQ, 1e-5 * lossF, "loss");
        for (int i = 0; i < q.slots().size(); i++) {
            LoraAdapter.Slot a = q.slots().get(i), b = f.slots().get(i);
            assertClose(b.gradA(), a.gradA(), a.peftPrefix() + " A");
            assertClose(b.gradB(), a.gradB(), a.peftPrefix() + " B");
        }
    }

    /** Q4_K holds the matrices whose rows are whole 256-value super-blocks; the others fall back to Q5_0. */
    @org.junit.jupiter.api.Test
    void q4kHoldsWholeSuperBlockRowsAndFallsBackToQ5_0() {
        // hidden 256, ffn 128: every projection but down reads rows of 256; down reads rows of 128.
        ModelConfig config = new ModelConfig(Family.LLAMA, 96, 256, 128, 1, 4, 2, 64, 128, 1e-5, 10000,
                RopeScaling.NONE, false, false, Activation.SILU, 0f, false, 0);
        ModelWeights floats = RandomModels.weights(config, 13, 0.2);
        ModelWeights quantized = QloraBase.quantize(floats, QloraBase.parseType("q4_k"));
        LayerWeights layer = quantized.layers().get(0);
        for (WeightMatrix m : List.of(layer.query(), layer.key(), layer.value(), layer.output(), layer.gate(), layer.up())) {
            assertEquals(GgmlType.Q4_K, ((QuantizedMatrix) m).type(), m + " reads rows of 256");
        }
        assertEquals(GgmlType.Q5_0, ((QuantizedMatrix) layer.down()).type(), "down reads rows of 128: llama.cpp's fallback");
        long estimated = MemoryEstimate.forRun(config, floats, "qlora", lora(), GgmlType.Q4_K, 16, false).weights();
        assertEquals(QloraBase.matrixBytes(quantized), estimated, "the dry run's estimate counts each matrix's own type");

        LoraAdapter q = adapter(quantized), f = adapter(dequantized(quantized));
        int[] ids = {1, 17, 5, 90, 33, 2, 64, 8, 8, 41, 77, 3, 12, 50, 29, 6};
        boolean[] target = new boolean[ids.length];
        for (int t = 3; t < ids.length; t++) target[t] = true;
        double lossQ = new Backprop(config, q, ids.length).run(ids, ids.length, target, 1f / 13).nll();
        double lossF = new Backprop(config, f, ids.length).run(ids, ids.length, target, 1f / 13).nll();
        assertEquals(lossF, lossQ, 1e-5 * lossF, "loss");
        for (int i = 0; i < q.slots().size(); i++) {
            assertClose(f.slots().get(i).gradA(), q.slots().get(i).gradA(), q.slots().get(i).peftPrefix() + " A");
            assertClose(f.slots().get(i).gradB(), q.slots().get(i).gradB(), q.slots().get(i).peftPrefix() + " B");
        }
    }

    /** max|a - b| / max|b| below 1e-5: only the order of float sums differs. */
    private static void assertClose(float[] expected, float[] actual, String what) {
        double diff = 0, scale = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        assertTrue(scale > 0 && diff / scale < 1e-5, what + ": relative error " + diff / scale);
    }

    @ParameterizedTest
    @ValueSource(strings = {"q4_0"})
    void trainingReducesTheLoss(String type) {
        ModelWeights base = QloraBase.quantize(RandomModels.weights(CONFIG, 12, 0.2), QloraBase.parseType(type));
        LoraAdapter adapter = LoraAdapter.initialize(base, lora(), 5);
        SplittableRandom random = new SplittableRandom(6);
        List<TokenizedExample> data = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int[] ids = new int[24];
            boolean[] target = new boolean[24];
            for (int t = 0; t < ids.length; t++) {
                ids[t] = random.nextInt(CONFIG.vocabSize());
                target[t] = t > 0;
            }
            data.add(new TokenizedExample(ids, target, false));
        }
        var config = new TrainingConfig(2e-2, LrSchedule.Kind.CONSTANT, 0, 4, 1, 1, 30, 1, 0, 1.0, 0, 0);
        List<Double> losses = new ArrayList<>();
        new Trainer(CONFIG, adapter, config).train(data, List.of(), new Trainer.Listener() {
            @Override
            public void step(Trainer.StepMetrics m, int total) {
                losses.add(m.trainLoss());
            }
        });
        assertTrue(losses.getLast() < 0.5 * losses.getFirst(), "losses " + losses);
    }
}
