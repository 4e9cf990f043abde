package dev.tinyforge.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load on a running server: {@code concurrency} clients each send {@code requestsPerClient} streaming
 * completions one after another and read every event to {@code data: [DONE]}. Throughput is the
 * generated tokens (from each stream's usage) over the wall time of the whole round; any status but
 * 200, a stream without [DONE] or usage, or an exception counts as an error.
 */
public final class LoadBenchmark {
    /**
     * One round's figures.
     *
     * @param cpuSeconds CPU time this whole process used during the round (server and clients when the
     *                   server runs in-process): unlike wall time, other programs on the machine barely move it
     */
    public record Result(int concurrency, int requests, long tokens, double seconds, double cpuSeconds, int errors,
                         String firstError) {
        public double tokensPerSecond() {
            return seconds == 0 ? 0 : tokens / seconds;
        }

        public double tokensPerCpuSecond() {
            return cpuSeconds == 0 ? 0 : tokens / cpuSeconds;
        }
    }

    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI completions;
    private final String apiKey;

    /** @param apiKey sent as a bearer token, or null */
    public LoadBenchmark(String baseUrl, String apiKey) {
        this.completions = URI.create(baseUrl + "/v1/completions");
        this.apiKey = apiKey;
    }

    public Result run(int concurrency, int requestsPerClient, int maxTokens, String prompt) throws InterruptedException {
        AtomicLong tokens = new AtomicLong();
        AtomicInteger errors = new AtomicInteger(), requests = new AtomicInteger();
        List<String> firstError = new ArrayList<>();
        long start = System.nanoTime(), cpuStart = processCpuNanos();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                int client = c;
                done.add(clients.submit(() -> {
                    for (int r = 0; r < requestsPerClient; r++) {
                        requests.incrementAndGet();
                        try {
                            tokens.addAndGet(stream(prompt, maxTokens, client * 1000L + r));
                        } catch (IOException | RuntimeException e) {
                            errors.incrementAndGet();
                            synchronized (firstError) {
                                if (firstError.isEmpty()) firstError.add(e.toString());
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9, cpu = (processCpuNanos() - cpuStart) / 1e9;
        return new Result(concurrency, requests.get(), tokens.get(), seconds, cpu, errors.get(),
                firstError.isEmpty() ? null : firstError.getFirst());
    }

    /** One streamed completion; returns its generated tokens. */
    private long stream(String prompt, int maxTokens, long seed) throws IOException, InterruptedException {
        var body = HttpIo.JSON.createObjectNode().put("prompt", prompt).put("max_tokens", maxTokens).put("stream", true)
                .put("temperature", 0.8).put("seed", seed);
        body.putObject("stream_options").put("include_usage", true);
        HttpRequest.Builder request = HttpRequest.newBuilder(completions).timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(HttpIo.JSON.writeValueAsBytes(body)));
        if (apiKey != null) request.header("Authorization", "Bearer " + apiKey);
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (var in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            if (response.statusCode() != 200) {
                throw new IOException("status " + response.statusCode() + ": " + in.readLine());
            }
            long generated = -1;
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.startsWith("data: ")) continue;
                String data = line.substring(6);
                if (data.equals("[DONE]")) {
                    if (generated < 0) throw new IOException("the stream ended without usage");
                    return generated;
                }
                JsonNode event = HttpIo.JSON.readTree(data);
                if (event.has("error")) throw new IOException("error event: " + event.get("error"));
                JsonNode usage = event.get("usage");
                if (usage != null && !usage.isNull()) generated = usage.get("completion_tokens").longValue();
            }
            throw new IOException("the stream ended without [DONE]");
        }
    }
}
