package dev.tinyforge.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParallelTest {
    @Test
    void everyItemRunsExactlyOnce() {
        for (int n : new int[] {1, 2, 7, 8, 9, 100, 1001}) {
            int[] hits = new int[n];
            Parallel.forRange(n, 1, (from, to) -> {
                for (int i = from; i < to; i++) hits[i]++;
            });
            int[] ones = new int[n];
            java.util.Arrays.fill(ones, 1);
            assertArrayEquals(ones, hits, "n=" + n);
        }
    }

    @Test
    void nestedCallsRunInline() {
        AtomicInteger total = new AtomicInteger();
        Parallel.forRange(16, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                Parallel.forRange(10, 1, (a, b) -> total.addAndGet(b - a));
            }
        });
        assertEquals(160, total.get());
    }

    @Test
    void aFailingChunkFailsTheCallAndTheGroupKeepsWorking() {
        IllegalStateException boom = new IllegalStateException("boom");
        var thrown = assertThrows(IllegalStateException.class, () -> Parallel.forRange(64, 1, (from, to) -> {
            if (from == 0) throw boom;
        }));
        // The pool may rethrow a copy that carries the original as its cause.
        assertTrue(thrown == boom || thrown.getCause() == boom, "the task's exception reaches the caller");
        AtomicInteger count = new AtomicInteger();
        Parallel.forRange(64, 1, (from, to) -> count.addAndGet(to - from));
        assertEquals(64, count.get());
    }

    @Test
    void concurrentCallersEachGetTheirWholeRange() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        AtomicInteger wrong = new AtomicInteger();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int round = 0; round < 200; round++) {
                    AtomicInteger count = new AtomicInteger();
                    Parallel.forRange(50, 1, (from, to) -> count.addAndGet(to - from));
                    if (count.get() != 50) wrong.incrementAndGet();
                }
            }));
        }
        for (Thread t : threads) t.join();
        assertEquals(0, wrong.get());
    }
}
