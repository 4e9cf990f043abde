package dev.tinyforge.tensor;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed group of kernel threads that the calling thread joins: a job's chunks are claimed from
 * one counter by the caller and the workers alike, so a job costs a few atomic operations, not a
 * task submission and a thread wake-up.
 *
 * <p>Why not a ForkJoinPool: token generation makes ~200 small matrix-vector calls per token (tens
 * of microseconds each), and waking a parked pool worker plus parking the caller costs about as
 * much as the call itself: with two threads, generation ran at 0.6× the speed of one thread. Here
 * idle workers spin for {@link #SPIN_NANOS} before they park, so back-to-back calls find them
 * awake, and the caller computes instead of waiting.
 *
 * <p>One job at a time: a call that finds the group busy (another caller, or a call from inside a
 * chunk) gets {@code false} and runs its range itself.
 */
final class WorkerGroup {
    /** How long an idle worker (or a caller waiting for the last chunk) spins before it parks. */
    static final long SPIN_NANOS = Long.getLong("tinyforge.spin.micros", 200) * 1000;

    private final AtomicBoolean busy = new AtomicBoolean();
    private final Thread[] workers;
    /** 1 while worker i is parked or about to park: the caller unparks those after publishing a job. */
    private final AtomicIntegerArray parkedFlags;
    private volatile Job current;

    WorkerGroup(int workerCount) {
        workers = new Thread[workerCount];
        parkedFlags = new AtomicIntegerArray(workerCount);
        for (int i = 0; i < workerCount; i++) {
            int index = i;
            workers[i] = Thread.ofPlatform().daemon().name("tinyforge-kernel-" + (i + 1)).unstarted(() -> workLoop(index));
            workers[i].start();
        }
    }

    /**
     * Runs {@code task} over {@code [0, n)} in {@code chunks} chunks with the workers; returns
     * {@code false} without running anything when the group is busy with another job.
     */
    boolean run(int n, int chunks, Parallel.RangeTask task) {
        if (!busy.compareAndSet(false, true)) return false;
        try {
            Job job = new Job(task, n, chunks, Thread.currentThread());
            current = job;
            // Volatile write of current, then volatile reads of the flags; a worker writes its flag, then
            // reads current: one of the two sides sees the other, so no worker sleeps through a job.
            for (int i = 0; i < workers.length; i++) {
                if (parkedFlags.get(i) != 0) LockSupport.unpark(workers[i]);
            }
            job.work();
            job.awaitCompletion();
            current = null;
            job.rethrow();
            return true;
        } finally {
            busy.set(false);
        }
    }

    private void workLoop(int index) {
        Job done = null;
        while (true) {
            Job job = current;
            if (job == null || job == done) {
                job = awaitJob(index, done);
            }
            done = job;
            job.work();
        }
    }

    /** Spins, then parks, until a job other than {@code done} is published. */
    private Job awaitJob(int index, Job done) {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (true) {
            Job job = current;
            if (job != null && job != done) return job;
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
                continue;
            }
            parkedFlags.set(index, 1);
            job = current;
            if (job == null || job == done) LockSupport.park(this);
            parkedFlags.set(index, 0);
            spinUntil = System.nanoTime() + SPIN_NANOS;
        }
    }

    /** One call's range, claimed chunk by chunk. */
    private static final class Job {
        private final Parallel.RangeTask task;
        private final int n, chunks, size;
        private final Thread caller;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger finished = new AtomicInteger();
        private volatile boolean callerParked;
        private volatile Throwable failure;

        Job(Parallel.RangeTask task, int n, int chunks, Thread caller) {
            this.task = task;
            this.n = n;
            this.chunks = chunks;
            this.size = (n + chunks - 1) / chunks;
            this.caller = caller;
        }

        void work() {
            int chunk;
            while ((chunk = next.getAndIncrement()) < chunks) {
                int from = chunk * size, to = Math.min(n, from + size);
                try {
                    if (from < to && failure == null) task.run(from, to);
                } catch (Throwable t) {
                    if (failure == null) failure = t;
                } finally {
                    if (finished.incrementAndGet() == chunks && callerParked) LockSupport.unpark(caller);
                }
            }
        }

        void awaitCompletion() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (finished.get() < chunks) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    callerParked = true;
                    if (finished.get() < chunks) LockSupport.park(this);
                }
            }
        }

        void rethrow() {
            Throwable t = failure;
            if (t == null) return;
            if (t instanceof RuntimeException e) throw e;
            if (t instanceof Error e) throw e;
            throw new IllegalStateException(t);
        }
    }
}
