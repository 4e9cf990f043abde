package dev.tinyforge.train;

import dev.tinyforge.util.BadInputException;
import java.util.Locale;

/**
 * Learning rate per update, HF's conventions: linear warmup lr·k/W for updates k < W (so the first
 * update has lr 0), then constant, linear decay to 0, or cosine decay to 0 at the last update.
 */
public record LrSchedule(Kind kind, double peak, int warmup, int total) {
    public enum Kind { CONSTANT, LINEAR, COSINE }

    public LrSchedule {
        if (!(peak > 0) || Double.isInfinite(peak)) throw new BadInputException("learning rate must be positive, got " + peak);
        if (total < 1) throw new BadInputException("the run has no updates");
        if (warmup < 0 || warmup > total) throw new BadInputException("warmup of " + warmup + " updates exceeds the run's " + total);
    }

    public static Kind parseKind(String name) {
        try {
            return Kind.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("unknown schedule '" + name + "' (expected constant, linear or cosine)");
        }
    }

    /** The learning rate of update {@code k} (0-based). */
    public double at(int k) {
        if (k < warmup) return peak * k / warmup;
        double progress = total == warmup ? 1 : (double) (k - warmup) / (total - warmup);
        return switch (kind) {
            case CONSTANT -> peak;
            case LINEAR -> peak * Math.max(0, 1 - progress);
            case COSINE -> peak * 0.5 * (1 + Math.cos(Math.PI * progress));
        };
    }
}
