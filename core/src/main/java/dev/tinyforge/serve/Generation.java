package dev.tinyforge.serve;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One request's generation as its HTTP handler sees it: text arrives through a bounded queue, then
 * the outcome. The batcher never waits for the reader: when the queue is full the generation ends
 * as {@link FinishReason#CLIENT_TOO_SLOW}, so a client that stops reading cannot hold a slot. All
 * text is queued before the outcome is set, and a reader waiting for text wakes for either.
 */
public final class Generation {
    private final GenerationRequest request;
    private final int capacity;
    private final ArrayDeque<String> pieces = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final long submitted = System.nanoTime();
    private volatile Outcome outcome;
    private volatile boolean cancelled;

    Generation(GenerationRequest request, int capacity) {
        this.request = request;
        this.capacity = capacity;
    }

    public GenerationRequest request() {
        return request;
    }

    long submitted() {
        return submitted;
    }

    /** Asks the batcher to stop this generation at its next step (the client went away). */
    public void cancel() {
        cancelled = true;
    }

    boolean cancelled() {
        return cancelled;
    }

    /** Queues text for the reader; false when the queue is full. */
    boolean offer(String text) {
        lock.lock();
        try {
            if (pieces.size() >= capacity) return false;
            pieces.add(text);
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    void finish(Outcome result) {
        lock.lock();
        try {
            outcome = result;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next piece of text, waiting up to {@code timeout} while there is none and the generation
     * goes on; null when none came (then see {@link #outcome()}).
     */
    public String poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (pieces.isEmpty() && outcome == null && nanos > 0) nanos = changed.awaitNanos(nanos);
            return pieces.poll();
        } finally {
            lock.unlock();
        }
    }

    /** The outcome once the generation has ended, else null. */
    public Outcome outcome() {
        return outcome;
    }
}
