package dev.tinyforge.generate;

import dev.tinyforge.model.KvCache;
import dev.tinyforge.model.Transformer;
import java.util.SplittableRandom;

/**
 * Throughput the way llama-bench measures it: prompt processing (one batch of {@code promptTokens})
 * and generation ({@code genTokens} single-token steps), each repeated, random token ids, no sampling.
 */
public final class Benchmark {
    /** Tokens per second of each repetition. */
    public record Figures(double[] tokensPerSecond) {
        public double mean() {
            double s = 0;
            for (double v : tokensPerSecond) s += v;
            return s / tokensPerSecond.length;
        }

        public double stddev() {
            if (tokensPerSecond.length < 2) return 0;
            double m = mean(), s = 0;
            for (double v : tokensPerSecond) s += (v - m) * (v - m);
            return Math.sqrt(s / (tokensPerSecond.length - 1));
        }
    }

    /**
     * Unmeasured passes run for at least this long (and at least once): C2 compiles the kernels in the
     * background over the first second or two, and a small model's pass takes milliseconds, so one
     * warm-up pass left it half-compiled (tiny-19m tg32: 645 ± 193 t/s). llama-bench, compiled ahead
     * of time, needs one pass; this measures the same steady state. Time to first token is measured
     * apart, cold ({@link #firstToken}).
     */
    private static final long WARM_UP_NANOS = 2_000_000_000L;

    private Benchmark() {}

    public static Figures prompt(Transformer transformer, int promptTokens, int repetitions) {
        int[] tokens = randomTokens(transformer, promptTokens, 1);
        warmUp(() -> transformer.forward(tokens, 0, promptTokens, transformer.newCache(), false));
        double[] tps = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            KvCache cache = transformer.newCache();
            long start = System.nanoTime();
            transformer.forward(tokens, 0, promptTokens, cache, false);
            tps[r] = promptTokens * 1e9 / (System.nanoTime() - start);
        }
        return new Figures(tps);
    }

    public static Figures generation(Transformer transformer, int genTokens, int repetitions) {
        int[] tokens = randomTokens(transformer, genTokens, 2);
        warmUp(() -> {
            KvCache warm = transformer.newCache();
            for (int i = 0; i < genTokens; i++) transformer.forward(tokens, i, 1, warm, false);
        });
        double[] tps = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            KvCache cache = transformer.newCache();
            long start = System.nanoTime();
            for (int i = 0; i < genTokens; i++) transformer.forward(tokens, i, 1, cache, false);
            tps[r] = genTokens * 1e9 / (System.nanoTime() - start);
        }
        return new Figures(tps);
    }

    /** Runs {@code pass} once, then again until {@link #WARM_UP_NANOS} have passed. */
    private static void warmUp(Runnable pass) {
        long start = System.nanoTime();
        do {
            pass.run();
        } while (System.nanoTime() - start < WARM_UP_NANOS);
    }

    /** Runs a one-token prompt (token 1) on a fresh cache and returns the greedy next token: the first token's work. */
    public static int firstToken(Transformer transformer) {
        return Sampler.argmax(transformer.forward(new int[] {1}, 0, 1, transformer.newCache(), false));
    }

    private static int[] randomTokens(Transformer transformer, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] tokens = new int[n];
        for (int i = 0; i < n; i++) tokens[i] = random.nextInt(transformer.config().vocabSize());
        return tokens;
    }
}
