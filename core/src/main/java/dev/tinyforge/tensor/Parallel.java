package dev.tinyforge.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Splits a range of independent work items (matrix rows, attention heads, sequences) over the
 * kernel threads. One shared pool sized by {@code tinyforge.threads} (default: all cores), so a
 * kernel call costs a fork and a join, not thread creation.
 */
public final class Parallel {
    /** The number of threads kernels use; {@code -Dtinyforge.threads=N} overrides the core count. */
    public static final int THREADS = Math.max(1,
            Integer.getInteger("tinyforge.threads", Runtime.getRuntime().availableProcessors()));

    /**
     * Exactly {@link #THREADS} workers: by default a pool adds spare threads when a worker waits in a
     * join, and bench-train found four workers busy under {@code tinyforge.threads=2}.
     */
    private static final ForkJoinPool POOL = THREADS == 1 ? null : new ForkJoinPool(THREADS,
            ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, false, THREADS, THREADS, 1, pool -> true, 60,
            java.util.concurrent.TimeUnit.SECONDS);

    private Parallel() {}

    /** Items per chunk so that a chunk holds enough work (~32k multiply-adds) to be worth a task. */
    public static int grain(long workPerItem) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, 32_768 / Math.max(1, workPerItem)));
    }

    /** Work on the items {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeTask {
        void run(int from, int to);
    }

    /**
     * Runs {@code task} over {@code [0, n)} in chunks of at least {@code grain} items, in parallel
     * when there is enough work; returns when all chunks are done.
     */
    public static void forRange(int n, int grain, RangeTask task) {
        if (n <= 0) return;
        int chunks = Math.min(THREADS * 4, Math.max(1, n / Math.max(1, grain)));
        if (POOL == null || chunks == 1 || java.util.concurrent.ForkJoinTask.inForkJoinPool()) {
            task.run(0, n);
            return;
        }
        POOL.invoke(new Chunk(task, 0, n, (n + chunks - 1) / chunks));
    }

    private static final class Chunk extends RecursiveAction {
        private final RangeTask task;
        private final int from, to, size;

        Chunk(RangeTask task, int from, int to, int size) {
            this.task = task;
            this.from = from;
            this.to = to;
            this.size = size;
        }

        @Override
        protected void compute() {
            if (to - from <= size) {
                task.run(from, to);
                return;
            }
            int mid = from + ((to - from) / size / 2) * size;
            if (mid == from) mid = from + size;
            invokeAll(new Chunk(task, from, mid, size), new Chunk(task, mid, to, size));
        }
    }
}
