package dev.tinyforge.train;

import dev.tinyforge.model.LayerWeights;
import dev.tinyforge.model.ModelWeights;
import dev.tinyforge.model.QuantizedMatrix;
import dev.tinyforge.model.RandomModels;
import dev.tinyforge.model.WeightMatrix;
import dev.tinyforge.quant.GgmlType;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * QLoRA's frozen base: the block projections held in a 4-bit (or 8-bit) ggml block type (Q4_0,
 * Q4_K with Q5_0 for rows that are not whole 256-value super-blocks, or Q8_0) and the
 * embedding and output matrices in Q8_0, so the base costs ~4.5 bits per projection weight instead
 * of 32; the forward and backward passes read the blocks in place ({@link QuantizedMatrix}).
 * Matrices that are already quantized (a GGUF base) are kept as they are, and so are the rare ones
 * whose rows are not whole 32-value blocks (stories260K's 172-wide down projection). Where QLoRA's
 * paper uses NF4 we use ggml's Q4_0, which llama.cpp reads too.
 */
public final class QloraBase {
    private QloraBase() {}

    /** Parses {@code q4_0}, {@code q4_k} or {@code q8_0}. */
    public static GgmlType parseType(String name) {
        GgmlType type;
        try {
            type = GgmlType.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            type = null;
        }
        if (type == null || !QloraQuantizer.supports(type)) {
            throw new dev.tinyforge.util.BadInputException("qlora_type must be q4_0, q4_k or q8_0, got '" + name + "'");
        }
        return type;
    }

    /** How one matrix is stored: the projections as {@code projections}, embedding and output as Q8_0. */
    private static UnaryOperator<WeightMatrix> storage(GgmlType projections, boolean embeddingOrOutput) {
        GgmlType type = embeddingOrOutput ? GgmlType.Q8_0 : projections;
        return m -> m instanceof QuantizedMatrix || m.cols() % 32 != 0 ? m : QloraQuantizer.quantize(m, type);
    }

    /**
     * Makes random matrices straight into their QLoRA storage, row by row (benchmarks: no float copy
     * of the model ever exists), values N(0, std²) drawn as {@link RandomModels#weights} draws them.
     */
    public static RandomModels.MatrixMaker randomMaker(GgmlType projections, boolean embeddingOrOutput, double std) {
        GgmlType type = embeddingOrOutput ? GgmlType.Q8_0 : projections;
        return (random, rows, cols) -> QloraQuantizer.quantize(rows, cols, (r, out) -> {
            for (int i = 0; i < cols; i++) out[i] = (float) (random.nextGaussian() * std);
        }, type);
    }

    /** {@code w} with every matrix quantized as {@link #storage} says; norms, biases and tying kept. */
    public static ModelWeights quantize(ModelWeights w, GgmlType projections) {
        Map<WeightMatrix, WeightMatrix> done = new IdentityHashMap<>();
        UnaryOperator<WeightMatrix> linear = m -> done.computeIfAbsent(m, storage(projections, false));
        UnaryOperator<WeightMatrix> outer = m -> done.computeIfAbsent(m, storage(projections, true));
        List<LayerWeights> layers = new ArrayList<>();
        for (LayerWeights l : w.layers()) {
            layers.add(new LayerWeights(l.attentionNorm(), linear.apply(l.query()), linear.apply(l.key()),
                    linear.apply(l.value()), linear.apply(l.output()), l.queryBias(), l.keyBias(), l.valueBias(),
                    l.ffnNorm(), linear.apply(l.gate()), linear.apply(l.up()), linear.apply(l.down())));
        }
        return new ModelWeights(outer.apply(w.embedding()), layers, w.outputNorm(), outer.apply(w.output()),
                w.ropeLayout(), w.ropeFreqFactors());
    }

    /** Bytes the matrices of {@code w} take as stored (norms and biases left out). */
    public static long matrixBytes(ModelWeights w) {
        Map<WeightMatrix, Boolean> seen = new IdentityHashMap<>();
        long bytes = 0;
        List<WeightMatrix> all = new ArrayList<>(List.of(w.embedding(), w.output()));
        for (LayerWeights l : w.layers()) {
            all.addAll(List.of(l.query(), l.key(), l.value(), l.output(), l.gate(), l.up(), l.down()));
        }
        for (WeightMatrix m : all) {
            if (seen.put(m, true) != null) continue;
            bytes += m instanceof QuantizedMatrix q ? q.type().byteSize((long) q.rows() * q.cols()) : 4L * m.rows() * m.cols();
        }
        return bytes;
    }
}
