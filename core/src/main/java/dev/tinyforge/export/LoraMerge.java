package dev.tinyforge.export;

import dev.tinyforge.model.FloatMatrix;
import dev.tinyforge.model.LayerWeights;
import dev.tinyforge.model.LoraMatrix;
import dev.tinyforge.model.ModelWeights;
import dev.tinyforge.model.WeightMatrix;
import dev.tinyforge.tensor.Parallel;
import dev.tinyforge.train.LoraAdapter;
import dev.tinyforge.train.LoraTarget;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds a LoRA adapter into its base: every adapted weight becomes W + s · B · A in float32 (each
 * entry's low-rank sum taken in double, then scaled and added to W's float value once), the form
 * PEFT's {@code merge_and_unload} produces. The other weights stay as the base holds them (mapped).
 * Merged matrices live on the heap: 4 bytes per weight of each adapted matrix.
 */
public final class LoraMerge {
    private LoraMerge() {}

    public static ModelWeights merge(LoraAdapter adapter) {
        ModelWeights base = adapter.base();
        Map<WeightMatrix, WeightMatrix> merged = new IdentityHashMap<>();
        for (LoraAdapter.Slot s : adapter.slots()) {
            merged.put(s.target().of(base.layers().get(s.layer())), merged(s.matrix()));
        }
        List<LayerWeights> layers = new ArrayList<>();
        for (LayerWeights w : base.layers()) {
            layers.add(new LayerWeights(w.attentionNorm(),
                    pick(merged, w, LoraTarget.Q_PROJ), pick(merged, w, LoraTarget.K_PROJ),
                    pick(merged, w, LoraTarget.V_PROJ), pick(merged, w, LoraTarget.O_PROJ),
                    w.queryBias(), w.keyBias(), w.valueBias(), w.ffnNorm(),
                    pick(merged, w, LoraTarget.GATE_PROJ), pick(merged, w, LoraTarget.UP_PROJ),
                    pick(merged, w, LoraTarget.DOWN_PROJ)));
        }
        return new ModelWeights(base.embedding(), layers, base.outputNorm(), base.output(), base.ropeLayout(),
                base.ropeFreqFactors());
    }

    private static WeightMatrix pick(Map<WeightMatrix, WeightMatrix> merged, LayerWeights w, LoraTarget target) {
        WeightMatrix plain = target.of(w);
        return merged.getOrDefault(plain, plain);
    }

    /** W + s · B · A as one float32 matrix. */
    static FloatMatrix merged(LoraMatrix lora) {
        int rows = lora.rows(), cols = lora.cols(), rank = lora.rank();
        float[] a = lora.a().data(), b = lora.b().data();
        float scale = lora.scale();
        float[] out = new float[Math.multiplyExact(rows, cols)];
        Parallel.forRange(rows, Parallel.grain((long) cols * rank), (from, to) -> {
            double[] delta = new double[cols];
            float[] row = new float[cols];
            for (int r = from; r < to; r++) {
                java.util.Arrays.fill(delta, 0);
                for (int j = 0; j < rank; j++) {
                    double coefficient = b[r * rank + j];
                    if (coefficient == 0) continue;
                    int at = j * cols;
                    for (int c = 0; c < cols; c++) delta[c] += coefficient * a[at + c];
                }
                lora.base().row(r, row, 0);
                for (int c = 0; c < cols; c++) out[r * cols + c] = row[c] + (float) (scale * delta[c]);
            }
        });
        return new FloatMatrix(rows, cols, out);
    }
}
