package dev.tinyforge.train;

import dev.tinyforge.model.ModelWeights;
import dev.tinyforge.model.WeightMatrix;
import java.util.List;

/**
 * What a run trains: the weights the forward pass uses, and which of their arrays get gradients.
 * LoRA trains small added matrices ({@link LoraAdapter}); full fine-tuning trains every weight
 * ({@link FullParameters}).
 */
public interface Trainables {
    /** The weights the forward and backward passes run on. */
    ModelWeights weights();

    /** The LoRA slot of a matrix of {@link #weights}, or null. */
    default LoraAdapter.Slot slotOf(WeightMatrix matrix) {
        return null;
    }

    /** The gradient array of a whole weight matrix (full fine-tuning), or null when it is frozen. */
    default float[] gradientOf(WeightMatrix matrix) {
        return null;
    }

    /** The gradient array of a norm weight vector, or null when it is frozen. */
    default float[] gradientOf(float[] vector) {
        return null;
    }

    /** Every (parameter, gradient) pair, in a fixed order (optimizer state and snapshots follow it). */
    List<float[][]> parameters();

    default void zeroGradients() {
        for (float[][] pair : parameters()) java.util.Arrays.fill(pair[1], 0f);
    }

    default long parameterCount() {
        long n = 0;
        for (float[][] pair : parameters()) n += pair[0].length;
        return n;
    }
}
