package dev.tinyforge.serve;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The server's counters, gauges and latency histograms, rendered in Prometheus' text format for
 * {@code GET /metrics}. Thread-safe: HTTP handlers and the batcher update it concurrently.
 */
public final class Metrics {
    private static final double[] LATENCY_BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
    private static final double[] STEP_BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
    private static final double[] ROW_BOUNDS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> requestSeconds = new ConcurrentHashMap<>();
    private final Map<FinishReason, LongAdder> finished = new ConcurrentHashMap<>();
    private final LongAdder promptTokens = new LongAdder(), generatedTokens = new LongAdder();
    private final LongAdder promptTokensCached = new LongAdder(), promptTokensEvaluated = new LongAdder();
    private final LongAdder rejected = new LongAdder(), steps = new LongAdder();
    private final LongAdder decodeSteps = new LongAdder(), decodeRows = new LongAdder();
    private final Histogram firstToken = new Histogram(LATENCY_BOUNDS);
    private final Histogram queueWait = new Histogram(LATENCY_BOUNDS);
    private final Histogram stepSeconds = new Histogram(STEP_BOUNDS);
    private final Histogram stepRows = new Histogram(ROW_BOUNDS);
    private volatile IntSupplier queueDepth = () -> 0, activeSequences = () -> 0;
    private volatile int slots;
    private volatile IntSupplier exchanges = () -> 0;
    private volatile LongSupplier readTimeouts = () -> 0;

    /** Where the gauges read their values: the batcher's queue and slots. */
    void gauges(int slotCount, IntSupplier queued, IntSupplier active) {
        this.slots = slotCount;
        this.queueDepth = queued;
        this.activeSequences = active;
    }

    /** Where the connection gauges read: HTTP exchanges in progress, requests closed for arriving too slowly. */
    void connectionGauges(IntSupplier inProgress, LongSupplier timedOut) {
        this.exchanges = inProgress;
        this.readTimeouts = timedOut;
    }

    /** A finished HTTP request: its route (a known path, or "other"), status and duration. */
    public void request(String route, int status, long nanos) {
        requests.computeIfAbsent(route + '\u0000' + status, k -> new LongAdder()).increment();
        requestSeconds.computeIfAbsent(route, k -> new Histogram(LATENCY_BOUNDS)).observe(nanos / 1e9);
    }

    void rejected() {
        rejected.increment();
    }

    void step(int rows, long nanos) {
        steps.increment();
        stepRows.observe(rows);
        stepSeconds.observe(nanos / 1e9);
    }

    /** A step in which {@code sequences} sequences got their next token: the batch decode steps share. */
    void sampled(int sequences) {
        if (sequences == 0) return;
        decodeSteps.increment();
        decodeRows.add(sequences);
    }

    /** Tokens sampled per step that sampled any, since the start: how well concurrent requests share steps. */
    public double meanDecodeBatch() {
        long n = decodeSteps.sum();
        return n == 0 ? 0 : (double) decodeRows.sum() / n;
    }

    public long decodeSteps() {
        return decodeSteps.sum();
    }

    public long decodeRows() {
        return decodeRows.sum();
    }

    /** A sequence started from {@code tokens} prompt tokens already in its slot's cache. */
    void promptCached(int tokens) {
        promptTokensCached.add(tokens);
    }

    /** A step evaluated {@code tokens} prompt tokens. */
    void promptEvaluated(int tokens) {
        promptTokensEvaluated.add(tokens);
    }

    /** Prompt tokens taken from slots' caches since the start. */
    public long promptTokensCached() {
        return promptTokensCached.sum();
    }

    /** Prompt tokens run through the model since the start. */
    public long promptTokensEvaluated() {
        return promptTokensEvaluated.sum();
    }

    void firstToken(long nanosSinceSubmit) {
        firstToken.observe(nanosSinceSubmit / 1e9);
    }

    void admitted(long queueNanos) {
        queueWait.observe(queueNanos / 1e9);
    }

    void finished(Outcome outcome) {
        finished.computeIfAbsent(outcome.reason(), k -> new LongAdder()).increment();
        promptTokens.add(outcome.promptTokens());
        generatedTokens.add(outcome.generatedTokens());
    }

    /** How many generations ended for this reason so far. */
    public long finishedCount(FinishReason reason) {
        LongAdder a = finished.get(reason);
        return a == null ? 0 : a.sum();
    }

    public long generatedTokens() {
        return generatedTokens.sum();
    }

    public String render() {
        StringBuilder o = new StringBuilder(4096);
        header(o, "tinyforge_http_requests_total", "counter", "HTTP requests by route and status code.");
        new TreeMap<>(requests).forEach((key, count) -> {
            int cut = key.indexOf('\u0000');
            o.append("tinyforge_http_requests_total{route=\"").append(key, 0, cut).append("\",code=\"")
                    .append(key.substring(cut + 1)).append("\"} ").append(count.sum()).append('\n');
        });
        header(o, "tinyforge_http_request_duration_seconds", "histogram", "Time from a request's arrival to its last byte.");
        new TreeMap<>(requestSeconds).forEach((route, h) -> h.write(o, "tinyforge_http_request_duration_seconds",
                "route=\"" + route + "\","));
        header(o, "tinyforge_generations_total", "counter", "Generations by how they ended.");
        for (FinishReason r : FinishReason.values()) {
            o.append("tinyforge_generations_total{reason=\"").append(r.label()).append("\"} ").append(finishedCount(r)).append('\n');
        }
        gauge(o, "tinyforge_http_exchanges", "HTTP requests being read or answered.", exchanges.getAsInt());
        counter(o, "tinyforge_http_read_timeouts_total", "Connections closed because a request did not arrive within the read timeout.",
                readTimeouts.getAsLong());
        counter(o, "tinyforge_rejected_total", "Requests refused with 429 because the queue was full.", rejected.sum());
        counter(o, "tinyforge_prompt_tokens_total", "Prompt tokens of finished generations.", promptTokens.sum());
        counter(o, "tinyforge_prompt_tokens_cached_total",
                "Prompt tokens whose keys and values a slot's cache already held (a shared prefix), so not evaluated.",
                promptTokensCached.sum());
        counter(o, "tinyforge_prompt_tokens_evaluated_total", "Prompt tokens run through the model.", promptTokensEvaluated.sum());
        counter(o, "tinyforge_generated_tokens_total", "Tokens generated by finished generations.", generatedTokens.sum());
        counter(o, "tinyforge_steps_total", "Forward steps of the batcher.", steps.sum());
        counter(o, "tinyforge_decode_steps_total", "Steps that gave at least one sequence its next token.", decodeSteps.sum());
        counter(o, "tinyforge_decode_rows_total", "Next tokens sampled, summed over steps (divided by decode steps: the mean batch).",
                decodeRows.sum());
        gauge(o, "tinyforge_queue_depth", "Requests waiting for a slot.", queueDepth.getAsInt());
        gauge(o, "tinyforge_active_sequences", "Requests holding a slot.", activeSequences.getAsInt());
        gauge(o, "tinyforge_slots", "Sequences generated in parallel at most (--parallel).", slots);
        header(o, "tinyforge_queue_wait_seconds", "histogram", "Time a request waited for a slot.");
        queueWait.write(o, "tinyforge_queue_wait_seconds", "");
        header(o, "tinyforge_time_to_first_token_seconds", "histogram", "Time from submission to the first generated token.");
        firstToken.write(o, "tinyforge_time_to_first_token_seconds", "");
        header(o, "tinyforge_step_seconds", "histogram", "Duration of one batched forward step.");
        stepSeconds.write(o, "tinyforge_step_seconds", "");
        header(o, "tinyforge_step_rows", "histogram", "Token rows evaluated per step (decodes plus prompt chunks).");
        stepRows.write(o, "tinyforge_step_rows", "");
        return o.toString();
    }

    private static void header(StringBuilder o, String name, String type, String help) {
        o.append("# HELP ").append(name).append(' ').append(help).append('\n');
        o.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void counter(StringBuilder o, String name, String help, long value) {
        header(o, name, "counter", help);
        o.append(name).append(' ').append(value).append('\n');
    }

    private static void gauge(StringBuilder o, String name, String help, long value) {
        header(o, name, "gauge", help);
        o.append(name).append(' ').append(value).append('\n');
    }
}
