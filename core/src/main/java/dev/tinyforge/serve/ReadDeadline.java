package dev.tinyforge.serve;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A read timeout for the JDK's HTTP server, which has none: a client that sends part of its headers or
 * body and then trickles or stops would hold its handler thread (and its connection) forever. The JDK
 * hands a connection to the server's executor once it has bytes to read; from then on the request line,
 * headers and body must all arrive within the limit. {@link #wrap} puts every exchange under a
 * {@link Reading}; the handler calls {@link #requestRead()} once the body is in. One daemon thread
 * interrupts the thread of a request still being read at its deadline: the JDK gives no other way to end
 * a blocked read, and the interrupt closes the connection (so no 408 can be sent). A connection that sends
 * nothing at all never reaches the executor: it holds no thread, and the JDK closes it when idle (30 to 40 s,
 * {@code sun.net.httpserver.idleInterval}).
 */
final class ReadDeadline implements AutoCloseable {
    private static final ScopedValue<Reading> CURRENT = ScopedValue.newInstance();

    private final long limitNanos;
    private final Set<Reading> reading = ConcurrentHashMap.newKeySet();
    private final AtomicInteger exchanges = new AtomicInteger();
    private final LongAdder expired = new LongAdder();
    private final PeriodicCheck check;

    ReadDeadline(Duration limit) {
        this.limitNanos = limit.toNanos();
        this.check = new PeriodicCheck("tinyforge-read-deadline", "read timeout", limit, now -> {
            for (Reading r : reading) {
                if (now - r.since > limitNanos && r.expire()) expired.increment();
            }
        });
    }

    /** {@code exchange} (the JDK's task that reads a request and calls the handler) under a read deadline. */
    Runnable wrap(Runnable exchange) {
        return () -> {
            Reading r = new Reading(Thread.currentThread(), System.nanoTime());
            exchanges.incrementAndGet();
            reading.add(r);
            try {
                ScopedValue.where(CURRENT, r).run(exchange);
            } finally {
                r.done();
                reading.remove(r);
                exchanges.decrementAndGet();
            }
        };
    }

    /**
     * Called by the handler once the whole request is read: the deadline no longer applies.
     *
     * @throws InterruptedIOException when the deadline passed first (the connection is closed)
     */
    static void requestRead() throws IOException {
        if (CURRENT.isBound() && !CURRENT.get().done()) {
            Thread.interrupted(); // ours; it must not reach later code
            throw new InterruptedIOException("the request was not read within its deadline");
        }
    }

    /** Exchanges in progress: requests being read or answered. */
    int exchanges() {
        return exchanges.get();
    }

    /** Requests whose connection was closed because they were not read in time. */
    long expired() {
        return expired.sum();
    }

    @Override
    public void close() {
        check.close();
    }

    /** One request being read; ends as read (by the handler or at the end of the exchange) or expired. */
    private static final class Reading {
        private final Thread reader;
        private final long since;
        private boolean read, expired;

        Reading(Thread reader, long since) {
            this.reader = reader;
            this.since = since;
        }

        /** Marks the request read; false if it had expired (then its thread was interrupted). */
        synchronized boolean done() {
            if (expired) return false;
            read = true;
            return true;
        }

        /** Interrupts the reader of a request still being read; the interrupt happens under the lock, so done() sees it. */
        synchronized boolean expire() {
            if (read || expired) return false;
            expired = true;
            reader.interrupt();
            return true;
        }
    }
}
