package dev.tinyforge.train;

import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.ModelWeights;
import dev.tinyforge.model.RandomModels;
import dev.tinyforge.quant.GgmlType;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Training throughput and memory on a model of a known shape with random weights, the way the
 * reference figures were taken (../shared/bench/REFERENCE.md): batch × sequence random tokens, every
 * token a target, AdamW, a few warm-up steps, then the median step of the measured ones. The steps
 * are the real {@link Trainer} loop: forward, backward and optimizer.
 */
public final class TrainBenchmark {
    /** What to run. */
    public record Settings(String shape, String method, int batchSize, int sequenceLength, int loraRank,
                           GgmlType qloraType, int warmupSteps, int measuredSteps, long seed, boolean recomputeActivations) {
        public Settings {
            if (!List.of("lora", "qlora", "full").contains(method)) {
                throw new BadInputException("method must be lora, qlora or full, got '" + method + "'");
            }
            if (batchSize < 1 || sequenceLength < 2 || measuredSteps < 1 || warmupSteps < 0) {
                throw new BadInputException("batch, sequence length and steps must be positive");
            }
        }

        public static Settings defaults(String method) {
            return new Settings("smollm2-135m", method, 4, 256, 16, GgmlType.Q4_0, 2, 3, 1, false);
        }
    }

    /**
     * The measurements.
     *
     * @param cpuSeconds the process's CPU time per measured step (all threads): less distorted than
     *                   wall time when other work shares the cores
     */
    public record Figures(Settings settings, ModelConfig config, long trainableParameters, long baseMatrixBytes,
                          double[] stepSeconds, double[] cpuSeconds, long peakRssBytes, long peakHeapBytes,
                          long estimatedBytes) {
        public int tokensPerStep() {
            return settings.batchSize() * settings.sequenceLength();
        }

        public double medianStepSeconds() {
            return median(stepSeconds);
        }

        public double medianCpuSeconds() {
            return median(cpuSeconds);
        }

        private static double median(double[] values) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        public double tokensPerSecond() {
            return tokensPerStep() / medianStepSeconds();
        }
    }

    /** Hears each step as it ends. */
    public interface Listener {
        void step(int step, int total, double seconds, boolean warmUp);
    }

    private TrainBenchmark() {}

    public static Figures run(Settings s, Listener listener) {
        ModelConfig config = RandomModels.shape(s.shape());
        ModelWeights weights = switch (s.method()) {
            case "qlora" -> RandomModels.weights(config, s.seed(), QloraBase.randomMaker(s.qloraType(), false, 0.02),
                    QloraBase.randomMaker(s.qloraType(), true, 0.02));
            default -> RandomModels.weights(config, s.seed(), 0.02);
        };
        LoraConfig lora = new LoraConfig(s.loraRank(), 2.0 * s.loraRank(), 0, EnumSet.allOf(LoraTarget.class), false);
        Trainables trainables = s.method().equals("full") ? new FullParameters(weights)
                : LoraAdapter.initialize(weights, lora, s.seed());
        int steps = s.warmupSteps() + s.measuredSteps();
        List<TokenizedExample> data = randomSequences(config, s.batchSize() * steps, s.sequenceLength(), s.seed());
        var training = new TrainingConfig(2e-4, LrSchedule.Kind.CONSTANT, 0, s.batchSize(), 1, 1, steps, s.seed(), 0, 1.0, 0, 0);
        double[] seconds = new double[s.measuredSteps()], cpu = new double[s.measuredSteps()];
        long[] lastCpu = {processCpuNanos()};
        new Trainer(config, trainables, training, s.recomputeActivations()).train(data, List.of(), new Trainer.Listener() {
            @Override
            public void step(Trainer.StepMetrics m, int total) {
                double t = s.batchSize() * s.sequenceLength() / m.tokensPerSecond();
                long now = processCpuNanos();
                boolean warmUp = m.step() <= s.warmupSteps();
                if (!warmUp) {
                    seconds[m.step() - s.warmupSteps() - 1] = t;
                    cpu[m.step() - s.warmupSteps() - 1] = (now - lastCpu[0]) / 1e9;
                }
                lastCpu[0] = now;
                listener.step(m.step(), total, t, warmUp);
            }
        });
        long estimate = MemoryEstimate.forRun(config, weights, s.method(),
                s.method().equals("full") ? null : lora, s.qloraType(), s.sequenceLength(), false, s.recomputeActivations()).total();
        return new Figures(s, config, trainables.parameterCount(), QloraBase.matrixBytes(weights), seconds, cpu, peakRss(),
                peakHeap(), estimate);
    }

    private static List<TokenizedExample> randomSequences(ModelConfig c, int count, int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<TokenizedExample> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] ids = new int[length];
            boolean[] target = new boolean[length];
            for (int t = 0; t < length; t++) {
                ids[t] = random.nextInt(c.vocabSize());
                target[t] = t > 0;
            }
            out.add(new TokenizedExample(ids, target, false));
        }
        return out;
    }

    /** The process's peak resident set (VmHWM of /proc/self/status), or -1 where there is none. */
    public static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** CPU time of the whole process so far, or 0 where the JVM does not say. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }

    /** The sum of the heap pools' peak usage (an upper bound of the peak heap in use). */
    public static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) sum += pool.getPeakUsage().getUsed();
        }
        return sum;
    }
}
