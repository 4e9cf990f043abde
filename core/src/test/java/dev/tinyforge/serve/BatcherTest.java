package dev.tinyforge.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.generate.Generator;
import dev.tinyforge.generate.SamplingParams;
import dev.tinyforge.model.TinyModel;
import dev.tinyforge.model.Transformer;
import dev.tinyforge.tokenizer.Tokenizer;
import dev.tinyforge.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The continuous batcher on the built-in tiny model (byte-level tokenizer, seeded weights). */
class BatcherTest {
    private static Transformer transformer;
    private static Tokenizer tokenizer;

    @BeforeAll
    static void model(@TempDir Path dir) throws IOException {
        TinyModel.write(dir, 11);
        transformer = new Transformer(TinyModel.CONFIG, TinyModel.initialWeights(11), 512);
        tokenizer = Tokenizers.load(dir);
    }

    private static Batcher batcher(int slots, int queue, int buffered, int stepRows) {
        return new Batcher(transformer, tokenizer, new Batcher.Settings(slots, queue, buffered, stepRows), new Metrics());
    }

    private static GenerationRequest request(String prompt, SamplingParams sampling, int maxTokens, LogitsHook hook,
                                             long deadline) {
        return new GenerationRequest(tokenizer.encode(prompt, true, true), sampling, maxTokens, List.of(), Set.of(), deadline,
                hook);
    }

    private static long later() {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    }

    /** Reads the generation to its end, as an HTTP handler does. */
    private static Outcome drain(Generation g) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            g.poll(50, TimeUnit.MILLISECONDS);
            if (g.outcome() != null && g.poll(0, TimeUnit.MILLISECONDS) == null) return g.outcome();
        }
        throw new AssertionError("generation did not end");
    }

    /**
     * Sequences sharing steps (some sampled, one greedy, one with a prompt longer than a step's rows)
     * generate what each generates alone with the single-sequence {@link Generator}.
     */
    @Test
    void batchedGenerationsEqualSoloGenerations() throws InterruptedException {
        String longPrompt = "remind me ".repeat(30);
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            SamplingParams sampling = i == 0 ? SamplingParams.greedy() : SamplingParams.defaults(100 + i);
            requests.add(request(i == 4 ? longPrompt : "call mom at " + i, sampling, 40, null, later()));
        }
        try (Batcher batcher = batcher(3, 8, 4096, 64)) {
            List<Generation> running = requests.stream().map(batcher::submit).toList();
            Generator solo = new Generator(transformer, tokenizer);
            for (int i = 0; i < requests.size(); i++) {
                GenerationRequest r = requests.get(i);
                Outcome outcome = drain(running.get(i));
                var expected = solo.generate(new Generator.Request(r.promptIds(), r.sampling(), r.maxTokens(), r.stopStrings(),
                        r.stopIds()), t -> {});
                assertEquals(expected.text(), outcome.text(), "request " + i);
                assertEquals(FinishReason.LENGTH, outcome.reason());
                assertEquals(40, outcome.generatedTokens());
                assertEquals(r.promptIds().length, outcome.promptTokens());
            }
            assertEquals(0, batcher.active());
        }
    }

    @Test
    void hookMasksTheLogitsAndEndsWhenComplete() throws InterruptedException {
        int letter = tokenizer.encode("x", false, false)[0];
        List<Integer> accepted = new ArrayList<>();
        LogitsHook onlyX = new LogitsHook() {
            @Override
            public void mask(float[] logits) {
                for (int i = 0; i < logits.length; i++) if (i != letter) logits[i] = Float.NEGATIVE_INFINITY;
            }

            @Override
            public void accept(int token) {
                accepted.add(token);
            }

            @Override
            public boolean complete() {
                return accepted.size() == 5;
            }
        };
        try (Batcher batcher = batcher(2, 2, 64, 64)) {
            Outcome o = drain(batcher.submit(request("say x", SamplingParams.defaults(3), 100, onlyX, later())));
            assertEquals("xxxxx", o.text());
            assertEquals(FinishReason.STOP, o.reason());
            assertEquals(List.of(letter, letter, letter, letter, letter), accepted);
        }
    }

    /** A hook that makes every token take a while, so generations outlive the test's actions. */
    private static LogitsHook slow(long millisPerToken) {
        return new LogitsHook() {
            @Override
            public void mask(float[] logits) {
                try {
                    Thread.sleep(millisPerToken);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void accept(int token) {}
        };
    }

    @Test
    void aReaderThatFallsBehindLosesItsSlot() throws InterruptedException {
        try (Batcher batcher = batcher(1, 1, 3, 64)) {
            Generation stalled = batcher.submit(request("hello", SamplingParams.greedy(), 200, null, later()));
            // Three tokens fit its buffer however late this thread gets to read them.
            Generation next = batcher.submit(request("hello", SamplingParams.greedy(), 3, null, later()));
            Outcome o = drain(next);
            assertEquals(FinishReason.LENGTH, o.reason());
            assertNotNull(stalled.outcome());
            assertEquals(FinishReason.CLIENT_TOO_SLOW, stalled.outcome().reason());
            assertTrue(stalled.outcome().generatedTokens() < 200);
        }
    }

    @Test
    void aFullQueueRefusesAndCancelledRequestsEnd() throws InterruptedException {
        try (Batcher batcher = batcher(1, 1, 4096, 64)) {
            Generation running = batcher.submit(request("a", SamplingParams.greedy(), 400, slow(5), later()));
            Generation waiting = batcher.submit(request("b", SamplingParams.greedy(), 400, slow(5), later()));
            var e = assertThrows(Batcher.QueueFullException.class,
                    () -> batcher.submit(request("c", SamplingParams.greedy(), 10, null, later())));
            assertTrue(e.getMessage().contains("slots are busy"), e.getMessage());
            running.cancel();
            waiting.cancel();
            assertEquals(FinishReason.CANCELLED, drain(running).reason());
            assertEquals(FinishReason.CANCELLED, drain(waiting).reason());
            assertTrue(drain(running).generatedTokens() < 400);
        }
    }

    @Test
    void timeLimitsEndWaitingAndRunningRequests() throws InterruptedException {
        try (Batcher batcher = batcher(1, 4, 4096, 64)) {
            long soon = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            Generation running = batcher.submit(request("a", SamplingParams.greedy(), 400, slow(5), soon));
            Generation queued = batcher.submit(request("b", SamplingParams.greedy(), 400, null, soon));
            Outcome first = drain(running);
            assertEquals(FinishReason.TIME_LIMIT, first.reason());
            assertTrue(first.generatedTokens() > 0 && first.generatedTokens() < 400, "tokens " + first.generatedTokens());
            assertEquals(FinishReason.QUEUE_TIMEOUT, drain(queued).reason());
        }
    }

    @Test
    void refusesPromptsThatLeaveNoRoom() {
        try (Batcher batcher = batcher(1, 1, 64, 64)) {
            int[] tooLong = new int[512];
            Arrays.fill(tooLong, 100);
            var e = assertThrows(IllegalArgumentException.class, () -> batcher.submit(new GenerationRequest(tooLong,
                    SamplingParams.greedy(), 1, List.of(), Set.of(), later(), null)));
            assertTrue(e.getMessage().contains("context holds 512"), e.getMessage());
        }
    }
}
