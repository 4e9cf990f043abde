package dev.tinyforge.serve;

import dev.tinyforge.model.SequenceChunk;
import dev.tinyforge.model.Transformer;
import dev.tinyforge.tensor.Parallel;
import dev.tinyforge.tokenizer.Tokenizer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Continuous batching: one thread owns the model and runs forward steps in which every active
 * sequence takes part, each with its own KV cache: a sampled token of each generating sequence plus,
 * within a row budget, chunks of the prompts still being read. A new request joins at the next step
 * and a finished one leaves its slot at once, so steps stay full under load and the weights are read
 * once per step for all sequences. Requests beyond the slots wait in a bounded queue; beyond that
 * they are refused ({@link QueueFullException}).
 *
 * <p>A slot keeps what its last sequence left in its cache. A new request goes to the free slot whose
 * cache shares the longest worthwhile prefix with its prompt ({@link Slot#worthReusing}), else to the
 * slot free the longest, and evaluates only the rest of its prompt (prompt caching; off with
 * {@link Settings#promptCache()} false).
 */
public final class Batcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Batcher.class.getName());

    /** Settings of the batcher. */
    public record Settings(int slots, int queueCapacity, int bufferedPieces, int maxStepRows, boolean promptCache) {
        /** With prompt caching on. */
        public Settings(int slots, int queueCapacity, int bufferedPieces, int maxStepRows) {
            this(slots, queueCapacity, bufferedPieces, maxStepRows, true);
        }

        public Settings {
            if (slots < 1) throw new IllegalArgumentException("slots must be positive");
            if (queueCapacity < 0) throw new IllegalArgumentException("queue capacity must be >= 0");
            if (bufferedPieces < 1) throw new IllegalArgumentException("buffered pieces must be positive");
            if (maxStepRows < slots) throw new IllegalArgumentException("a step must hold at least one row per slot");
        }
    }

    /** The queue is full: the caller should answer 429. */
    public static final class QueueFullException extends RuntimeException {
        QueueFullException(String message) {
            super(message);
        }
    }

    private final Transformer transformer;
    private final Tokenizer tokenizer;
    private final Settings settings;
    private final Metrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final ArrayDeque<Generation> waiting = new ArrayDeque<>();
    /** Free slots, the one free the longest first. */
    private final ArrayDeque<Slot> freeSlots = new ArrayDeque<>();
    private final List<Sequence> active = new ArrayList<>();
    private volatile int activeCount;
    private volatile boolean closed;
    private final Thread thread;

    public Batcher(Transformer transformer, Tokenizer tokenizer, Settings settings, Metrics metrics) {
        this.transformer = transformer;
        this.tokenizer = tokenizer;
        this.settings = settings;
        this.metrics = metrics;
        for (int i = 0; i < settings.slots(); i++) freeSlots.add(new Slot(transformer.newCache()));
        metrics.gauges(settings.slots(), this::queued, () -> activeCount);
        this.thread = Thread.ofPlatform().name("tinyforge-batcher").daemon(true).unstarted(this::run);
        thread.start();
    }

    /** Tokens a sequence may hold: prompt plus generated. */
    public int contextLength() {
        return transformer.maxContext();
    }

    /**
     * Queues a request; it starts at the next step if a slot is free.
     *
     * @throws QueueFullException       when all slots are busy and the queue is full
     * @throws IllegalArgumentException when the prompt does not leave room for one token
     */
    public Generation submit(GenerationRequest request) {
        if (request.promptIds().length >= contextLength()) {
            throw new IllegalArgumentException("the prompt has " + request.promptIds().length
                    + " tokens; the context holds " + contextLength());
        }
        for (int id : request.promptIds()) {
            if (id < 0 || id >= transformer.config().vocabSize()) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary");
            }
        }
        Generation generation = new Generation(request, settings.bufferedPieces());
        lock.lock();
        try {
            if (closed) throw new IllegalStateException("the server is shutting down");
            int busy = activeCount + waiting.size();
            if (busy >= settings.slots() + settings.queueCapacity()) {
                metrics.rejected();
                throw new QueueFullException("all " + settings.slots() + " slots are busy and " + waiting.size()
                        + " requests are waiting; try again later");
            }
            waiting.add(generation);
            work.signal();
        } finally {
            lock.unlock();
        }
        return generation;
    }

    /** Requests waiting for a slot. */
    public int queued() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** Requests holding a slot. */
    public int active() {
        return activeCount;
    }

    public int slots() {
        return settings.slots();
    }

    private void run() {
        try {
            while (!closed) {
                if (!admit()) continue;
                try {
                    dropEnded();
                    if (!active.isEmpty()) step();
                } catch (RuntimeException | Error e) {
                    // A bug or an exhausted heap must not stop the batcher: waiting requests would hang.
                    LOG.log(Level.SEVERE, "batcher step failed; ending the active generations", e);
                    for (Sequence s : List.copyOf(active)) end(s, FinishReason.FAILED, "internal error: " + e);
                }
            }
        } catch (InterruptedException e) {
            // closing
        } finally {
            for (Sequence s : active) s.generation.finish(s.outcome(FinishReason.CANCELLED, "the server is shutting down"));
            active.clear();
            activeCount = 0;
            lock.lock();
            try {
                for (Generation g : waiting) g.finish(notStarted(g, FinishReason.CANCELLED, "the server is shutting down"));
                waiting.clear();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Moves waiting requests into free slots; waits while there is nothing to do. Returns false to re-check. */
    private boolean admit() throws InterruptedException {
        lock.lock();
        try {
            if (active.isEmpty() && waiting.isEmpty()) {
                work.await(1, TimeUnit.SECONDS);
                return false;
            }
            long now = System.nanoTime();
            for (Iterator<Generation> it = waiting.iterator(); it.hasNext(); ) {
                Generation g = it.next();
                if (g.cancelled()) {
                    it.remove();
                    finishUnstarted(g, FinishReason.CANCELLED, null);
                } else if (now - g.request().deadline() > 0) {
                    it.remove();
                    finishUnstarted(g, FinishReason.QUEUE_TIMEOUT, null);
                }
            }
            while (!waiting.isEmpty() && !freeSlots.isEmpty()) {
                Generation g = waiting.poll();
                metrics.admitted(now - g.submitted());
                if (g.request().maxTokens() == 0) {
                    finishUnstarted(g, FinishReason.LENGTH, null);
                    continue;
                }
                int[] prompt = g.request().promptIds();
                Slot slot = slotFor(prompt);
                freeSlots.remove(slot);
                int reused = settings.promptCache() ? slot.sharedPrefix(prompt) : 0;
                metrics.promptCached(reused);
                active.add(new Sequence(g, slot, reused, tokenizer, transformer.config().vocabSize()));
            }
            activeCount = active.size();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The free slot whose cache shares the longest worthwhile prefix with the prompt, else the one free the longest. */
    private Slot slotFor(int[] prompt) {
        Slot best = freeSlots.peek();
        if (!settings.promptCache()) return best;
        int bestShared = 0;
        for (Slot slot : freeSlots) {
            int shared = slot.sharedPrefix(prompt);
            if (shared > bestShared && slot.worthReusing(shared, prompt.length)) {
                best = slot;
                bestShared = shared;
            }
        }
        return best;
    }

    private void finishUnstarted(Generation g, FinishReason reason, String error) {
        Outcome outcome = notStarted(g, reason, error);
        metrics.finished(outcome);
        g.finish(outcome);
    }

    private static Outcome notStarted(Generation g, FinishReason reason, String error) {
        return new Outcome(reason, "", error, g.request().promptIds().length, 0, 0, System.nanoTime() - g.submitted(), 0, 0);
    }

    /** Ends sequences whose client left or whose time is up. */
    private void dropEnded() {
        long now = System.nanoTime();
        for (Sequence s : List.copyOf(active)) {
            if (s.generation.cancelled()) {
                end(s, FinishReason.CANCELLED, null);
            } else if (now - s.generation.request().deadline() > 0) {
                end(s, flushAndReturn(s, FinishReason.TIME_LIMIT), null);
            }
        }
    }

    private FinishReason flushAndReturn(Sequence s, FinishReason reason) {
        return deliver(s, s.flush()) ? reason : FinishReason.CLIENT_TOO_SLOW;
    }

    /** One forward step over every active sequence, then sampling for those that reached their last token. */
    private void step() {
        int budget = settings.maxStepRows();
        List<Sequence> stepped = new ArrayList<>();
        List<SequenceChunk> chunks = new ArrayList<>();
        // Generating sequences first (one row each), then prompt chunks in the rows left.
        for (Sequence s : active) {
            if (!s.prefilling()) {
                stepped.add(s);
                chunks.add(s.nextChunk(1));
                budget--;
            }
        }
        int promptRows = 0;
        for (Sequence s : active) {
            if (s.prefilling() && budget > 0) {
                SequenceChunk chunk = s.nextChunk(budget);
                stepped.add(s);
                chunks.add(chunk);
                budget -= chunk.count();
                promptRows += chunk.count();
            }
        }
        long start = System.nanoTime();
        float[][] logits;
        try {
            logits = transformer.forward(chunks);
        } catch (RuntimeException | OutOfMemoryError e) {
            for (Sequence s : stepped) end(s, FinishReason.FAILED, "the model failed: " + e);
            return;
        }
        metrics.step(settings.maxStepRows() - budget, System.nanoTime() - start);
        metrics.promptEvaluated(promptRows);

        List<Sequence> sampling = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < stepped.size(); i++) {
            if (!stepped.get(i).prefilling()) {
                sampling.add(stepped.get(i));
                rows.add(logits[i]);
            }
        }
        metrics.sampled(sampling.size());
        RuntimeException[] failures = new RuntimeException[sampling.size()];
        // Samplers are independent; a full-vocabulary sort per sequence is worth spreading over cores.
        Parallel.forRange(sampling.size(), 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                try {
                    sampling.get(i).sample(rows.get(i));
                } catch (RuntimeException e) {
                    failures[i] = e;
                }
            }
        });
        for (int i = 0; i < sampling.size(); i++) {
            Sequence s = sampling.get(i);
            if (failures[i] != null) {
                end(s, FinishReason.FAILED, "sampling failed: " + failures[i]);
                continue;
            }
            if (s.generated() == 1) metrics.firstToken(System.nanoTime() - s.generation.submitted());
            if (!deliver(s, s.takeText())) {
                end(s, FinishReason.CLIENT_TOO_SLOW, null);
            } else if (s.ended() != null) {
                end(s, flushAndReturn(s, s.ended()), null);
            }
        }
    }

    /** Hands text to the client's queue; false when it is full. */
    private static boolean deliver(Sequence s, String text) {
        return text.isEmpty() || s.generation.offer(text);
    }

    private void end(Sequence s, FinishReason reason, String error) {
        Outcome outcome = s.outcome(reason, error);
        metrics.finished(outcome);
        s.generation.finish(outcome);
        active.remove(s);
        // A failed step leaves a cache nobody checked: the slot starts cold next time.
        s.slot.give(s.tokens(), reason != FinishReason.FAILED);
        lock.lock();
        try {
            freeSlots.add(s.slot);
            activeCount = active.size();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the batcher: every waiting and active generation ends as cancelled. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
