package dev.tinyforge.data.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The random choices a generator makes, all from one seeded {@link SplittableRandom}. */
final class Dice {
    private final SplittableRandom random;

    Dice(long seed) {
        this.random = new SplittableRandom(seed);
    }

    <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    @SafeVarargs
    final <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    /** True with probability {@code p}. */
    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    /** A uniform integer in {@code [lo, hi]}, both ends included. */
    int between(int lo, int hi) {
        return lo + random.nextInt(hi - lo + 1);
    }

    /** {@code k} distinct elements in random order. */
    <T> List<T> sample(List<T> from, int k) {
        List<T> pool = new ArrayList<>(from);
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(pool.size() - i);
            T t = pool.get(i);
            pool.set(i, pool.get(j));
            pool.set(j, t);
        }
        return List.copyOf(pool.subList(0, k));
    }

    /** {@code k} distinct elements in the order they have in {@code from}. */
    <T> List<T> subset(List<T> from, int k) {
        List<T> chosen = sample(from, k);
        return from.stream().filter(chosen::contains).toList();
    }
}
