package dev.tinyforge.train;

import dev.tinyforge.model.FloatMatrix;
import dev.tinyforge.model.LayerWeights;
import dev.tinyforge.model.ModelWeights;
import dev.tinyforge.model.WeightMatrix;
import dev.tinyforge.util.BadInputException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Full fine-tuning: every matrix, norm weight and bias of a model held as floats on the heap, each
 * with a gradient. A tied output shares the embedding's array and gradient.
 */
public final class FullParameters implements Trainables {
    private final ModelWeights weights;
    private final Map<Object, float[]> gradients = new IdentityHashMap<>();
    private final List<float[][]> parameters = new ArrayList<>();

    public FullParameters(ModelWeights weights) {
        this.weights = weights;
        add(weights.embedding());
        for (LayerWeights l : weights.layers()) {
            add(l.attentionNorm());
            for (WeightMatrix m : new WeightMatrix[] {l.query(), l.key(), l.value(), l.output()}) add(m);
            for (float[] bias : new float[][] {l.queryBias(), l.keyBias(), l.valueBias()}) {
                if (bias != null) add(bias);
            }
            add(l.ffnNorm());
            for (WeightMatrix m : new WeightMatrix[] {l.gate(), l.up(), l.down()}) add(m);
        }
        add(weights.outputNorm());
        if (weights.output() != weights.embedding()) add(weights.output());
    }

    /**
     * Full fine-tuning of a loaded model: every weight copied to the heap as float32 (decoded if it
     * is stored otherwise), so it can be updated. A tied output stays tied.
     */
    public static FullParameters copyOf(ModelWeights w) {
        Map<WeightMatrix, FloatMatrix> copies = new IdentityHashMap<>();
        java.util.function.Function<WeightMatrix, FloatMatrix> copy = m -> copies.computeIfAbsent(m, k -> {
            float[] data = new float[Math.multiplyExact(k.rows(), k.cols())];
            for (int r = 0; r < k.rows(); r++) k.row(r, data, r * k.cols());
            return new FloatMatrix(k.rows(), k.cols(), data);
        });
        List<LayerWeights> layers = new ArrayList<>();
        for (LayerWeights l : w.layers()) {
            layers.add(new LayerWeights(l.attentionNorm().clone(), copy.apply(l.query()), copy.apply(l.key()),
                    copy.apply(l.value()), copy.apply(l.output()), clone(l.queryBias()), clone(l.keyBias()),
                    clone(l.valueBias()), l.ffnNorm().clone(), copy.apply(l.gate()), copy.apply(l.up()), copy.apply(l.down())));
        }
        return new FullParameters(new ModelWeights(copy.apply(w.embedding()), layers, w.outputNorm().clone(),
                copy.apply(w.output()), w.ropeLayout(), w.ropeFreqFactors()));
    }

    private static float[] clone(float[] a) {
        return a == null ? null : a.clone();
    }

    private void add(WeightMatrix m) {
        if (!(m instanceof FloatMatrix f)) {
            throw new BadInputException("full fine-tuning needs float32 weights in memory; this model stores "
                    + m.typeName() + " (convert it to F32 first)");
        }
        add(f, f.data());
    }

    private void add(float[] vector) {
        add(vector, vector);
    }

    private void add(Object key, float[] values) {
        if (gradients.containsKey(key)) return;
        float[] grad = new float[values.length];
        gradients.put(key, grad);
        parameters.add(new float[][] {values, grad});
    }

    @Override
    public ModelWeights weights() {
        return weights;
    }

    @Override
    public float[] gradientOf(WeightMatrix matrix) {
        return gradients.get(matrix);
    }

    @Override
    public float[] gradientOf(float[] vector) {
        return gradients.get(vector);
    }

    @Override
    public List<float[][]> parameters() {
        return parameters;
    }
}
