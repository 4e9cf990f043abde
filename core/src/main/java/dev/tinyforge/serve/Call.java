package dev.tinyforge.serve;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;

/**
 * One HTTP request being answered: the exchange, its write guard, and the status sent (for metrics).
 * Every blocking write, headers included, runs under the guard.
 */
final class Call {
    final HttpExchange exchange;
    private final WriteWatchdog.Guard guard;
    private OutputStream body;
    private int status;
    private byte[] requestBody;

    Call(HttpExchange exchange, WriteWatchdog watchdog) {
        this.exchange = exchange;
        this.guard = watchdog.newGuard();
    }

    /** Reads the whole request body (413 beyond {@code limit} bytes); done once, before the endpoint runs. */
    void readRequest(long limit) throws IOException {
        requestBody = HttpIo.readBody(exchange, limit);
    }

    /** The request body read by {@link #readRequest}. */
    byte[] requestBody() {
        if (requestBody == null) throw new IllegalStateException("request not read");
        return requestBody;
    }

    /** Sends the status line and headers; {@code length} 0 streams the body in chunks, -1 sends none. */
    OutputStream start(int status, String contentType, long length) throws IOException {
        if (this.status != 0) throw new IllegalStateException("response already started");
        this.status = status;
        if (contentType != null) exchange.getResponseHeaders().set("Content-Type", contentType);
        guard.run(() -> exchange.sendResponseHeaders(status, length));
        body = guard.wrap(exchange.getResponseBody());
        return body;
    }

    /** The body stream of a started response. */
    OutputStream body() {
        if (body == null) throw new IllegalStateException("response not started");
        return body;
    }

    boolean started() {
        return status != 0;
    }

    int status() {
        return status;
    }

    void sendJson(int status, Object value) throws IOException {
        send(status, "application/json", HttpIo.JSON.writeValueAsBytes(value));
    }

    void send(int status, String contentType, byte[] bytes) throws IOException {
        OutputStream out = start(status, contentType, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) out.write(bytes);
        out.close();
    }
}
