package dev.tinyforge.train;

import dev.tinyforge.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * The training loop: shuffled, length-grouped batches of rows (sequences, or packed ones) per epoch; per optimizer step the gradients
 * of {@code batch × accumulation} sequences, normalised by their target tokens; clipping; AdamW at
 * the scheduled rate; validation loss now and then, early stopping, and the best adapter kept.
 * Deterministic: same data, config and seed give the same adapter, bit for bit.
 */
public final class Trainer {
    /** One optimizer step's figures. */
    public record StepMetrics(int step, double epoch, double lr, double trainLoss, double gradNorm, double tokensPerSecond,
                              Double valLoss) {}

    /** Hears about progress; everything optional. */
    public interface Listener {
        default void step(StepMetrics metrics, int totalSteps) {}

        default void validation(int step, double valLoss, boolean best) {}
    }

    /**
     * How a run ended.
     *
     * @param interrupted whether a stop request ended it before its last step (a checkpoint was taken)
     */
    public record Result(int steps, double finalTrainLoss, Double bestValLoss, int bestStep, boolean stoppedEarly,
                         long trainedTokens, boolean interrupted) {}

    /** Takes checkpoints; the state refers to live arrays, so it must be written before returning. */
    @FunctionalInterface
    public interface CheckpointSink {
        void save(TrainingState state) throws java.io.IOException;
    }

    /**
     * What a run does besides training: continue from a saved state, save one every {@code saveSteps}
     * updates (0: never), and stop cleanly, with a checkpoint, once {@code stopRequested} says so.
     */
    public record Options(TrainingState resume, int saveSteps, CheckpointSink checkpoints, BooleanSupplier stopRequested) {
        public static Options none() {
            return new Options(null, 0, state -> {}, () -> false);
        }
    }

    private final ModelConfig model;
    private final Trainables trainables;
    private final TrainingConfig config;
    private final boolean recomputeActivations;

    public Trainer(ModelConfig model, Trainables trainables, TrainingConfig config) {
        this(model, trainables, config, false);
    }

    /** @param recomputeActivations activation checkpointing (see {@link Backprop#Backprop(ModelConfig, Trainables, int, boolean)}) */
    public Trainer(ModelConfig model, Trainables trainables, TrainingConfig config, boolean recomputeActivations) {
        this.model = model;
        this.trainables = trainables;
        this.config = config;
        this.recomputeActivations = recomputeActivations;
    }

    /** Optimizer steps the run will take for {@code examples} training sequences. */
    public int totalSteps(int examples) {
        int perEpoch = (examples + config.sequencesPerStep() - 1) / config.sequencesPerStep();
        return config.maxSteps() > 0 ? config.maxSteps() : Math.max(1, perEpoch * config.epochs());
    }

    /** The training sequences the loop uses: those with at least one target. */
    public static List<TokenizedExample> usable(List<TokenizedExample> train) {
        List<TokenizedExample> usable = train.stream().filter(e -> e.targetCount() > 0).toList();
        if (usable.isEmpty()) throw new dev.tinyforge.util.BadInputException("no training example has a token to learn from");
        return usable;
    }

    public Result train(List<TokenizedExample> train, List<TokenizedExample> val, Listener listener) {
        try {
            return train(train, val, Options.none(), listener);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public Result train(List<TokenizedExample> train, List<TokenizedExample> val, Options options, Listener listener)
            throws java.io.IOException {
        List<TokenizedExample> usable = usable(train);
        int maxLength = 1;
        for (TokenizedExample e : usable) maxLength = Math.max(maxLength, e.length());
        for (TokenizedExample e : val) maxLength = Math.max(maxLength, e.length());
        Backprop backprop = new Backprop(model, trainables, maxLength, recomputeActivations);
        AdamW adam = AdamW.forParameters(trainables, new AdamW.Settings(0.9, 0.999, 1e-8, config.weightDecay()));
        int total = totalSteps(usable.size());
        LrSchedule schedule = new LrSchedule(config.schedule(), config.learningRate(),
                (int) Math.round(total * config.warmupRatio()), total);
        int perStep = config.sequencesPerStep();
        long dataHash = fingerprint(usable, val);

        Double best = null;
        int bestStep = 0, sinceBest = 0;
        List<float[]> bestState = null;
        double lastLoss = Double.NaN;
        long tokens = 0;
        int step = 0, firstEpoch = 0, firstIndex = 0;
        if (options.resume() != null) {
            TrainingState.Position p = options.resume().position();
            restoreInto(options.resume(), adam, total, dataHash);
            step = p.step();
            firstEpoch = p.epoch();
            firstIndex = p.nextIndex();
            tokens = p.trainedTokens();
            lastLoss = p.lastLoss();
            best = p.bestValLoss();
            bestStep = p.bestStep();
            sinceBest = p.sinceBest();
            bestState = options.resume().best();
        }
        boolean early = config.patience() > 0 && sinceBest >= config.patience();
        outer:
        for (int epoch = firstEpoch; step < total && !early; epoch++) {
            List<TokenizedExample> order = epochOrder(usable, epoch);
            for (int from = epoch == firstEpoch ? firstIndex : 0; from < order.size() && step < total; from += perStep) {
                List<TokenizedExample> batch = order.subList(from, Math.min(order.size(), from + perStep));
                int targets = 0;
                for (TokenizedExample e : batch) targets += e.targetCount();
                long start = System.nanoTime();
                trainables.zeroGradients();
                double nll = 0;
                for (int i = 0; i < batch.size(); i++) {
                    TokenizedExample e = batch.get(i);
                    // LoRA dropout masks from (seed, step, sequence): a resumed run draws the same ones.
                    long dropoutKey = LoraDropout.rowKey(config.seed(), step, i);
                    nll += backprop.run(e.ids(), e.length(), e.target(), e.sequenceStarts(), dropoutKey, 1f / targets).nll();
                    tokens += e.length();
                }
                int batchTokens = batch.stream().mapToInt(TokenizedExample::length).sum();
                double norm = adam.clip(config.maxGradNorm());
                double lr = schedule.at(step);
                adam.update(lr);
                step++;
                lastLoss = nll / targets;
                double seconds = (System.nanoTime() - start) / 1e9;
                Double valLoss = null;
                boolean endOfEpoch = from + perStep >= order.size();
                if (!val.isEmpty() && ((config.evalEvery() > 0 && step % config.evalEvery() == 0) || endOfEpoch || step == total)) {
                    valLoss = validationLoss(backprop, val);
                    boolean improved = best == null || valLoss < best;
                    if (improved) {
                        best = valLoss;
                        bestStep = step;
                        sinceBest = 0;
                        bestState = snapshot(bestState);
                    } else {
                        sinceBest++;
                    }
                    listener.validation(step, valLoss, improved);
                }
                listener.step(new StepMetrics(step, epoch + (double) Math.min(order.size(), from + perStep) / order.size(),
                        lr, lastLoss, norm, batchTokens / seconds, valLoss), total);
                if (config.patience() > 0 && sinceBest >= config.patience()) {
                    early = true;
                    break outer;
                }
                if (step == total) break outer;
                boolean stop = options.stopRequested().getAsBoolean();
                if (stop || (options.saveSteps() > 0 && step % options.saveSteps() == 0)) {
                    int nextEpoch = endOfEpoch ? epoch + 1 : epoch, nextIndex = endOfEpoch ? 0 : from + perStep;
                    var position = new TrainingState.Position(step, total, nextEpoch, nextIndex, tokens, lastLoss, best,
                            bestStep, sinceBest, dataHash);
                    options.checkpoints().save(new TrainingState(position, parameterArrays(), adam.state(), adam.steps(),
                            bestState));
                    if (stop) return new Result(step, lastLoss, best, bestStep, false, tokens, true);
                }
            }
        }
        if (bestState != null) restore(bestState);
        return new Result(step, lastLoss, best, bestStep, early, tokens, false);
    }

    /** Mean NLL per target token over the validation set, without touching gradients. */
    public double validationLoss(Backprop backprop, List<TokenizedExample> val) {
        double nll = 0;
        long count = 0;
        for (TokenizedExample e : val) {
            if (e.targetCount() == 0) continue;
            var sum = backprop.loss(e.ids(), e.length(), e.target());
            nll += sum.nll();
            count += sum.tokens();
        }
        return count == 0 ? Double.NaN : nll / count;
    }

    /**
     * Shuffles by seed and epoch, then groups similar lengths: sort windows of 32 batches by length
     * and shuffle the resulting batches, so padding-free batches still see varied data.
     */
    private List<TokenizedExample> epochOrder(List<TokenizedExample> examples, int epoch) {
        SplittableRandom random = new SplittableRandom(config.seed() * 1_000_003L + epoch);
        List<TokenizedExample> shuffled = new ArrayList<>(examples);
        for (int i = shuffled.size() - 1; i > 0; i--) java.util.Collections.swap(shuffled, i, random.nextInt(i + 1));
        int perStep = config.sequencesPerStep();
        int window = perStep * 32;
        List<List<TokenizedExample>> batches = new ArrayList<>();
        for (int w = 0; w < shuffled.size(); w += window) {
            List<TokenizedExample> part = new ArrayList<>(shuffled.subList(w, Math.min(shuffled.size(), w + window)));
            part.sort(java.util.Comparator.comparingInt(TokenizedExample::length));
            for (int b = 0; b < part.size(); b += perStep) batches.add(part.subList(b, Math.min(part.size(), b + perStep)));
        }
        for (int i = batches.size() - 1; i > 0; i--) java.util.Collections.swap(batches, i, random.nextInt(i + 1));
        List<TokenizedExample> order = new ArrayList<>(shuffled.size());
        batches.forEach(order::addAll);
        return order;
    }

    /** The current parameters, copied into {@code previous} when given (the best state is taken often). */
    private List<float[]> snapshot(List<float[]> previous) {
        List<float[]> copy = previous != null ? previous : new ArrayList<>();
        List<float[][]> pairs = trainables.parameters();
        for (int i = 0; i < pairs.size(); i++) {
            if (previous == null) copy.add(pairs.get(i)[0].clone());
            else System.arraycopy(pairs.get(i)[0], 0, copy.get(i), 0, copy.get(i).length);
        }
        return copy;
    }

    private List<float[]> parameterArrays() {
        List<float[]> out = new ArrayList<>();
        for (float[][] pair : trainables.parameters()) out.add(pair[0]);
        return out;
    }

    private void restore(List<float[]> state) {
        List<float[][]> pairs = trainables.parameters();
        for (int i = 0; i < pairs.size(); i++) System.arraycopy(state.get(i), 0, pairs.get(i)[0], 0, state.get(i).length);
    }

    /** Loads a saved state into the trainables and the optimizer, after checking it belongs to this run. */
    private void restoreInto(TrainingState saved, AdamW adam, int total, long dataHash) {
        TrainingState.Position p = saved.position();
        if (p.dataHash() != dataHash) {
            throw new dev.tinyforge.util.BadInputException("the checkpoint was made on other training or validation data "
                    + "(the tokenized sequences differ); resume with the data it was made with");
        }
        if (p.totalSteps() != total) {
            throw new dev.tinyforge.util.BadInputException("the checkpoint's run had " + p.totalSteps()
                    + " steps in all, this one has " + total + "; resume with the same epochs, max_steps and batch settings");
        }
        List<float[][]> pairs = trainables.parameters();
        boolean fits = saved.parameters().size() == pairs.size() && saved.moments().size() == 2 * pairs.size()
                && (saved.best() == null || saved.best().size() == pairs.size());
        for (int i = 0; fits && i < pairs.size(); i++) {
            int n = pairs.get(i)[0].length;
            fits = saved.parameters().get(i).length == n && saved.moments().get(2 * i).length == n
                    && saved.moments().get(2 * i + 1).length == n && (saved.best() == null || saved.best().get(i).length == n);
        }
        if (!fits) {
            throw new dev.tinyforge.util.BadInputException("the checkpoint's trainable parameters do not fit this run "
                    + "(another method, model, LoRA rank or target modules?)");
        }
        restore(saved.parameters());
        adam.restore(saved.moments(), saved.adamSteps());
    }

    /** A 64-bit fingerprint of the rows (ids, targets and packed sequence starts, in order), training then validation. */
    static long fingerprint(List<TokenizedExample> train, List<TokenizedExample> val) {
        long h = 0x5EED;
        for (List<TokenizedExample> part : List.of(train, val)) {
            h = dev.tinyforge.util.Hashing.mix(h ^ part.size());
            for (TokenizedExample e : part) {
                for (int t = 0; t < e.length(); t++) {
                    h = dev.tinyforge.util.Hashing.mix(h + ((long) e.ids()[t] << 1 | (e.target()[t] ? 1 : 0)));
                }
                if (e.sequences() > 1) { // unpacked rows keep the fingerprint they had before packing existed
                    for (int start : e.sequenceStarts()) h = dev.tinyforge.util.Hashing.mix(h ^ ((long) start << 32 | 0x5A));
                }
                h = dev.tinyforge.util.Hashing.mix(h ^ 0x9E3779B97F4A7C15L);
            }
        }
        return h;
    }
}
