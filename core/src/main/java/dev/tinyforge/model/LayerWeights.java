package dev.tinyforge.model;

/**
 * One transformer block's weights. Norm weights and biases are small and held as floats; the
 * projections stay in their stored type. Biases are null where the family has none.
 */
public record LayerWeights(
        float[] attentionNorm,
        WeightMatrix query, WeightMatrix key, WeightMatrix value, WeightMatrix output,
        float[] queryBias, float[] keyBias, float[] valueBias,
        float[] ffnNorm,
        WeightMatrix gate, WeightMatrix up, WeightMatrix down) {}
