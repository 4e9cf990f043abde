package dev.tinyforge.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * Prompt caching in the batcher (built-in tiny model): a request whose prompt shares a prefix with what a
 * free slot's cache holds evaluates only the rest, and its logits at every generated token equal a cold
 * run's within the 1e-5 relative that batching already allows; the slot chosen is the one that shares
 * most, and a slot is never shared.
 */
class PromptCacheTest {
    private static final String SYSTEM = "You are a helpful assistant who answers in one short sentence. ".repeat(3);
    private static Transformer transformer;
    private static Tokenizer tokenizer;

    @BeforeAll
    static void model(@TempDir Path dir) throws IOException {
        TinyModel.write(dir, 11);
        transformer = new Transformer(TinyModel.CONFIG, TinyModel.initialWeights(11), 512);
        tokenizer = Tokenizers.load(dir);
    }

    private static Batcher batcher(int slots, boolean promptCache, Metrics metrics) {
        return new Batcher(transformer, tokenizer, new Batcher.Settings(slots, 8, 4096, 64, promptCache), metrics);
    }

    /** Keeps the raw logits of every generated token. */
    private static final class Recorder implements LogitsHook {
        final List<float[]> logits = new ArrayList<>();

        @Override
        public void mask(float[] l) {
            logits.add(l.clone());
        }

        @Override
        public void accept(int token) {}
    }

    private record Run(Outcome outcome, List<float[]> logits) {}

    private static Run run(Batcher batcher, int[] prompt, int maxTokens) throws InterruptedException {
        Recorder recorder = new Recorder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Generation g = batcher.submit(new GenerationRequest(prompt, SamplingParams.greedy(), maxTokens, List.of(), Set.of(),
                deadline, recorder));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            g.poll(50, TimeUnit.MILLISECONDS);
            if (g.outcome() != null && g.poll(0, TimeUnit.MILLISECONDS) == null) return new Run(g.outcome(), recorder.logits);
        }
        throw new AssertionError("generation did not end");
    }

    private static int[] ids(String text) {
        return tokenizer.encode(text, true, true);
    }

    /** Same text, and at every token max |cached − cold| / max |cold| below 1e-5. */
    private static void assertSameAsCold(Run cold, Run cached) {
        assertEquals(cold.outcome().text(), cached.outcome().text());
        assertEquals(cold.logits().size(), cached.logits().size());
        for (int t = 0; t < cold.logits().size(); t++) {
            float[] a = cold.logits().get(t), b = cached.logits().get(t);
            double diff = 0, scale = 0;
            for (int i = 0; i < a.length; i++) {
                diff = Math.max(diff, Math.abs(a[i] - b[i]));
                scale = Math.max(scale, Math.abs(a[i]));
            }
            assertTrue(diff / scale < 1e-5, "token " + t + ": relative error " + diff / scale);
        }
    }

    @Test
    void aSharedPrefixIsReusedAndGivesTheColdResult() throws InterruptedException {
        int[] first = ids(SYSTEM + "What is the sky?");
        int[] second = ids(SYSTEM + "Where do birds sleep at night?");
        int shared = Arrays.mismatch(first, second);
        assertTrue(shared > 150, "shared prefix " + shared);
        Metrics metrics = new Metrics();
        try (Batcher cold = batcher(1, false, new Metrics()); Batcher cached = batcher(1, true, metrics)) {
            Run a = run(cached, first, 30);
            assertEquals(0, a.outcome().cachedPromptTokens());
            // The same prompt again: everything but the last token comes from the cache.
            Run again = run(cached, first, 30);
            assertEquals(first.length - 1, again.outcome().cachedPromptTokens());
            assertEquals(1, again.outcome().evaluatedPromptTokens());
            assertSameAsCold(a, again);
            // Another question after the same system text: only the question is evaluated.
            Run b = run(cached, second, 30);
            assertEquals(shared, b.outcome().cachedPromptTokens());
            assertSameAsCold(run(cold, second, 30), b);
            assertEquals(first.length - 1 + shared, metrics.promptTokensCached());
            assertEquals(first.length + 1 + second.length - shared, metrics.promptTokensEvaluated());
        }
    }

    /** A follow-up turn whose prompt holds the previous answer reuses the answer's cached tokens too. */
    @Test
    void generatedTokensAreReusedByTheNextTurn() throws InterruptedException {
        int[] turn1 = ids(SYSTEM + "Tell me about the sea.");
        try (Batcher cold = batcher(1, false, new Metrics()); Batcher cached = batcher(1, true, new Metrics())) {
            Run a = run(cached, turn1, 20);
            // The ids of turn 1 and its answer (the tiny model's tokenizer is byte-level: text gives back its ids), then more.
            int[] answer = tokenizer.encode(a.outcome().text(), false, false);
            int[] more = tokenizer.encode(" And why?", false, false);
            int[] turn2 = Arrays.copyOf(turn1, turn1.length + answer.length + more.length);
            System.arraycopy(answer, 0, turn2, turn1.length, answer.length);
            System.arraycopy(more, 0, turn2, turn1.length + answer.length, more.length);
            Run b = run(cached, turn2, 20);
            // The cache holds the prompt and all answer tokens but the last sampled one (never fed back).
            assertEquals(turn1.length + answer.length - 1, b.outcome().cachedPromptTokens());
            assertSameAsCold(run(cold, turn2, 20), b);
        }
    }

    /**
     * With two slots, each conversation keeps landing on the slot holding its own prefix: a request
     * sharing only a few tokens (BOS) with a busy slot's text takes the empty or least recently used one.
     */
    @Test
    void theSlotSharingTheLongestPrefixIsChosen() throws InterruptedException {
        int[] alpha = ids("Alpha system prompt: reply with the colour of each fruit named. ".repeat(2) + "apple");
        int[] beta = ids("Beta system prompt: reply with the capital of each country named. ".repeat(2) + "France");
        int[] alpha2 = ids("Alpha system prompt: reply with the colour of each fruit named. ".repeat(2) + "banana");
        int[] beta2 = ids("Beta system prompt: reply with the capital of each country named. ".repeat(2) + "Spain");
        try (Batcher batcher = batcher(2, true, new Metrics())) {
            assertEquals(0, run(batcher, alpha, 5).outcome().cachedPromptTokens());
            assertEquals(0, run(batcher, beta, 5).outcome().cachedPromptTokens());
            assertEquals(Arrays.mismatch(alpha, alpha2), run(batcher, alpha2, 5).outcome().cachedPromptTokens());
            assertEquals(Arrays.mismatch(beta, beta2), run(batcher, beta2, 5).outcome().cachedPromptTokens());
        }
    }

    /** Several requests with one prefix at once: each gets its own slot, and all answers equal the cold one. */
    @Test
    void concurrentRequestsNeverShareASlot() throws InterruptedException {
        int[] prompt = ids(SYSTEM + "Count to five.");
        try (Batcher cold = batcher(1, false, new Metrics()); Batcher cached = batcher(3, true, new Metrics())) {
            Run reference = run(cold, prompt, 25);
            run(cached, prompt, 25); // every slot but one is still empty
            List<Generation> running = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                running.add(cached.submit(new GenerationRequest(prompt, SamplingParams.greedy(), 25, List.of(), Set.of(),
                        System.nanoTime() + TimeUnit.SECONDS.toNanos(60), null)));
            }
            int reused = 0;
            for (Generation g : running) {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (g.outcome() == null && System.nanoTime() < until) g.poll(50, TimeUnit.MILLISECONDS);
                assertEquals(reference.outcome().text(), g.outcome().text());
                if (g.outcome().cachedPromptTokens() > 0) reused++;
            }
            assertTrue(reused >= 1, "reused " + reused);
        }
    }

    @Test
    void aSlotKeepsItsTokensAndIsNeverHandedOutTwice() {
        Slot slot = new Slot(transformer.newCache());
        int[] prompt = {1, 5, 6, 7, 8};
        slot.take(0);
        transformer.forward(prompt, 0, prompt.length, slot.cache, false);
        slot.give(prompt, true);
        assertEquals(4, slot.sharedPrefix(prompt), "the last prompt token is always evaluated");
        assertEquals(3, slot.sharedPrefix(new int[] {1, 5, 6, 9, 9, 9}));
        assertEquals(0, slot.sharedPrefix(new int[] {2, 5, 6}));
        assertTrue(slot.worthReusing(3, 6));
        assertTrue(!slot.worthReusing(1, 6), "one shared token of five held, in a prompt of six");
        slot.take(3);
        assertEquals(3, slot.cache.length());
        assertThrows(IllegalStateException.class, () -> slot.take(0));
        slot.give(prompt, false);
        assertEquals(0, slot.cache.length(), "a failed sequence's cache is forgotten");
        assertEquals(0, slot.sharedPrefix(prompt));
    }
}
