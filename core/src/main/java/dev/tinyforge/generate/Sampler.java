package dev.tinyforge.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks tokens from logits. One sampler per sequence: it owns the random stream (seeded, so a run
 * repeats exactly) and scratch arrays sized to the vocabulary, allocated once.
 */
public final class Sampler {
    private final SamplingParams params;
    private final SplittableRandom random;
    private final int[] order;
    private final float[] probs;
    /** The candidates' unnormalised exponentials (computed once per softmax, not once per pass). */
    private final double[] exps;
    private final int[] counts;
    private final long[] packed;

    public Sampler(SamplingParams params, int vocabSize) {
        this.params = params;
        this.random = new SplittableRandom(params.seed());
        this.order = new int[vocabSize];
        this.probs = new float[vocabSize];
        this.exps = new double[vocabSize];
        this.counts = params.hasPenalties() ? new int[vocabSize] : null;
        this.packed = new long[vocabSize];
    }

    /**
     * Chooses the next token. {@code logits} is modified (penalties); {@code history} holds the
     * tokens so far, of which the last {@code historyLength} are valid.
     */
    public int sample(float[] logits, int[] history, int historyLength) {
        if (counts != null) applyPenalties(logits, history, historyLength);
        if (params.isGreedy()) return argmax(logits);

        int n = candidates(logits);
        if (params.topP() < 1 || params.minP() > 0) {
            // Probabilities of the candidates before temperature, as llama.cpp's top-p and min-p see them.
            softmax(logits, n, 1.0);
            n = cutTopP(n);
            n = cutMinP(n);
        }
        softmax(logits, n, params.temperature());
        double r = random.nextDouble();
        double cumulative = 0;
        for (int i = 0; i < n; i++) {
            cumulative += probs[i];
            if (r < cumulative) return order[i];
        }
        return order[n - 1];
    }

    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) best = i;
        }
        return best;
    }

    private void applyPenalties(float[] logits, int[] history, int historyLength) {
        int from = Math.max(0, historyLength - params.penaltyWindow());
        for (int i = from; i < historyLength; i++) counts[history[i]]++;
        for (int i = from; i < historyLength; i++) {
            int token = history[i];
            int c = counts[token];
            if (c == 0) continue; // already penalised
            float logit = logits[token];
            logit = (float) (logit > 0 ? logit / params.repeatPenalty() : logit * params.repeatPenalty());
            logit -= (float) (c * params.frequencyPenalty() + params.presencePenalty());
            logits[token] = logit;
            counts[token] = 0;
        }
    }

    /**
     * Fills {@code order} with the candidate tokens, most likely first (ties: lower id first); returns how many.
     * Tokens at -inf (masked by a grammar) are left out, unless every token is.
     */
    private int candidates(float[] logits) {
        int vocab = logits.length;
        int k = params.topK() > 0 ? Math.min(params.topK(), vocab) : vocab;
        boolean skipMasked = logits[Sampler.argmax(logits)] != Float.NEGATIVE_INFINITY;
        // (logit, id) pairs packed in longs so that one primitive comparison orders them.
        if (k < vocab / 8) {
            // Keep the best k in a min-heap: O(vocab log k), no full sort for the common top-k case.
            int size = 0;
            for (int i = 0; i < vocab; i++) {
                if (skipMasked && logits[i] == Float.NEGATIVE_INFINITY) continue;
                long key = pack(logits[i], i, vocab);
                if (size < k) {
                    packed[size] = key;
                    siftUp(size++);
                } else if (key > packed[0]) {
                    packed[0] = key;
                    siftDown(size);
                }
            }
            k = size;
            Arrays.sort(packed, 0, k);
        } else {
            int n = 0;
            for (int i = 0; i < vocab; i++) {
                if (!skipMasked || logits[i] != Float.NEGATIVE_INFINITY) packed[n++] = pack(logits[i], i, vocab);
            }
            Arrays.sort(packed, 0, n);
            k = Math.min(k, n);
            System.arraycopy(packed, n - k, packed, 0, k);
        }
        for (int i = 0; i < k; i++) order[i] = vocab - 1 - (int) (packed[k - 1 - i] & 0xFFFFFFFFL);
        return k;
    }

    private static long pack(float logit, int id, int vocab) {
        return ((long) sortableBits(logit) << 32) | (vocab - 1 - id);
    }

    private void siftUp(int i) {
        long key = packed[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (packed[parent] <= key) break;
            packed[i] = packed[parent];
            i = parent;
        }
        packed[i] = key;
    }

    private void siftDown(int size) {
        long key = packed[0];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) break;
            if (child + 1 < size && packed[child + 1] < packed[child]) child++;
            if (packed[child] >= key) break;
            packed[i] = packed[child];
            i = child;
        }
        packed[i] = key;
    }

    /** Maps a float to an int whose signed order matches the float order (NaN sorts lowest). */
    private static int sortableBits(float f) {
        if (Float.isNaN(f)) return Integer.MIN_VALUE;
        int bits = Float.floatToIntBits(f);
        return bits >= 0 ? bits : bits ^ 0x7FFFFFFF;
    }

    /** Sets probs[0..n) to the softmax of the candidates' logits at the given temperature. */
    private void softmax(float[] logits, int n, double temperature) {
        double max = logits[order[0]];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double e = Math.exp((logits[order[i]] - max) / temperature);
            exps[i] = e;
            sum += e;
        }
        for (int i = 0; i < n; i++) probs[i] = (float) (exps[i] / sum);
    }

    private int cutTopP(int n) {
        if (params.topP() >= 1) return n;
        double cumulative = 0;
        for (int i = 0; i < n; i++) {
            cumulative += probs[i];
            if (cumulative >= params.topP()) return i + 1;
        }
        return n;
    }

    private int cutMinP(int n) {
        if (params.minP() <= 0) return n;
        double threshold = probs[0] * params.minP();
        int kept = 1;
        while (kept < n && probs[kept] >= threshold) kept++;
        return kept;
    }
}
