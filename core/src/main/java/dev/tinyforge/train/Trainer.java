package dev.tinyforge.train;

import dev.tinyforge.model.ModelConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The training loop: shuffled, length-grouped batches per epoch; per optimizer step the gradients
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

    /** How a run ended. */
    public record Result(int steps, double finalTrainLoss, Double bestValLoss, int bestStep, boolean stoppedEarly,
                         long trainedTokens) {}

    private final ModelConfig model;
    private final Trainables trainables;
    private final TrainingConfig config;

    public Trainer(ModelConfig model, Trainables trainables, TrainingConfig config) {
        this.model = model;
        this.trainables = trainables;
        this.config = config;
    }

    /** Optimizer steps the run will take for {@code examples} training sequences. */
    public int totalSteps(int examples) {
        int perEpoch = (examples + config.sequencesPerStep() - 1) / config.sequencesPerStep();
        return config.maxSteps() > 0 ? config.maxSteps() : Math.max(1, perEpoch * config.epochs());
    }

    public Result train(List<TokenizedExample> train, List<TokenizedExample> val, Listener listener) {
        List<TokenizedExample> usable = train.stream().filter(e -> e.targetCount() > 0).toList();
        if (usable.isEmpty()) throw new dev.tinyforge.util.BadInputException("no training example has a token to learn from");
        int maxLength = 1;
        for (TokenizedExample e : usable) maxLength = Math.max(maxLength, e.length());
        for (TokenizedExample e : val) maxLength = Math.max(maxLength, e.length());
        Backprop backprop = new Backprop(model, trainables, maxLength);
        AdamW adam = AdamW.forParameters(trainables, new AdamW.Settings(0.9, 0.999, 1e-8, config.weightDecay()));
        int total = totalSteps(usable.size());
        LrSchedule schedule = new LrSchedule(config.schedule(), config.learningRate(),
                (int) Math.round(total * config.warmupRatio()), total);
        int perStep = config.sequencesPerStep();

        Double best = null;
        int bestStep = 0, sinceBest = 0;
        List<float[]> bestState = null;
        double lastLoss = Double.NaN;
        long tokens = 0;
        int step = 0;
        boolean early = false;
        outer:
        for (int epoch = 0; ; epoch++) {
            List<TokenizedExample> order = epochOrder(usable, epoch);
            for (int from = 0; from < order.size() && step < total; from += perStep) {
                List<TokenizedExample> batch = order.subList(from, Math.min(order.size(), from + perStep));
                int targets = 0;
                for (TokenizedExample e : batch) targets += e.targetCount();
                long start = System.nanoTime();
                trainables.zeroGradients();
                double nll = 0;
                for (TokenizedExample e : batch) {
                    nll += backprop.run(e.ids(), e.length(), e.target(), 1f / targets).nll();
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
                        bestState = snapshot();
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
            }
            if (step >= total) break;
        }
        if (bestState != null) restore(bestState);
        return new Result(step, lastLoss, best, bestStep, early, tokens);
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

    private List<float[]> snapshot() {
        List<float[]> copy = new ArrayList<>();
        for (float[][] pair : trainables.parameters()) copy.add(pair[0].clone());
        return copy;
    }

    private void restore(List<float[]> state) {
        List<float[][]> pairs = trainables.parameters();
        for (int i = 0; i < pairs.size(); i++) System.arraycopy(state.get(i), 0, pairs.get(i)[0], 0, state.get(i).length);
    }
}
