package dev.tinyforge.cli;

import dev.tinyforge.serve.ApiServer;
import dev.tinyforge.serve.LoadBenchmark;
import dev.tinyforge.serve.ServeOptions;
import dev.tinyforge.serve.ServedModel;
import dev.tinyforge.tensor.Parallel;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tinyforge bench-serve MODEL}: serving throughput by number of concurrent streaming clients. */
@Command(name = "bench-serve", mixinStandardHelpOptions = true,
        description = {"Measure serving throughput: start the server on a loopback port, then for each concurrency run",
                "that many clients, each streaming --requests completions of --max-tokens tokens one after another.",
                "Tokens per second = generated tokens / wall time of the round (sampled, temperature 0.8);",
                "tokens per CPU second uses the CPU time of this process (server and clients), which other",
                "programs on a shared machine barely change."})
final class ServeBenchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "HF folder or GGUF file.")
    Path model;

    @Option(names = "--adapter", paramLabel = "RUN", description = "Apply the LoRA adapter of this run folder.")
    Path adapter;

    @Option(names = "--concurrency", split = ",", defaultValue = "1,8,16", description = "Client counts (default: ${DEFAULT-VALUE}).")
    List<Integer> concurrency;

    @Option(names = "--requests", defaultValue = "2", description = "Requests per client and round (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = {"-n", "--max-tokens"}, defaultValue = "64", description = "Tokens per request (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--parallel", defaultValue = "16", description = "Server slots (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--ctx", defaultValue = "1024", description = "Tokens per sequence (default: ${DEFAULT-VALUE}).")
    int ctx;

    @Option(names = "--prompt", defaultValue = "Once upon a time", description = "The prompt (default: ${DEFAULT-VALUE}).")
    String prompt;

    @Option(names = "--warmup", defaultValue = "1",
            description = "Unmeasured rounds per concurrency first, so the JIT has compiled the code (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--no-prompt-cache",
            description = "Evaluate every prompt whole (by default the repeated prompt is reused from a slot's cache).")
    boolean noPromptCache;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ThreadsOption threadsOption;

    @Override
    public Integer call() throws IOException, InterruptedException {
        threadsOption.apply();
        PrintWriter out = spec.commandLine().getOut();
        if (concurrency.isEmpty() || concurrency.stream().anyMatch(c -> c < 1 || c > 1024)) {
            throw new BadInputException("--concurrency takes client counts within 1..1024");
        }
        if (requests < 1 || maxTokens < 1 || parallel < 1 || ctx < 2 || warmup < 0) {
            throw new BadInputException("--requests, --max-tokens, --parallel and --ctx must be positive, --warmup >= 0");
        }
        int queue = Math.max(16, concurrency.stream().mapToInt(Integer::intValue).max().orElse(1));
        try (ServedModel served = ServedModel.load(model, adapter, ctx);
             ApiServer server = ApiServer.start(served, ServeOptions.defaults().withAddress("127.0.0.1", 0)
                     .withSlots(parallel, queue).withPromptCache(!noPromptCache))) {
            LoadBenchmark bench = new LoadBenchmark(server.baseUrl(), null);
            // Warm-up: the JIT compiles the kernels for single rows and for each batch size measured.
            for (int round = 0; round < warmup; round++) {
                for (int c : concurrency) bench.run(c, 1, maxTokens, prompt);
            }
            out.printf(Locale.ROOT, "%s, %d slots, %d kernel threads, %d tokens per request%n", served.name(), parallel,
                    Parallel.THREADS, maxTokens);
            out.println("| clients | requests | tokens | seconds | tokens/s | CPU s | tokens/CPU s | errors |");
            out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            int errors = 0;
            for (int c : concurrency) {
                LoadBenchmark.Result r = bench.run(c, requests, maxTokens, prompt);
                out.printf(Locale.ROOT, "| %d | %d | %d | %.2f | %.1f | %.2f | %.1f | %d |%n", c, r.requests(), r.tokens(),
                        r.seconds(), r.tokensPerSecond(), r.cpuSeconds(), r.tokensPerCpuSecond(), r.errors());
                out.flush();
                if (r.firstError() != null) spec.commandLine().getErr().println("first error: " + r.firstError());
                errors += r.errors();
            }
            return errors == 0 ? Main.OK : Main.FAILED;
        }
    }
}
