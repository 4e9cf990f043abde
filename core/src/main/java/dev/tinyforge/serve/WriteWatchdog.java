package dev.tinyforge.serve;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A write timeout for the JDK's HTTP server, which has none: a client that stops reading would block
 * its handler in a socket write forever. Each response gets a {@link Guard}, and its writes (headers
 * and body) run inside it; one daemon thread looks at every guarded write in progress and interrupts
 * the writer of one that has taken longer than the limit. The server's sockets are interruptible
 * channels, so the interrupt closes the connection and the write fails with an {@link IOException},
 * which ends the request like a disconnect.
 */
public final class WriteWatchdog implements AutoCloseable {
    private final long limitNanos;
    private final Set<Guard> writing = ConcurrentHashMap.newKeySet();
    private final PeriodicCheck check;

    public WriteWatchdog(Duration limit) {
        this.limitNanos = limit.toNanos();
        this.check = new PeriodicCheck("tinyforge-write-watchdog", "write timeout", limit, now -> {
            for (Guard g : writing) g.interruptIfStuck(now);
        });
    }

    /** A guard for one response's writes. */
    public Guard newGuard() {
        return new Guard();
    }

    @Override
    public void close() {
        check.close();
    }

    /** Blocking I/O that may be cut short. */
    @FunctionalInterface
    public interface IoAction {
        void run() throws IOException;
    }

    /** Times the blocking writes of one response; once one has timed out, every later one fails at once. */
    public final class Guard {
        private volatile Thread writer;
        private volatile long since;
        private volatile boolean timedOut;

        private Guard() {}

        public void run(IoAction action) throws IOException {
            if (timedOut) throw timeout();
            since = System.nanoTime();
            writer = Thread.currentThread();
            writing.add(this);
            try {
                action.run();
            } finally {
                writing.remove(this);
                writer = null;
                if (timedOut) {
                    Thread.interrupted(); // the interrupt was ours; it must not leak into later code
                    throw timeout();
                }
            }
        }

        /** {@code out} with every write, flush and close run inside this guard. */
        public OutputStream wrap(OutputStream out) {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    run(() -> out.write(b));
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    run(() -> out.write(b, off, len));
                }

                @Override
                public void flush() throws IOException {
                    run(out::flush);
                }

                @Override
                public void close() throws IOException {
                    run(out::close);
                }
            };
        }

        /** Whether a write of this response took too long (the connection is gone). */
        public boolean timedOut() {
            return timedOut;
        }

        private void interruptIfStuck(long now) {
            Thread t = writer;
            if (t != null && now - since > limitNanos) {
                timedOut = true;
                t.interrupt();
            }
        }

        private IOException timeout() {
            return new InterruptedIOException("the client did not read for " + limitNanos / 1_000_000 + " ms");
        }
    }
}
