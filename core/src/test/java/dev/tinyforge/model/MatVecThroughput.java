package dev.tinyforge.model;

import dev.tinyforge.quant.GgmlType;
import dev.tinyforge.tensor.LittleEndian;
import dev.tinyforge.tensor.Parallel;
import dev.tinyforge.tensor.VectorMath;
import dev.tinyforge.testing.RandomBlocks;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Matrix × activations throughput of every weight type on SmolLM2-135M's MLP shapes (1536×576 and
 * 576×1536), in GB/s of weights streamed and GFLOP/s, for one activation row (token generation) and
 * 128 (prompt processing), on {@link Parallel#THREADS} threads. Not a test: run it by hand after
 * {@code ./mvnw -pl core test-compile} with
 * <pre>
 * java --add-modules jdk.incubator.vector -Dtinyforge.threads=2 \
 *     -cp core/target/classes:core/target/test-classes dev.tinyforge.model.MatVecThroughput [seconds] [TYPE ...]
 * </pre>
 * "hot" multiplies one matrix over and over (it stays in L2/L3: kernel speed); "stream" walks a ring
 * of copies larger than the L3, as a whole model's weights do during generation (memory + kernel).
 * "others" is the share of the machine's CPU time that other processes used meanwhile: the machine
 * may be shared, and a figure taken while others ran is not a figure of the kernel. "alloc" is the heap
 * allocated per batch-1 call: a few KB (prepared activations) is right; megabytes mean C2 gave up
 * inlining a kernel and its vectors are boxed (then it is 10–100× slower).
 */
public final class MatVecThroughput {
    private static final long STREAM_BYTES = 160L << 20;

    private MatVecThroughput() {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        List<GgmlType> types = new ArrayList<>();
        for (int i = 1; i < args.length; i++) types.add(GgmlType.valueOf(args[i]));
        if (types.isEmpty()) {
            types = List.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_1,
                    GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K);
        }
        System.out.printf("%s, %d threads, %d-bit vectors, %s%n", System.getProperty("java.vm.version"), Parallel.THREADS,
                VectorMath.F.vectorBitSize(), cpuName());
        System.out.println("| type | rows×cols | MB | b1 hot GB/s | b1 hot GFLOP/s | b1 stream GB/s | b128 GFLOP/s | b128 GB/s | alloc | others |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        int[][] shapes = {{1536, 576}, {576, 1536}};
        try (Arena arena = Arena.ofShared()) {
            for (GgmlType type : types) {
                for (int[] shape : shapes) {
                    int rows = shape[0], cols = shape[1];
                    if (cols % type.blockSize() != 0) {
                        System.out.printf("| %s | %d×%d | | n/a: rows of %d are not whole %d-blocks | | | | | | |%n",
                                type, rows, cols, cols, type.blockSize());
                        continue;
                    }
                    run(arena, type, rows, cols, seconds);
                }
            }
        }
    }

    private static void run(Arena arena, GgmlType type, int rows, int cols, double seconds) {
        long bytes = type.byteSize((long) rows * cols);
        int copies = (int) Math.max(1, STREAM_BYTES / bytes);
        MemorySegment one = matrix(arena, type, rows, cols);
        MemorySegment ring = arena.allocate(bytes * copies, 64);
        for (int i = 0; i < copies; i++) MemorySegment.copy(one, 0, ring, i * bytes, bytes);
        WeightMatrix[] matrices = new WeightMatrix[copies];
        for (int i = 0; i < copies; i++) matrices[i] = WeightMatrices.of(type, rows, cols, ring.asSlice(i * bytes, bytes));
        SplittableRandom random = new SplittableRandom(7);
        float[] x1 = RandomBlocks.gaussian(random, cols), x128 = RandomBlocks.gaussian(random, 128 * cols);
        float[] out = new float[128 * rows];
        long[] before = busy();
        double hot = callsPerSecond(new WeightMatrix[] {matrices[0]}, x1, out, 1, seconds);
        long allocated = allocatedBytes();
        for (int i = 0; i < 100; i++) matrices[0].multiply(x1, out, 1);
        allocated = (allocatedBytes() - allocated) / 100;
        double stream = callsPerSecond(matrices, x1, out, 1, seconds);
        double batch = callsPerSecond(new WeightMatrix[] {matrices[0]}, x128, out, 128, seconds);
        long[] after = busy();
        double others = othersShare(before, after);
        double flop = 2.0 * rows * cols;
        System.out.printf("| %s | %d×%d | %.2f | %.1f | %.1f | %.1f | %.1f | %.1f | %s | %.0f%% |%n", type, rows, cols, bytes / 1e6,
                hot * bytes / 1e9, hot * flop / 1e9, stream * bytes / 1e9, batch * flop * 128 / 1e9, batch * bytes / 1e9,
                allocated < (10 << 20) ? allocated / 1024 + " KB" : allocated / (1 << 20) + " MB", 100 * others);
    }

    /** Calls per second after a warm-up (C2 needs one to two seconds for the larger kernels on a busy machine), cycling through {@code ms}. */
    private static double callsPerSecond(WeightMatrix[] ms, float[] x, float[] out, int batch, double seconds) {
        long warmEnd = System.nanoTime() + (long) (Math.max(2, seconds) * 1e9);
        int i = 0;
        while (System.nanoTime() < warmEnd) ms[i++ % ms.length].multiply(x, out, batch);
        long start = System.nanoTime(), end = start + (long) (1e9 * seconds);
        long calls = 0;
        while (System.nanoTime() < end) {
            ms[i++ % ms.length].multiply(x, out, batch);
            calls++;
        }
        return calls / ((System.nanoTime() - start) / 1e9);
    }

    /** Bytes allocated so far by all threads (the pool's included). */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
    }

    /** A matrix of realistic values: random blocks, or Gaussian floats for the float types. */
    private static MemorySegment matrix(Arena arena, GgmlType type, int rows, int cols) {
        if (type.isQuantized() || type == GgmlType.F16 || type == GgmlType.BF16) {
            return RandomBlocks.matrix(arena, type, rows, cols, 42, 0);
        }
        MemorySegment data = arena.allocate(4L * rows * cols, 64);
        SplittableRandom random = new SplittableRandom(42);
        for (long i = 0; i < (long) rows * cols; i++) data.set(LittleEndian.F32, 4 * i, (float) (random.nextGaussian() * 0.05));
        return data;
    }

    /** {this process's CPU ns, the machine's busy ns, the machine's total ns} from /proc (zeros elsewhere). */
    private static long[] busy() {
        long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0, total = 0;
            for (int i = 1; i < f.length; i++) {
                long ticks = Long.parseLong(f[i]);
                total += ticks;
                if (i != 4 && i != 5) busy += ticks; // idle, iowait
            }
            return new long[] {process, busy * 10_000_000L, total * 10_000_000L}; // USER_HZ = 100
        } catch (Exception e) {
            return new long[] {process, 0, 0};
        }
    }

    private static double othersShare(long[] before, long[] after) {
        long total = after[2] - before[2];
        if (total <= 0) return 0;
        long others = (after[1] - before[1]) - (after[0] - before[0]);
        return Math.max(0, (double) others / total);
    }

    private static String cpuName() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 2)).orElse("?");
        } catch (Exception e) {
            return "?";
        }
    }
}
