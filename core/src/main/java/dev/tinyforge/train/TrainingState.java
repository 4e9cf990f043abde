package dev.tinyforge.train;

import java.util.List;

/**
 * Everything a run needs to continue exactly where it was: the trainable arrays, AdamW's moments and
 * update count, the position in the data and the early-stopping record with its best parameters.
 * The schedule's position is the step; the data order of an epoch follows from the seed and the epoch
 * number, so (epoch, next index) is the whole shuffle state. Arrays are in {@link Trainables#parameters}
 * order; a state handed out by the trainer refers to its live arrays, valid until training goes on.
 *
 * @param best the parameters at the best validation loss, or null when there is none yet
 */
public record TrainingState(Position position, List<float[]> parameters, List<float[]> moments, long adamSteps,
                            List<float[]> best) {
    /**
     * Where the loop stands after {@code step} updates.
     *
     * @param epoch     the epoch of the next batch (0-based)
     * @param nextIndex the index in that epoch's order where the next batch starts
     * @param dataHash  a fingerprint of the training and validation sequences, to refuse other data
     */
    public record Position(int step, int totalSteps, int epoch, int nextIndex, long trainedTokens, double lastLoss,
                           Double bestValLoss, int bestStep, int sinceBest, long dataHash) {}
}
