package dev.tinyforge.serve;

import java.time.Duration;

/**
 * How the server runs.
 *
 * @param apiKey          when set, every endpoint but {@code /health} needs {@code Authorization: Bearer KEY}
 * @param parallel        sequences generated together (slots), each with its own KV cache
 * @param queue           requests that may wait for a slot; beyond that the server answers 429
 * @param maxBodyBytes    largest request body accepted (413 beyond)
 * @param requestTimeout  the most time a request gets, waiting included; generation then ends as "length"
 * @param writeTimeout    how long one write to a client may block before the connection is dropped
 * @param readTimeout     how long a request may take to arrive (request line, headers and body, from its
 *                        first byte) before the connection is closed: a stalled or trickling client cannot
 *                        hold a handler
 * @param heartbeat       how long a response stays silent before a heartbeat tests the connection
 * @param bufferedPieces  text pieces a streaming client may lag behind before its generation is stopped
 * @param maxStepRows     token rows per forward step: decodes of all slots plus prompt chunks
 * @param promptCache     whether a request starts from a free slot's cached keys and values of a prompt prefix it
 *                        shares, evaluating only the rest ({@code --no-prompt-cache} turns it off)
 */
public record ServeOptions(String host, int port, String apiKey, int parallel, int queue, long maxBodyBytes,
                           Duration requestTimeout, Duration writeTimeout, Duration readTimeout, Duration heartbeat, int bufferedPieces,
                           int maxStepRows, boolean promptCache) {
    public ServeOptions {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be within 0..65535");
        if (parallel < 1) throw new IllegalArgumentException("parallel must be positive");
        if (queue < 0) throw new IllegalArgumentException("queue must be >= 0");
        if (maxBodyBytes < 1) throw new IllegalArgumentException("the body limit must be positive");
        if (readTimeout.isNegative() || readTimeout.isZero()) throw new IllegalArgumentException("the read timeout must be positive");
        if (apiKey != null && apiKey.isBlank()) throw new IllegalArgumentException("the API key is blank");
    }

    /** Loopback on port 8080, prompt caching on, 4 slots, 16 waiting, 1 MiB bodies, 10 min per request, 30 s per write, 30 s to send a request. */
    public static ServeOptions defaults() {
        return new ServeOptions("127.0.0.1", 8080, null, 4, 16, 1 << 20, Duration.ofMinutes(10), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofSeconds(2), 4096, 512, true);
    }

    public ServeOptions withAddress(String host, int port) {
        return new ServeOptions(host, port, apiKey, parallel, queue, maxBodyBytes, requestTimeout, writeTimeout, readTimeout, heartbeat,
                bufferedPieces, maxStepRows, promptCache);
    }

    public ServeOptions withApiKey(String key) {
        return new ServeOptions(host, port, key, parallel, queue, maxBodyBytes, requestTimeout, writeTimeout, readTimeout, heartbeat,
                bufferedPieces, maxStepRows, promptCache);
    }

    public ServeOptions withSlots(int parallel, int queue) {
        return new ServeOptions(host, port, apiKey, parallel, queue, maxBodyBytes, requestTimeout, writeTimeout, readTimeout, heartbeat,
                bufferedPieces, Math.max(maxStepRows, parallel), promptCache);
    }

    public ServeOptions withLimits(long maxBodyBytes, Duration requestTimeout, Duration writeTimeout) {
        return new ServeOptions(host, port, apiKey, parallel, queue, maxBodyBytes, requestTimeout, writeTimeout, readTimeout, heartbeat,
                bufferedPieces, maxStepRows, promptCache);
    }

    public ServeOptions withReadTimeout(Duration readTimeout) {
        return new ServeOptions(host, port, apiKey, parallel, queue, maxBodyBytes, requestTimeout, writeTimeout, readTimeout, heartbeat,
                bufferedPieces, maxStepRows, promptCache);
    }

    public ServeOptions withStreaming(Duration heartbeat, int bufferedPieces) {
        return new ServeOptions(host, port, apiKey, parallel, queue, maxBodyBytes, requestTimeout, writeTimeout, readTimeout, heartbeat,
                bufferedPieces, maxStepRows, promptCache);
    }

    public ServeOptions withPromptCache(boolean promptCache) {
        return new ServeOptions(host, port, apiKey, parallel, queue, maxBodyBytes, requestTimeout, writeTimeout, readTimeout, heartbeat,
                bufferedPieces, maxStepRows, promptCache);
    }
}
