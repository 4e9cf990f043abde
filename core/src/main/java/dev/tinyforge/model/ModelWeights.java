package dev.tinyforge.model;

import java.util.List;

/**
 * All weights of a Llama-family model. {@code output} is the embedding matrix itself when the
 * model ties them. {@code ropeLayout} says how q/k rows pair up for RoPE in these weights.
 */
public record ModelWeights(WeightMatrix embedding, List<LayerWeights> layers, float[] outputNorm,
                           WeightMatrix output, Rope.Layout ropeLayout, float[] ropeFreqFactors) {
    public ModelWeights {
        layers = List.copyOf(layers);
    }
}
