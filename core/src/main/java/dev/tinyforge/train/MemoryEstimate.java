package dev.tinyforge.train;

import dev.tinyforge.model.LayerWeights;
import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.ModelWeights;
import dev.tinyforge.model.QuantizedMatrix;
import dev.tinyforge.model.WeightMatrix;
import dev.tinyforge.quant.GgmlType;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The memory a training run takes, in parts (first version; calibrated against bench-train below).
 *
 * @param weights     the base weights as the run holds them
 * @param trainable   trainable parameters with their gradients and AdamW moments
 * @param activations what one sequence keeps for its backward pass
 * @param overhead    the JVM itself and everything else
 */
public record MemoryEstimate(long weights, long trainable, long activations, long overhead) {
    public long total() {
        return weights + trainable + activations + overhead;
    }

    /** The parts in words, e.g. for a dry run. */
    public String describe() {
        return "weights " + mib(weights) + ", trainable parameters with gradients and AdamW moments " + mib(trainable)
                + ", activations " + mib(activations) + ", JVM and other " + mib(overhead);
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }

    /**
     * @param lora the LoRA settings, or null for full fine-tuning
     */
    public static MemoryEstimate forRun(ModelConfig c, ModelWeights base, String method, LoraConfig lora, GgmlType qloraType,
                                        int longest) {
        long weights = 0, trainable;
        Map<WeightMatrix, Boolean> seen = new IdentityHashMap<>();
        for (WeightMatrix m : new WeightMatrix[] {base.embedding(), base.output()}) {
            if (seen.put(m, true) == null) weights += stored(m, method, GgmlType.Q8_0);
        }
        long loraParameters = 0;
        for (LayerWeights l : base.layers()) {
            for (LoraTarget t : LoraTarget.values()) {
                WeightMatrix m = t.of(l);
                weights += stored(m, method, qloraType);
                if (lora != null && lora.targets().contains(t)) loraParameters += (long) lora.rank() * (m.rows() + m.cols());
            }
        }
        if (lora == null) {
            trainable = 12 * c.parameterCount();
        } else {
            trainable = 16 * loraParameters;
        }
        long perToken = (long) c.layers() * (6L * c.hiddenSize() + 3L * c.intermediateSize() + 2L * c.queryDim()
                + 2L * c.kvDim() + (long) c.heads() * longest) * 4;
        long activations = perToken * longest + 64L * longest * c.vocabSize();
        return new MemoryEstimate(weights, trainable, activations, 100L << 20);
    }

    private static long stored(WeightMatrix m, String method, GgmlType qloraType) {
        long n = (long) m.rows() * m.cols();
        if (method.equals("full")) return 4 * n;
        if (m instanceof QuantizedMatrix q && (q.type().isQuantized() || !method.equals("qlora"))) return q.type().byteSize(n);
        if (method.equals("qlora")) return qloraType.byteSize(n);
        return 4 * n;
    }
}
