package dev.tinyforge.train;

import dev.tinyforge.util.BadInputException;

/**
 * The optimisation settings of a run. One optimizer step covers {@code batchSize ×
 * gradientAccumulation} sequences, and its loss is normalised by their total number of target
 * tokens, so accumulation gives exactly the gradient of the bigger batch.
 *
 * @param maxSteps     stop after this many optimizer steps; 0 means run all epochs
 * @param evalEvery    validation loss every this many steps (0: only per epoch)
 * @param patience     stop after this many validations without improvement (0: never)
 */
public record TrainingConfig(double learningRate, LrSchedule.Kind schedule, double warmupRatio, int batchSize,
                             int gradientAccumulation, int epochs, int maxSteps, long seed, double weightDecay,
                             double maxGradNorm, int evalEvery, int patience) {
    public TrainingConfig {
        if (batchSize < 1 || gradientAccumulation < 1) throw new BadInputException("batch size and accumulation must be positive");
        if (epochs < 1 && maxSteps < 1) throw new BadInputException("give a positive number of epochs or max steps");
        if (!(warmupRatio >= 0 && warmupRatio < 1)) throw new BadInputException("warmup ratio must be in [0, 1), got " + warmupRatio);
        if (maxSteps < 0 || evalEvery < 0 || patience < 0) throw new BadInputException("steps, eval interval and patience must be >= 0");
        if (!(maxGradNorm >= 0) || !(weightDecay >= 0)) throw new BadInputException("max grad norm and weight decay must be >= 0");
    }

    /** The defaults of the issue: lr 2e-4, cosine, warmup 0.1, batch 4 × accumulation 4, 3 epochs. */
    public static TrainingConfig defaults() {
        return new TrainingConfig(2e-4, LrSchedule.Kind.COSINE, 0.1, 4, 4, 3, 0, 42, 0.0, 1.0, 0, 0);
    }

    public int sequencesPerStep() {
        return batchSize * gradientAccumulation;
    }
}
