package dev.tinyforge.train;

import dev.tinyforge.model.LayerWeights;
import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.ModelWeights;
import dev.tinyforge.model.QuantizedMatrix;
import dev.tinyforge.model.WeightMatrix;
import dev.tinyforge.quant.GgmlType;
import java.lang.management.ManagementFactory;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The resident memory a training run takes, in parts, from the shapes alone (a dry run builds
 * nothing). Each part counts what the code holds: the base matrices as stored (mapped, heap or
 * quantized for QLoRA), each trainable value with its gradient and two AdamW moments (and a best
 * copy when there is validation), {@link Backprop}'s arrays for the longest sequence, and the JVM:
 * its own ~80 MiB plus a young generation that fills up during the kernels' warm-up. Checked against
 * bench-train's peak RSS.
 *
 * @param weights     the base weights as the run holds them
 * @param trainable   trainable parameters with their gradients and AdamW moments
 * @param activations what the backward pass keeps, and the work arrays, for the longest sequence
 * @param overhead    the JVM itself and its young generation
 */
public record MemoryEstimate(long weights, long trainable, long activations, long overhead) {
    /** The JVM beside the heap: code, metaspace, thread stacks, GC structures (~70 MiB measured, plus margin). */
    private static final long JVM = 80L << 20;

    public long total() {
        return weights + trainable + activations + overhead;
    }

    /** The parts in words, e.g. for a dry run. */
    public String describe() {
        return "weights " + mib(weights) + ", trainable parameters with gradients and AdamW moments " + mib(trainable)
                + ", activations " + mib(activations) + ", JVM " + mib(overhead);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }

    /**
     * @param lora       the LoRA settings, or null for full fine-tuning
     * @param validation whether the run validates (and so keeps a copy of the best parameters)
     */
    public static MemoryEstimate forRun(ModelConfig c, ModelWeights base, String method, LoraConfig lora, GgmlType qloraType,
                                        int longest, boolean validation) {
        return forRun(c, base, method, lora, qloraType, longest, validation, false);
    }

    /** As above, with activations recomputed in the backward pass ({@code gradient_checkpointing}) or kept. */
    public static MemoryEstimate forRun(ModelConfig c, ModelWeights base, String method, LoraConfig lora, GgmlType qloraType,
                                        int longest, boolean validation, boolean recompute) {
        long weights = 0;
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
        long trainable = lora == null ? 12 * c.parameterCount() : 16 * loraParameters;
        if (validation) trainable += 4 * (lora == null ? c.parameterCount() : loraParameters);
        long activations = 4 * Backprop.floats(c, Math.max(2, longest), lora == null ? 0 : lora.rank(),
                lora == null ? 0 : lora.targets().size(), recompute);
        return new MemoryEstimate(weights, trainable, activations, JVM + youngGeneration());
    }

    private static long stored(WeightMatrix m, String method, GgmlType qloraType) {
        long n = (long) m.rows() * m.cols();
        if (method.equals("full")) return 4 * n;
        if (m instanceof QuantizedMatrix q && (q.type().isQuantized() || !method.equals("qlora"))) return q.type().byteSize(n);
        if (method.equals("qlora") && m.cols() % 32 == 0) return QloraQuantizer.typeFor(qloraType, m.cols()).byteSize(n);
        return 4 * n;
    }

    /** The young generation's limit in this JVM (the launcher caps it at 256 MiB), at most a third of the heap. */
    private static long youngGeneration() {
        long max = Runtime.getRuntime().maxMemory() / 3;
        try {
            var hotspot = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return Math.min(max, Long.parseLong(hotspot.getVMOption("MaxNewSize").getValue()));
        } catch (RuntimeException e) {
            return max;
        }
    }
}
