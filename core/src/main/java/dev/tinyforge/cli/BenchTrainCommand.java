package dev.tinyforge.cli;

import dev.tinyforge.tensor.Parallel;
import dev.tinyforge.train.QloraBase;
import dev.tinyforge.train.TrainBenchmark;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tinyforge bench-train}: training throughput and memory on a random model, against PyTorch's figures. */
@Command(name = "bench-train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure fine-tuning speed (forward + backward + optimizer) and peak memory on a model of a known",
                "shape with random weights, as ../shared/bench/REFERENCE.md measured PyTorch: batch 4 x 256 tokens,",
                "LoRA r 16 on every linear layer, AdamW, 2 threads. One method per run, so peak RSS is that method's."})
final class BenchTrainCommand implements Callable<Integer> {
    /** PyTorch 1.13.1, fp32, OpenBLAS, 2 threads, SmolLM2-135M shape, LoRA r 16 all-linear, batch 4 x 256 (REFERENCE.md). */
    static final double REFERENCE_LOW = 132, REFERENCE_HIGH = 151, REFERENCE_RSS_GIB = 6.3;

    @Option(names = "--shape", defaultValue = "smollm2-135m", description = "smollm2-135m (default), tiny-19m or qwen2.5-0.5b.")
    String shape;
    @Option(names = "--method", defaultValue = "lora", description = "lora (default), qlora or full.")
    String method;
    @Option(names = "--qlora-type", defaultValue = "q4_0", description = "Base projections of qlora: q4_0 (default), q4_k (q5_0 for rows not whole 256-blocks) or q8_0.")
    String qloraType;
    @Option(names = "--batch", defaultValue = "4", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--seq", defaultValue = "256", description = "Tokens per sequence (default: ${DEFAULT-VALUE}).")
    int sequence;
    @Option(names = "--lora-r", defaultValue = "16", description = "LoRA rank (default: ${DEFAULT-VALUE}).")
    int rank;
    @Option(names = "--warmup", defaultValue = "2", description = "Unmeasured steps first (default: ${DEFAULT-VALUE}).")
    int warmup;
    @Option(names = "--steps", defaultValue = "3", description = "Measured steps; the median counts (default: ${DEFAULT-VALUE}).")
    int steps;
    @Option(names = "--gradient-checkpointing", description = "Recompute each layer's activations in the backward pass.")
    boolean recompute;
    @Option(names = "--threads", description = "Kernel threads (default 2, as the reference; same as -Dtinyforge.threads).")
    Integer threads;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int wanted = threads != null ? threads : Integer.getInteger("tinyforge.threads", 2);
        ThreadsOption.require(wanted);
        var settings = new TrainBenchmark.Settings(shape, method, batch, sequence, rank, QloraBase.parseType(qloraType), warmup,
                steps, 1, recompute);
        var figures = TrainBenchmark.run(settings, (step, total, seconds, warmUp) -> {
            out.printf(Locale.ROOT, "%s step %d/%d: %.2f s%n", warmUp ? "warm-up" : "measured", step, total, seconds);
            out.flush();
        });
        var c = figures.config();
        out.println();
        out.println("| model | params | method | trainable | base weights | threads | batch | tokens/s | step | CPU per step "
                + "| peak RSS | peak heap | estimate |");
        out.println("| --- | ---: | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        out.printf(Locale.ROOT, "| %s (random) | %s | %s | %s | %s | %d | %d x %d | %.1f | %.2f s | %.2f s | %s | %s | %s |%n", shape,
                InspectCommand.human(c.parameterCount()).replaceAll(" \\(.*", ""),
                method + (method.equals("qlora") ? " " + settings.qloraType() : "") + (method.equals("full") ? "" : " r" + rank)
                        + (recompute ? ", recomputed" : ""),
                InspectCommand.human(figures.trainableParameters()).replaceAll(" \\(.*", ""),
                InspectCommand.bytes(figures.baseMatrixBytes()), Parallel.THREADS, batch, sequence, figures.tokensPerSecond(),
                figures.medianStepSeconds(), figures.medianCpuSeconds(), figures.peakRssBytes() < 0 ? "n/a" : InspectCommand.bytes(figures.peakRssBytes()),
                InspectCommand.bytes(figures.peakHeapBytes()), InspectCommand.bytes(figures.estimatedBytes()));
        if (shape.equalsIgnoreCase("smollm2-135m") && batch == 4 && sequence == 256 && rank == 16) {
            double mid = (REFERENCE_LOW + REFERENCE_HIGH) / 2;
            out.printf(Locale.ROOT, "%nPyTorch 1.13.1 fp32 + OpenBLAS, 2 threads, LoRA r 16 (../shared/bench/REFERENCE.md): "
                    + "%.0f-%.0f tokens/s, %.1f GiB peak RSS. This run: %.2fx its speed%s.%n", REFERENCE_LOW, REFERENCE_HIGH,
                    REFERENCE_RSS_GIB, figures.tokensPerSecond() / mid, figures.peakRssBytes() < 0 ? ""
                            : String.format(Locale.ROOT, ", %.2fx its memory", figures.peakRssBytes() / (REFERENCE_RSS_GIB * (1L << 30))));
            out.println("Figures are noisy on a shared machine: compare runs taken side by side. CPU per step counts every"
                    + " thread: on free cores a step takes at least CPU per step / threads.");
        }
        out.flush();
        return Main.OK;
    }
}
