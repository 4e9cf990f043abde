package dev.tinyforge.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The HTTP server: the JDK's own ({@code com.sun.net.httpserver}), one virtual thread per request, in
 * front of one {@link Batcher}. A request must arrive within the read timeout ({@link ReadDeadline}) and
 * every write finish within the write timeout ({@link WriteWatchdog}); the body is read whole before an
 * endpoint runs. Routes the OpenAI, Ollama and task endpoints plus {@code /health} and
 * {@code /metrics}; checks the API key; turns refused requests into each API's error shape; counts
 * every request for the metrics.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ApiServer.class.getName());

    /** Which error shape a route's clients read. */
    private enum Style { OPENAI, OLLAMA, PLAIN }

    @FunctionalInterface
    private interface Endpoint {
        void handle(Call call) throws IOException;
    }

    private record Route(String method, Style style, boolean open, Endpoint endpoint) {}

    private final ServedModel model;
    private final ServeOptions options;
    private final Metrics metrics = new Metrics();
    private final Batcher batcher;
    private final WriteWatchdog watchdog;
    private final ReadDeadline readDeadline;
    private final Backend backend;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final byte[] expectedAuthorization;

    private ApiServer(ServedModel model, ServeOptions options) throws IOException {
        this.model = model;
        this.options = options;
        this.batcher = new Batcher(model.transformer(), model.tokenizer(),
                new Batcher.Settings(options.parallel(), options.queue(), options.bufferedPieces(), options.maxStepRows(),
                        options.promptCache()),
                metrics);
        this.watchdog = new WriteWatchdog(options.writeTimeout());
        this.readDeadline = new ReadDeadline(options.readTimeout());
        metrics.connectionGauges(readDeadline::exchanges, readDeadline::expired);
        this.expectedAuthorization = options.apiKey() == null ? null
                : ("Bearer " + options.apiKey()).getBytes(StandardCharsets.UTF_8);
        this.backend = new Backend(model, batcher, options);
        OpenAiApi openAi = new OpenAiApi(backend);
        OllamaApi ollama = new OllamaApi(backend);
        TaskApi task = new TaskApi(backend);
        routes.put("/health", new Route("GET", Style.PLAIN, true, this::health));
        routes.put("/metrics", new Route("GET", Style.PLAIN, false, this::metrics));
        routes.put("/v1/models", new Route("GET", Style.OPENAI, false, openAi::models));
        routes.put("/v1/chat/completions", new Route("POST", Style.OPENAI, false, openAi::chat));
        routes.put("/v1/completions", new Route("POST", Style.OPENAI, false, openAi::completions));
        routes.put("/api/version", new Route("GET", Style.OLLAMA, false, ollama::version));
        routes.put("/api/tags", new Route("GET", Style.OLLAMA, false, ollama::tags));
        routes.put("/api/show", new Route("POST", Style.OLLAMA, false, ollama::show));
        routes.put("/api/generate", new Route("POST", Style.OLLAMA, false, ollama::generate));
        routes.put("/api/chat", new Route("POST", Style.OLLAMA, false, ollama::chat));
        routes.put("/predict", new Route("POST", Style.OPENAI, false, task::predict));
        routes.put("/", new Route("GET", Style.PLAIN, false, this::root));
        this.server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 0);
        server.setExecutor(exchange -> executor.execute(readDeadline.wrap(exchange)));
        server.createContext("/", this::dispatch);
    }

    /** Starts serving {@code model}; the port is taken at once (0 picks a free one, see {@link #port()}). */
    public static ApiServer start(ServedModel model, ServeOptions options) throws IOException {
        ApiServer api = new ApiServer(model, options);
        api.server.start();
        return api;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://" + hostForUrl(options.host()) + ":" + port();
    }

    private static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    public Metrics metrics() {
        return metrics;
    }

    public Batcher batcher() {
        return batcher;
    }

    /** Completes once the vocabulary tables of JSON-constrained decoding are built (they start building at once). */
    public CompletableFuture<Void> jsonTablesReady() {
        return backend.jsonTables;
    }

    private void dispatch(HttpExchange exchange) {
        long start = System.nanoTime();
        Call call = new Call(exchange, watchdog);
        String path = exchange.getRequestURI().getPath();
        Route route = routes.get(path);
        Style style = route != null ? route.style() : path.startsWith("/api/") ? Style.OLLAMA : Style.OPENAI;
        String label = route != null ? path : "other";
        try {
            if (route == null) throw new ApiException(404, "no endpoint " + path, null);
            String method = exchange.getRequestMethod();
            boolean head = method.equals("HEAD") && route.method().equals("GET");
            if (!method.equals(route.method()) && !head) {
                exchange.getResponseHeaders().set("Allow", route.method());
                throw new ApiException(405, path + " takes " + route.method() + ", not " + method, null);
            }
            if (!route.open() && !authorized(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                throw new ApiException(401, "missing or wrong API key: send the header 'Authorization: Bearer KEY'", null);
            }
            call.readRequest(options.maxBodyBytes());
            ReadDeadline.requestRead();
            if (head) {
                call.start(200, null, -1);
            } else {
                route.endpoint().handle(call);
            }
        } catch (ApiException e) {
            sendError(call, style, e);
        } catch (IOException e) {
            // The client left or stopped reading; its generation was cancelled where the write failed.
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "internal error on " + path, e);
            sendError(call, style, new ApiException(500, "internal error: " + e, null));
        } finally {
            exchange.close();
            metrics.request(label, call.started() ? call.status() : 499, System.nanoTime() - start);
        }
    }

    private boolean authorized(HttpExchange exchange) {
        if (expectedAuthorization == null) return true;
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        // A constant-time comparison, so response timing does not reveal how much of a guess was right.
        return given != null && MessageDigest.isEqual(given.strip().getBytes(StandardCharsets.UTF_8), expectedAuthorization);
    }

    private static void sendError(Call call, Style style, ApiException e) {
        if (call.started()) return; // mid-stream failures were already written as an error event
        try {
            Object body = switch (style) {
                case OPENAI, PLAIN -> OpenAiJson.ErrorBody.of(e);
                case OLLAMA -> new OllamaJson.Error(e.getMessage());
            };
            call.sendJson(e.status(), body);
        } catch (IOException ignored) {
            // nobody left to tell
        }
    }

    private void health(Call call) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok");
        body.put("model", model.name());
        body.put("slots", batcher.slots());
        body.put("active", batcher.active());
        body.put("queued", batcher.queued());
        call.sendJson(200, body);
    }

    private void metrics(Call call) throws IOException {
        call.send(200, "text/plain; version=0.0.4; charset=utf-8", metrics.render().getBytes(StandardCharsets.UTF_8));
    }

    private void root(Call call) throws IOException {
        call.send(200, "text/plain; charset=utf-8", ("TinyForge is serving " + model.name()
                + " (OpenAI API under /v1, Ollama API under /api, task endpoint /predict)\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Stops accepting requests and ends the generations in progress; the model stays open (its owner closes it). */
    @Override
    public void close() {
        server.stop(0);
        batcher.close();
        watchdog.close();
        readDeadline.close();
        executor.shutdownNow();
    }
}
