package dev.tinyforge.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tinyforge.io.Mutator;
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
 * Mutates real safetensors files (the torch fixtures' mixed-dtype step0 and an adapter when present,
 * and a file of every dtype written here): each mutant either opens, with every tensor readable, or
 * is rejected with a {@link BadInputException}; bounded allocation, no hang.
 */
class SafetensorsFuzzTest {
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
        SafetensorsWriter w = new SafetensorsWriter().putMetadata("format", "pt").putMetadata("note", "fuzz \"base\"");
        int i = 0;
        for (SafetensorsDtype dtype : SafetensorsDtype.values()) {
            long n = 8L * (1 + i++ % 3); // multiples of 8 keep the 4- and 6-bit types whole bytes
            w.add("tensor." + dtype.name().toLowerCase(), dtype, new long[] {2, n / 2},
                    MemorySegment.ofArray(new byte[(int) dtype.byteSize(n)]));
        }
        Path synthetic = tmp.resolve("synthetic.safetensors");
        w.write(synthetic);
        add(synthetic);
        if (Fixtures.available()) {
            add(Fixtures.require("torch/llama/step0.safetensors"));
            add(Fixtures.require("torch/qwen2/adapter_init/adapter_model.safetensors"));
        }
    }

    private static void add(Path file) throws Exception {
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            BASES.add(new Base(file.getFileName().toString(), Files.readAllBytes(file), (int) st.dataOffset()));
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
        Mutator mutator = new Mutator(1_000_003L * seed + 7);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        for (int m = 0; m < MUTATIONS_PER_SEED; m++) {
            Base base = BASES.get((int) ((seed + m) % BASES.size()));
            byte[] mutant = mutator.mutate(base.bytes, base.headerEnd);
            Path file = Files.write(tmp.resolve("mutant-" + seed + ".safetensors"), mutant);
            String what = base.name + " seed " + seed + " mutation " + m + " (" + mutator.last() + ")";
            long before = threads.getCurrentThreadAllocatedBytes();
            try (SafetensorsFile st = SafetensorsFile.open(file)) {
                exercise(st);
                opened++;
            } catch (BadInputException expected) {
                assertTrue(expected.getMessage().startsWith(file.toString()), what + ": message does not name the file: " + expected.getMessage());
                rejected++;
            } catch (Throwable unexpected) {
                fail(what + ": " + unexpected, unexpected);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < 16L * mutant.length + (8 << 20), what + ": allocated " + allocated + " bytes");
        }
        elapsed += System.nanoTime() - start;
    }

    private static void exercise(SafetensorsFile st) {
        st.metadata().forEach((k, v) -> { });
        for (SafetensorsTensor t : st.tensors()) {
            if (t.byteSize() > 0) {
                t.data().get(LittleEndian.I8, 0);
                t.data().get(LittleEndian.I8, t.byteSize() - 1);
            }
            if (t.elementCount() < (1 << 20)) {
                if (t.dtype().isFloat()) t.toFloatArray();
                if (t.dtype().isInteger()) t.toLongArray();
            }
        }
    }

    @AfterAll
    static void fastEnough() {
        System.out.printf("safetensors fuzz: %d mutants opened, %d rejected, %.1f s%n", opened, rejected, elapsed / 1e9);
        assertTrue(elapsed < TOTAL_BUDGET_NANOS, "fuzzing took " + elapsed / 1e9 + " s");
    }
}
