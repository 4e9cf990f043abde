package dev.tinyforge.generate;

import dev.tinyforge.util.BadInputException;

/**
 * How the next token is picked. Applied in llama.cpp's default order: penalties, top-k, top-p,
 * min-p, then temperature and a draw; a temperature of 0 means greedy (argmax after penalties).
 *
 * @param topK             keep the k most likely tokens; 0 keeps all
 * @param topP             keep the smallest set whose probability reaches p; 1 keeps all
 * @param minP             drop tokens less likely than minP times the most likely one; 0 keeps all
 * @param repeatPenalty    divides positive (multiplies negative) logits of recent tokens; 1 is off
 * @param frequencyPenalty subtracted once per occurrence of a token among the recent ones
 * @param presencePenalty  subtracted once if a token occurs among the recent ones
 * @param penaltyWindow    how many of the latest tokens the penalties look at
 */
public record SamplingParams(double temperature, int topK, double topP, double minP, double repeatPenalty,
                             double frequencyPenalty, double presencePenalty, int penaltyWindow, long seed) {
    public SamplingParams {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new BadInputException("temperature must be a number >= 0, got " + temperature);
        }
        if (topK < 0) throw new BadInputException("top-k must be >= 0, got " + topK);
        if (!(topP > 0 && topP <= 1)) throw new BadInputException("top-p must be in (0, 1], got " + topP);
        if (!(minP >= 0 && minP < 1)) throw new BadInputException("min-p must be in [0, 1), got " + minP);
        if (!(repeatPenalty > 0) || Double.isInfinite(repeatPenalty)) {
            throw new BadInputException("repeat penalty must be > 0, got " + repeatPenalty);
        }
        if (!Double.isFinite(frequencyPenalty) || !Double.isFinite(presencePenalty)) {
            throw new BadInputException("frequency and presence penalties must be finite numbers");
        }
        if (penaltyWindow < 0) throw new BadInputException("penalty window must be >= 0, got " + penaltyWindow);
    }

    /** Deterministic argmax decoding. */
    public static SamplingParams greedy() {
        return new SamplingParams(0, 0, 1, 0, 1, 0, 0, 64, 0);
    }

    /** llama.cpp's defaults: temperature 0.8, top-k 40, top-p 0.95, min-p 0.05, penalties off. */
    public static SamplingParams defaults(long seed) {
        return new SamplingParams(0.8, 40, 0.95, 0.05, 1, 0, 0, 64, seed);
    }

    public boolean isGreedy() {
        return temperature == 0;
    }

    public boolean hasPenalties() {
        return penaltyWindow > 0 && (repeatPenalty != 1 || frequencyPenalty != 0 || presencePenalty != 0);
    }
}
