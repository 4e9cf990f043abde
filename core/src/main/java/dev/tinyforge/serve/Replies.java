package dev.tinyforge.serve;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Answers an HTTP request from a running generation: streamed piece by piece, or whole at the end.
 * A write that fails (the client left, or stopped reading past the write timeout) cancels the
 * generation, which frees its slot at the batcher's next step. While there is nothing to send, a
 * heartbeat goes out now and then: the JDK server tells a handler of a closed connection only when
 * it writes, and a client that left must not keep its generation running.
 */
final class Replies {
    private Replies() {}

    /** Streams the generation; returns its outcome. */
    static Outcome stream(Call call, Generation generation, StreamFormat format, Duration heartbeat) throws IOException {
        long heartbeatNanos = heartbeat.toNanos();
        try {
            OutputStream out = call.start(200, format.contentType(), 0);
            write(out, format.begin());
            long lastWrite = System.nanoTime();
            while (true) {
                String piece = generation.poll(heartbeatNanos, TimeUnit.NANOSECONDS);
                if (piece != null) {
                    write(out, format.piece(piece));
                    lastWrite = System.nanoTime();
                    continue;
                }
                Outcome outcome = generation.outcome();
                if (outcome != null) {
                    while ((piece = generation.poll(0, TimeUnit.NANOSECONDS)) != null) write(out, format.piece(piece));
                    write(out, outcome.reason().answered() ? format.end(outcome) : format.failure(failureMessage(outcome)));
                    out.close();
                    return outcome;
                }
                if (System.nanoTime() - lastWrite >= heartbeatNanos) {
                    write(out, format.heartbeat());
                    lastWrite = System.nanoTime();
                }
            }
        } catch (IOException | RuntimeException e) {
            generation.cancel();
            throw e;
        } catch (InterruptedException e) {
            generation.cancel();
            throw new InterruptedIOException("interrupted while streaming");
        }
    }

    /**
     * Waits for the whole generation, discarding the streamed pieces (the outcome holds the text). If it
     * takes longer than one heartbeat, the 200 status goes out with a chunked body that starts with
     * spaces (JSON allows leading whitespace), so a dead connection is noticed; {@link #sendWhole}
     * then completes that body.
     */
    static Outcome await(Call call, Generation generation, Duration heartbeat) throws IOException {
        long heartbeatNanos = heartbeat.toNanos();
        try {
            long lastWrite = System.nanoTime();
            OutputStream out = null;
            while (true) {
                String piece = generation.poll(heartbeatNanos, TimeUnit.NANOSECONDS);
                Outcome outcome = generation.outcome();
                if (outcome != null && piece == null) return outcome; // its text is the whole answer
                if (System.nanoTime() - lastWrite >= heartbeatNanos) {
                    if (out == null) out = call.start(200, "application/json", 0);
                    write(out, SPACE);
                    lastWrite = System.nanoTime();
                }
            }
        } catch (IOException | RuntimeException e) {
            generation.cancel();
            throw e;
        } catch (InterruptedException e) {
            generation.cancel();
            throw new InterruptedIOException("interrupted while waiting for the generation");
        }
    }

    private static final byte[] SPACE = {' '};

    /** Sends a whole JSON answer, as the rest of the body {@link #await} may have begun. */
    static void sendWhole(Call call, int status, Object value) throws IOException {
        if (!call.started()) {
            call.sendJson(status, value);
            return;
        }
        // The status went out as 200 with the heartbeats; an error can only be told in the body.
        OutputStream out = call.body();
        out.write(HttpIo.JSON.writeValueAsBytes(value));
        out.close();
    }

    /** The HTTP status of a generation that did not produce an answer. */
    static int failureStatus(Outcome outcome) {
        return switch (outcome.reason()) {
            case QUEUE_TIMEOUT, CANCELLED -> 503;
            default -> 500;
        };
    }

    static String failureMessage(Outcome outcome) {
        return switch (outcome.reason()) {
            case QUEUE_TIMEOUT -> "the request waited for a free slot longer than its time limit; try again later";
            case FAILED -> outcome.error() == null ? "generation failed" : outcome.error();
            case CLIENT_TOO_SLOW -> "the client did not read the stream fast enough; generation stopped";
            case CANCELLED -> outcome.error() == null ? "generation cancelled" : outcome.error();
            default -> outcome.reason().label();
        };
    }

    private static void write(OutputStream out, byte[] bytes) throws IOException {
        if (bytes.length == 0) return;
        out.write(bytes);
        out.flush();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
