package dev.tinyforge.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow and silent clients over raw sockets (slowloris): a request that does not arrive within the read
 * timeout loses its connection, whether it stalls or trickles, in the headers or the body; the body limit
 * still answers 413 at once; connections that send nothing hold no handler. Every wait is bounded.
 */
class SlowClientsTest {
    private static final Duration READ_TIMEOUT = Duration.ofMillis(500);
    /** Far beyond the deadline: a test that reaches it failed, it does not hang. */
    private static final long GIVE_UP_MILLIS = 8000;
    private static ServedModel model;
    private static ApiServer server;

    @BeforeAll
    static void start(@TempDir Path dir) throws IOException {
        model = TestServers.tiny(dir, 5, 256);
        server = ApiServer.start(model, TestServers.options().withLimits(4096, Duration.ofMinutes(1), Duration.ofSeconds(10))
                .withReadTimeout(READ_TIMEOUT));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (model != null) model.close();
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
        s.setSoTimeout((int) GIVE_UP_MILLIS);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads until the server closes the connection; returns what it sent. Fails if it stays open. */
    private static String readUntilClosed(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder got = new StringBuilder();
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) got.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open for " + GIVE_UP_MILLIS + " ms; got: " + got);
        } catch (IOException e) {
            // reset by the server: closed as well
        }
        return got.toString();
    }

    /** Sends {@code text} one byte every 50 ms until a write fails (the server closed); returns the milliseconds taken. */
    private static long trickleUntilRefused(Socket s, String text) {
        long start = System.nanoTime();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            OutputStream out = s.getOutputStream();
            for (byte b : bytes) {
                out.write(b);
                out.flush();
                Thread.sleep(50);
                if ((System.nanoTime() - start) / 1_000_000 > GIVE_UP_MILLIS) break;
            }
        } catch (IOException e) {
            return (System.nanoTime() - start) / 1_000_000;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("the server took every byte for " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    private static long metric(String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\d+)$").matcher(server.metrics().render());
        assertTrue(m.find(), name);
        return Long.parseLong(m.group(1));
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + GIVE_UP_MILLIS * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    private static final String HEADERS = "POST /v1/completions HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n";

    @Test
    void aBodyThatStopsLosesItsConnectionAtTheDeadline() throws Exception {
        long expiredBefore = metric("tinyforge_http_read_timeouts_total");
        try (Socket s = connect()) {
            long start = System.nanoTime();
            send(s, HEADERS + "Content-Length: 100\r\n\r\n{\"prompt\": ");
            String got = readUntilClosed(s);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals("", got, "closed without an answer");
            assertTrue(millis >= READ_TIMEOUT.toMillis() - 50 && millis < 4000, millis + " ms");
        }
        waitFor(() -> metric("tinyforge_http_exchanges") == 0, "the handler to end");
        assertTrue(metric("tinyforge_http_read_timeouts_total") > expiredBefore);
    }

    @Test
    void aTricklingBodyLosesItsConnectionAtTheDeadline() throws Exception {
        try (Socket s = connect()) {
            String body = "{\"prompt\": \"" + "a".repeat(200) + "\"}";
            send(s, HEADERS + "Content-Length: " + body.length() + "\r\n\r\n");
            long millis = trickleUntilRefused(s, body);
            assertTrue(millis < 4000, millis + " ms");
        }
        waitFor(() -> metric("tinyforge_http_exchanges") == 0, "the handler to end");
    }

    @Test
    void tricklingHeadersLoseTheirConnectionAtTheDeadline() throws Exception {
        try (Socket s = connect()) {
            long millis = trickleUntilRefused(s, HEADERS + "X-Padding: " + "b".repeat(200) + "\r\n\r\n");
            assertTrue(millis < 4000, millis + " ms");
        }
        waitFor(() -> metric("tinyforge_http_exchanges") == 0, "the handler to end");
    }

    @Test
    void theBodyLimitStillAnswers413AtOnce() throws Exception {
        try (Socket s = connect()) {
            long start = System.nanoTime();
            // chunked, so no length is declared: the limit is found while reading; then the client stalls
            send(s, HEADERS + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(5000) + "\r\n" + "x".repeat(5000) + "\r\n");
            s.setSoTimeout(4000);
            byte[] head = new byte[12];
            int n = s.getInputStream().readNBytes(head, 0, head.length);
            String status = new String(head, 0, n, StandardCharsets.ISO_8859_1);
            assertEquals("HTTP/1.1 413", status);
            assertTrue((System.nanoTime() - start) / 1_000_000 < READ_TIMEOUT.toMillis(), "413 before the deadline");
        }
    }

    @Test
    void aSlowButTimelyRequestIsAnswered() throws Exception {
        try (Socket s = connect()) {
            String body = "{\"prompt\": \"hi\", \"max_tokens\": 2}";
            send(s, HEADERS + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n");
            Thread.sleep(READ_TIMEOUT.toMillis() / 3);
            send(s, body);
            String got = readUntilClosed(s);
            assertTrue(got.startsWith("HTTP/1.1 200"), got);
            assertTrue(got.contains("\"finish_reason\":\"length\""), got);
        }
    }

    @Test
    void silentConnectionsHoldNoHandler() throws Exception {
        List<Socket> silent = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) silent.add(connect());
            Thread.sleep(100);
            assertEquals(0, metric("tinyforge_http_exchanges"), "a connection that sent nothing holds no thread");
            long start = System.nanoTime();
            var r = ServerErrorsTest.send(server.baseUrl(), "GET", "/health", null);
            assertEquals(200, r.statusCode());
            assertTrue((System.nanoTime() - start) / 1_000_000 < 2000, "health answered while 200 connections idle");
        } finally {
            for (Socket s : silent) s.close();
        }
    }
}
