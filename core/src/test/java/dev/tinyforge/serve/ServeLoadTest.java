package dev.tinyforge.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server under load and under misbehaving clients, on a model where each token costs real work:
 * concurrent streams, throughput growing with concurrency (batched decode steps), 429 when full,
 * disconnects and time limits that free their slots. Loopback only, bounded in time and count.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServeLoadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ServedModel model;

    @BeforeAll
    static void load(@TempDir Path dir) throws IOException {
        model = TestServers.slow(dir, 1024);
    }

    @AfterAll
    static void close() {
        if (model != null) model.close();
    }

    /**
     * 16 concurrent streams all succeed, and concurrent requests share decode steps: with 8 clients the
     * batcher samples several sequences' next tokens per forward step (continuous batching). That a
     * shared step costs less than separate ones is the kernels' property, which `bench-serve` measures
     * (BENCHMARKS.md, Serving); tokens per second on a shared machine vary too much to assert, so the
     * figures of this run are printed, not bounded.
     */
    @Test
    @Order(1)
    void sixteenConcurrentStreamsAllSucceedAndShareDecodeSteps() throws Exception {
        try (ApiServer server = ApiServer.start(model, TestServers.options().withSlots(8, 16))) {
            LoadBenchmark bench = new LoadBenchmark(server.baseUrl(), null);
            bench.run(8, 1, 16, "warm up the JIT");
            LoadBenchmark.Result sixteen = bench.run(16, 1, 24, "Once upon a time");
            assertEquals(0, sixteen.errors(), sixteen.firstError());
            assertEquals(16, sixteen.requests());
            assertTrue(sixteen.tokens() > 16, "tokens " + sixteen.tokens());

            LoadBenchmark.Result one = bench.run(1, 2, 24, "Once upon a time");
            Metrics m = server.metrics();
            long steps = m.decodeSteps(), rows = m.decodeRows();
            LoadBenchmark.Result eight = bench.run(8, 1, 48, "Once upon a time");
            double meanBatch = (double) (m.decodeRows() - rows) / (m.decodeSteps() - steps);
            assertEquals(0, one.errors() + eight.errors(), one.firstError() + " / " + eight.firstError());
            String figures = String.format(Locale.ROOT, "c1 %.0f tok/s (%.0f per CPU s), c8 %.0f tok/s (%.0f per CPU s), "
                    + "c16 %.0f tok/s; mean decode batch at c8 %.1f", one.tokensPerSecond(), one.tokensPerCpuSecond(),
                    eight.tokensPerSecond(), eight.tokensPerCpuSecond(), sixteen.tokensPerSecond(), meanBatch);
            System.out.println("serve (shared machine): " + figures);
            assertTrue(meanBatch >= 3, figures);
            assertEquals(0, server.batcher().active());
        }
    }

    /** A raw HTTP/1.1 request on its own socket, so a test decides exactly when the client goes away. */
    private static Socket open(ApiServer server, String path, String body) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
        socket.setSoTimeout(20_000);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: "
                + bytes.length + "\r\n\r\n";
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return socket;
    }

    /** Reads lines until one starts with {@code prefix}. */
    private static void readUntil(Socket socket, String prefix) throws IOException {
        var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith(prefix)) return;
        }
        throw new IOException("connection closed before a line starting with " + prefix);
    }

    private static void waitFor(ApiServer server, BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting until " + what + "; metrics:\n" + server.metrics().render());
            }
            Thread.sleep(10);
        }
    }

    /** Greedy, so the run is the same every time (sampling might draw EOS early and end it before the test acts). */
    private static final String LONG_STREAM = "{\"prompt\": \"Once\", \"max_tokens\": 1000, \"temperature\": 0, \"stream\": true}";
    private static final String LONG_WHOLE = "{\"prompt\": \"Once\", \"max_tokens\": 1000, \"temperature\": 0}";

    @Test
    void aStreamingClientThatLeavesCancelsItsGeneration() throws Exception {
        try (ApiServer server = ApiServer.start(model, TestServers.options())) {
            try (Socket client = open(server, "/v1/completions", LONG_STREAM)) {
                readUntil(client, "data: ");
            }
            waitFor(server, () -> server.metrics().finishedCount(FinishReason.CANCELLED) == 1, "the generation is cancelled");
            assertTrue(server.metrics().generatedTokens() < 1000, "generated " + server.metrics().generatedTokens());
            assertEquals(0, server.batcher().active());
        }
    }

    @Test
    void aWaitingClientThatLeavesCancelsItsGeneration() throws Exception {
        // Heartbeats every few ms: 1000 tokens take well under a second, so a 200 ms beat could come too late.
        try (ApiServer server = ApiServer.start(model, TestServers.chattyHeartbeats())) {
            Socket client = open(server, "/api/generate", "{\"prompt\": \"Once\", \"raw\": true, \"stream\": false, "
                    + "\"options\": {\"num_predict\": 1000, \"temperature\": 0}}");
            waitFor(server, () -> server.batcher().active() == 1, "the generation runs");
            client.close();
            // No text goes out before the end; the heartbeat's write shows the connection is gone.
            waitFor(server, () -> server.metrics().finishedCount(FinishReason.CANCELLED) == 1, "the generation is cancelled");
            assertTrue(server.metrics().generatedTokens() < 1000, "generated " + server.metrics().generatedTokens());
        }
    }

    @Test
    void metricsShowActiveSlotsAndQueueDepth() throws Exception {
        try (ApiServer server = ApiServer.start(model, TestServers.options().withSlots(1, 2));
             Socket holder = open(server, "/v1/completions", LONG_STREAM);
             Socket second = open(server, "/v1/completions", LONG_STREAM);
             Socket third = open(server, "/v1/completions", LONG_STREAM)) {
            // While the first generation runs, the other two wait; /metrics (over HTTP) must say so.
            waitFor(server, () -> {
                try {
                    String m = ServerErrorsTest.send(server.baseUrl(), "GET", "/metrics", null).body();
                    return m.contains("\ntinyforge_active_sequences 1\n") && m.contains("\ntinyforge_queue_depth 2\n")
                            && m.contains("\ntinyforge_slots 1\n");
                } catch (IOException | InterruptedException e) {
                    throw new AssertionError(e);
                }
            }, "/metrics shows 1 active and 2 queued");
        }
    }

    @Test
    void aFullServerAnswers429() throws Exception {
        try (ApiServer server = ApiServer.start(model, TestServers.options().withSlots(1, 0));
             Socket holder = open(server, "/v1/completions", LONG_STREAM)) {
            readUntil(holder, "data: ");
            var refused = ServerErrorsTest.send(server.baseUrl(), "POST", "/v1/completions", LONG_STREAM);
            assertTrue(ServerErrorsTest.openAiError(refused, 429).contains("slots are busy"));
            assertEquals("rate_limit_error", JSON.readTree(refused.body()).get("error").get("type").textValue());
        }
    }

    @Test
    void aRequestPastItsTimeLimitEndsWithWhatItHas() throws Exception {
        ServeOptions options = TestServers.options().withLimits(1 << 20, Duration.ofMillis(300), Duration.ofSeconds(10));
        try (ApiServer server = ApiServer.start(model, options)) {
            var r = ServerErrorsTest.send(server.baseUrl(), "POST", "/v1/completions", LONG_WHOLE);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode body = JSON.readTree(r.body());
            assertEquals("length", body.get("choices").get(0).get("finish_reason").textValue());
            int tokens = body.get("usage").get("completion_tokens").intValue();
            assertTrue(tokens < 1000, "generated " + tokens);
            assertEquals(1, server.metrics().finishedCount(FinishReason.TIME_LIMIT));
        }
    }

    @Test
    void silentStretchesCarryHeartbeatsThatClientsSkip() throws Exception {
        try (ApiServer server = ApiServer.start(model, TestServers.chattyHeartbeats())) {
            var whole = ServerErrorsTest.send(server.baseUrl(), "POST", "/v1/completions",
                    "{\"prompt\": \"Once\", \"max_tokens\": 40, \"temperature\": 0}");
            assertEquals(200, whole.statusCode());
            assertTrue(whole.body().startsWith(" "), "a 40-token answer takes longer than a 3 ms heartbeat");
            assertEquals(40, JSON.readTree(whole.body()).get("usage").get("completion_tokens").intValue());
            // Tokens may come faster than the heartbeat; reading a ~500-token prompt (not the one cached
            // above) is a silent stretch of tens of milliseconds after the stream has begun.
            String prompt = "Once upon a time there was a lighthouse. ".repeat(12);
            var stream = ServerErrorsTest.send(server.baseUrl(), "POST", "/v1/completions",
                    "{\"prompt\": \"" + prompt + "\", \"max_tokens\": 40, \"temperature\": 0, \"stream\": true}");
            assertTrue(stream.body().contains("\n: keep-alive\n\n"), stream.body());
            assertTrue(stream.body().endsWith("data: [DONE]\n\n"), stream.body());
        }
    }
}
