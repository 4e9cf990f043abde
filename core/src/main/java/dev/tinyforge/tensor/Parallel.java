package dev.tinyforge.tensor;

/**
 * Splits a range of independent work items (matrix rows, attention heads, sequences) over the
 * kernel threads: the caller and {@code tinyforge.threads - 1} workers of one {@link WorkerGroup}
 * (default: all cores). A call made while the group is busy (nested, or from a second thread) runs
 * its range on the calling thread.
 */
public final class Parallel {
    /** The number of threads kernels use; {@code -Dtinyforge.threads=N} overrides the core count. */
    public static final int THREADS = Math.max(1,
            Integer.getInteger("tinyforge.threads", Runtime.getRuntime().availableProcessors()));

    private static final WorkerGroup GROUP = THREADS == 1 ? null : new WorkerGroup(THREADS - 1);

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
        if (GROUP == null || chunks == 1 || !GROUP.run(n, chunks, task)) task.run(0, n);
    }
}
