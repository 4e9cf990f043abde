package dev.tinyforge.cli;

import dev.tinyforge.serve.ApiServer;
import dev.tinyforge.serve.ServeOptions;
import dev.tinyforge.serve.ServedModel;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tinyforge serve MODEL}: OpenAI- and Ollama-compatible HTTP APIs plus a task endpoint, until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a model over HTTP: OpenAI API (/v1/models, /v1/chat/completions, /v1/completions),",
                "Ollama API (/api/tags, /api/show, /api/generate, /api/chat, /api/version), the task endpoint",
                "POST /predict {\"text\": ...} (the run's own prompt format), /health and /metrics (Prometheus).",
                "Concurrent requests share decode steps (continuous batching) in --parallel slots."})
final class ServeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "HF folder (a full fine-tuning run folder too) or GGUF file.")
    Path model;

    @Option(names = "--adapter", paramLabel = "RUN", description = "Apply the LoRA adapter of this run folder to MODEL.")
    Path adapter;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:TINYFORGE_API_KEY}",
            description = "Require 'Authorization: Bearer KEY' on every endpoint but /health (default: $TINYFORGE_API_KEY).")
    String apiKey;

    @Option(names = "--parallel", defaultValue = "4", description = "Sequences generated together (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--queue", defaultValue = "16", description = "Requests that may wait for a slot; more get 429 (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--ctx", defaultValue = "4096", description = "Tokens per sequence, capped by the model's context (default: ${DEFAULT-VALUE}).")
    int ctx;

    @Option(names = "--timeout", defaultValue = "600", paramLabel = "SECONDS",
            description = "Time limit per request, waiting included (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--write-timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "Drop a client that does not read for this long (default: ${DEFAULT-VALUE}).")
    int writeTimeoutSeconds;

    @Option(names = "--read-timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "Close a connection whose request (headers and body) takes longer to arrive (default: ${DEFAULT-VALUE}).")
    int readTimeoutSeconds;

    @Option(names = "--max-body", defaultValue = "1048576", paramLabel = "BYTES",
            description = "Largest request body (default: ${DEFAULT-VALUE}).")
    long maxBody;

    @Option(names = "--no-prompt-cache", negatable = false,
            description = "Evaluate every prompt whole, instead of starting from a free slot's cached keys and values of a shared prefix.")
    boolean noPromptCache;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ThreadsOption threadsOption;

    @Override
    public Integer call() throws IOException, InterruptedException {
        threadsOption.apply();
        PrintWriter out = spec.commandLine().getOut();
        if (parallel < 1 || parallel > 256) throw new BadInputException("--parallel must be within 1..256");
        if (queue < 0) throw new BadInputException("--queue must be >= 0");
        if (ctx < 2) throw new BadInputException("--ctx must be at least 2");
        if (port < 0 || port > 65535) throw new BadInputException("--port must be within 0..65535");
        if (timeoutSeconds < 1 || writeTimeoutSeconds < 1 || readTimeoutSeconds < 1) {
            throw new BadInputException("--timeout, --write-timeout and --read-timeout must be positive");
        }
        if (maxBody < 1) throw new BadInputException("--max-body must be positive");
        if (apiKey != null && apiKey.isBlank()) apiKey = null;
        ServeOptions options = ServeOptions.defaults().withAddress(host, port).withApiKey(apiKey).withSlots(parallel, queue)
                .withLimits(maxBody, Duration.ofSeconds(timeoutSeconds), Duration.ofSeconds(writeTimeoutSeconds))
                .withReadTimeout(Duration.ofSeconds(readTimeoutSeconds)).withPromptCache(!noPromptCache);
        try (ServedModel served = ServedModel.load(model, adapter, ctx)) {
            ApiServer server;
            try {
                server = ApiServer.start(served, options);
            } catch (BindException e) {
                throw new BadInputException("cannot listen on " + host + ":" + port + ": " + e.getMessage());
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                server.close();
                stopped.countDown();
            });
            Runtime.getRuntime().addShutdownHook(hook);
            out.printf("Serving %s on %s (context %d tokens, %d parallel%s)%n", served.name(), server.baseUrl(),
                    served.transformer().maxContext(), parallel, noPromptCache ? ", no prompt cache" : "");
            out.println("  OpenAI: " + server.baseUrl() + "/v1   Ollama: " + server.baseUrl() + "/api   task: POST "
                    + server.baseUrl() + "/predict   metrics: /metrics");
            out.println("  /predict uses " + served.taskFormatOrigin());
            if (served.chatPrompt().isFallback()) out.println("  note: the model has no chat template; chat uses ChatML");
            if (apiKey == null && !InetAddress.getByName(host).isLoopbackAddress()) {
                out.println("  warning: listening beyond this machine without --api-key: anyone who can reach it may use it");
            }
            out.println("Ctrl-C stops.");
            out.flush();
            stopped.await();
        }
        return Main.OK;
    }
}
