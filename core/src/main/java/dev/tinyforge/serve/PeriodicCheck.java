package dev.tinyforge.serve;

import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * A daemon thread that hands the time ({@link System#nanoTime}) to a check four times per time limit
 * (at most every second, at least every millisecond): the server's read deadline and write watchdog
 * find their overdue requests this way.
 */
final class PeriodicCheck implements AutoCloseable {
    private final Thread thread;
    private volatile boolean closed;

    /** @param what names the limit in the error for a non-positive one, e.g. {@code "read timeout"} */
    PeriodicCheck(String threadName, String what, Duration limit, LongConsumer check) {
        if (limit.isNegative() || limit.isZero()) throw new IllegalArgumentException(what + " must be positive");
        long checkMillis = Math.max(1, Math.min(1000, limit.toMillis() / 4));
        this.thread = Thread.ofPlatform().name(threadName).daemon(true).unstarted(() -> {
            while (!closed) {
                try {
                    Thread.sleep(checkMillis);
                } catch (InterruptedException e) {
                    return;
                }
                check.accept(System.nanoTime());
            }
        });
        thread.start();
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
