package dev.tinyforge.serve;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The JDK's HTTP server has no write timeout; the watchdog adds one. A client that connects, asks and
 * never reads fills the socket buffers; the handler's next write blocks, and the watchdog must end it.
 */
class WriteWatchdogTest {
    @Test
    void endsAWriteBlockedByAClientThatDoesNotRead() throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        long[] written = {0};
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        try (WriteWatchdog watchdog = new WriteWatchdog(Duration.ofMillis(300));
             var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            server.setExecutor(executor);
            server.createContext("/", exchange -> {
                WriteWatchdog.Guard guard = watchdog.newGuard();
                try {
                    guard.run(() -> exchange.sendResponseHeaders(200, 0));
                    OutputStream out = guard.wrap(exchange.getResponseBody());
                    byte[] chunk = new byte[8192];
                    while (true) {
                        out.write(chunk);
                        written[0] += chunk.length;
                    }
                } catch (IOException e) {
                    failure.complete(e);
                } finally {
                    exchange.close();
                }
            });
            server.start();
            try (Socket client = new Socket()) {
                client.setReceiveBufferSize(4096);
                client.connect(new InetSocketAddress("127.0.0.1", server.getAddress().getPort()));
                client.getOutputStream().write("GET / HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                long start = System.nanoTime();
                Throwable e = failure.get(20, TimeUnit.SECONDS);
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertNotNull(e);
                assertInstanceOf(java.io.InterruptedIOException.class, e);
                assertTrue(e.getMessage().contains("did not read"), e.getMessage());
                assertTrue(written[0] > 8192, "the buffers took " + written[0] + " bytes first");
                assertTrue(millis >= 300, "gave up after " + millis + " ms");
            }
        } finally {
            server.stop(0);
        }
    }
}
