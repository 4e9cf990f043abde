package dev.tinyforge.model;

/**
 * Everything about a Llama-family model's shape and arithmetic, whichever file it came from. The
 * families differ only in these values: GQA head counts, RoPE base and scaling, q/k/v biases,
 * tied embeddings, the MLP activation, Gemma's norm offset and embedding scale, Mistral's window.
 *
 * @param normWeightOffset added to every RMSNorm weight before use (1 for Gemma's HF weights, whose
 *                         norms are stored as w - 1; 0 elsewhere, including Gemma GGUF files, where
 *                         the converter already added it)
 * @param scaleEmbeddings  whether token embeddings are multiplied by sqrt(hiddenSize) (Gemma)
 * @param slidingWindow    attention window in tokens, or 0 for full attention
 */
public record ModelConfig(
        Family family,
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int layers,
        int heads,
        int kvHeads,
        int headDim,
        int contextLength,
        double normEps,
        double ropeTheta,
        RopeScaling ropeScaling,
        boolean qkvBias,
        boolean tiedEmbeddings,
        Activation activation,
        float normWeightOffset,
        boolean scaleEmbeddings,
        int slidingWindow) {

    /** Upper bounds far above any real model, so hostile files cannot ask for absurd allocations. */
    static final int MAX_DIM = 1 << 17, MAX_LAYERS = 1024, MAX_VOCAB = 1 << 22, MAX_CONTEXT = 1 << 24;

    public ModelConfig {
        java.util.Objects.requireNonNull(family, "family");
        java.util.Objects.requireNonNull(ropeScaling, "ropeScaling");
        java.util.Objects.requireNonNull(activation, "activation");
        check(vocabSize, MAX_VOCAB, "vocab size");
        check(hiddenSize, MAX_DIM, "hidden size");
        check(intermediateSize, MAX_DIM * 4, "intermediate size");
        check(layers, MAX_LAYERS, "layer count");
        check(heads, MAX_DIM, "attention head count");
        check(kvHeads, MAX_DIM, "key/value head count");
        check(headDim, MAX_DIM, "head dimension");
        check(contextLength, MAX_CONTEXT, "context length");
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("attention head count " + heads
                    + " is not a multiple of the key/value head count " + kvHeads);
        }
        if (headDim % 2 != 0) throw new IllegalArgumentException("head dimension " + headDim + " is odd; RoPE needs pairs");
        if (!(normEps > 0 && normEps < 1)) throw new IllegalArgumentException("norm epsilon " + normEps + " is not in (0, 1)");
        if (!(ropeTheta > 0) || Double.isInfinite(ropeTheta)) {
            throw new IllegalArgumentException("RoPE base " + ropeTheta + " is not a positive number");
        }
        if (slidingWindow < 0) throw new IllegalArgumentException("sliding window " + slidingWindow + " is negative");
    }

    private static void check(int value, int max, String what) {
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(what + " " + value + " is outside 1.." + max);
        }
    }

    /** Width of all query heads together. */
    public int queryDim() {
        return heads * headDim;
    }

    /** Width of all key (or value) heads together. */
    public int kvDim() {
        return kvHeads * headDim;
    }

    /** Query heads per key/value head (GQA group size; 1 for plain multi-head attention). */
    public int groupSize() {
        return heads / kvHeads;
    }

    /** Weights in the model, counting a tied embedding once. */
    public long parameterCount() {
        long h = hiddenSize, q = queryDim(), kv = kvDim(), ffn = intermediateSize;
        long perLayer = h * q + 2 * h * kv + q * h + 3 * h * ffn + 2 * h + (qkvBias ? q + 2 * kv : 0);
        return (long) vocabSize * h * (tiedEmbeddings ? 1 : 2) + layers * perLayer + h;
    }
}
