package dev.tinyforge.io.gguf;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tinyforge.io.Mutator;
import dev.tinyforge.quant.Dequantizer;
import dev.tinyforge.quant.GgmlType;
import dev.tinyforge.tensor.LittleEndian;
import dev.tinyforge.testing.Fixtures;
import dev.tinyforge.util.BadInputException;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mutates real GGUF files (llama.cpp's stories260K when the fixtures are there, and a file of every
 * metadata type written here) and opens each mutant: it must either open, with every value and tensor
 * readable, or be rejected with a {@link BadInputException}. Nothing else: no other exception, no
 * allocation beyond a small multiple of the file size, no hang.
 */
class GgufFuzzTest {
    /** -Dtinyforge.fuzz.seeds=N fuzzes longer (the 20 s budget scales with it). */
    private static final int SEEDS = Integer.getInteger("tinyforge.fuzz.seeds", 40);
    private static final int MUTATIONS_PER_SEED = 10;
    private static final long TOTAL_BUDGET_NANOS = 20_000_000_000L * Math.max(1, SEEDS / 40);

    private record Base(String name, byte[] bytes, int headerEnd) {}

    @TempDir
    static Path tmp;

    private static final List<Base> BASES = new ArrayList<>();
    private static long elapsed;
    private static int opened;
    private static int rejected;

    @BeforeAll
    static void bases() throws Exception {
        Path synthetic = tmp.resolve("synthetic.gguf");
        MemorySegment q4k = MemorySegment.ofArray(new byte[2 * 144]);
        for (long i = 0; i < q4k.byteSize(); i++) q4k.set(LittleEndian.I8, i, (byte) (i * 31));
        GgufWriterTest.everyValueType()
                .addTensor("q", GgmlType.Q4_K, new long[] {256, 2}, q4k)
                .addTensor("h", GgmlType.F16, new long[] {8, 2}, MemorySegment.ofArray(new byte[32]))
                .addTensor("f", GgmlType.F32, new long[] {4}, MemorySegment.ofArray(new byte[16]))
                .write(synthetic);
        add(synthetic);
        if (Fixtures.available()) add(Fixtures.require("models/stories260K/stories260K.gguf"));
    }

    private static void add(Path file) throws Exception {
        try (GgufFile gguf = GgufFile.open(file)) {
            BASES.add(new Base(file.getFileName().toString(), Files.readAllBytes(file), (int) gguf.dataOffset()));
        }
    }

    static List<Long> seeds() {
        List<Long> seeds = new ArrayList<>();
        for (long s = 0; s < SEEDS; s++) seeds.add(s);
        return seeds;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @Timeout(10)
    void mutantsOpenOrAreRejectedCleanly(long seed) throws Exception {
        Mutator mutator = new Mutator(seed);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        for (int m = 0; m < MUTATIONS_PER_SEED; m++) {
            Base base = BASES.get((int) ((seed + m) % BASES.size()));
            byte[] mutant = mutator.mutate(base.bytes, base.headerEnd);
            Path file = Files.write(tmp.resolve("mutant-" + seed + ".gguf"), mutant);
            String what = base.name + " seed " + seed + " mutation " + m + " (" + mutator.last() + ")";
            long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
            try (GgufFile gguf = GgufFile.open(file)) {
                long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
                assertTrue(allocated < 16L * mutant.length + (8 << 20), what + ": opening allocated " + allocated + " bytes");
                exercise(gguf);
                opened++;
            } catch (BadInputException expected) {
                long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
                assertTrue(allocated < 16L * mutant.length + (8 << 20), what + ": rejecting allocated " + allocated + " bytes");
                assertTrue(expected.getMessage().startsWith(file.toString()), what + ": message does not name the file: " + expected.getMessage());
                rejected++;
            } catch (Throwable unexpected) {
                fail(what + ": " + unexpected, unexpected);
            }
        }
        elapsed += System.nanoTime() - start;
    }

    /** Reads every metadata value and touches every tensor, as a loader would. */
    private static void exercise(GgufFile gguf) {
        for (GgufValue value : gguf.metadata().asMap().values()) walk(value);
        for (GgufTensorInfo t : gguf.tensors()) {
            if (t.byteSize() > 0) {
                t.data().get(LittleEndian.I8, 0);
                t.data().get(LittleEndian.I8, t.byteSize() - 1);
            }
            if (Dequantizer.supports(t.type()) && t.rowCount() > 0) {
                float[] row = new float[Math.toIntExact(t.rowLength())];
                t.decodeRow(0, row);
                t.decodeRow(t.rowCount() - 1, row);
            }
        }
    }

    private static void walk(GgufValue value) {
        if (value instanceof GgufArray a) {
            for (int i = 0; i < a.size(); i++) walk(a.get(i));
        }
    }

    @AfterAll
    static void fastEnough() {
        System.out.printf("GGUF fuzz: %d mutants opened, %d rejected, %.1f s%n", opened, rejected, elapsed / 1e9);
        assertTrue(elapsed < TOTAL_BUDGET_NANOS, "fuzzing took " + elapsed / 1e9 + " s");
    }
}
