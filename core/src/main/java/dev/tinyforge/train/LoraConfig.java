package dev.tinyforge.train;

import dev.tinyforge.util.BadInputException;
import java.util.Set;

/**
 * LoRA hyper-parameters as PEFT defines them.
 *
 * @param rsLora scale by alpha/√rank (rank-stabilised LoRA) instead of alpha/rank
 */
public record LoraConfig(int rank, double alpha, double dropout, Set<LoraTarget> targets, boolean rsLora) {
    public LoraConfig {
        if (rank < 1 || rank > 4096) throw new BadInputException("LoRA rank must be within 1..4096, got " + rank);
        if (!(alpha > 0) || Double.isInfinite(alpha)) throw new BadInputException("LoRA alpha must be positive, got " + alpha);
        if (!(dropout >= 0 && dropout < 1)) throw new BadInputException("LoRA dropout must be in [0, 1), got " + dropout);
        targets = Set.copyOf(targets);
        if (targets.isEmpty()) throw new BadInputException("no LoRA target modules given");
    }

    /** The factor s in y = x Wᵀ + s · (x Aᵀ) Bᵀ. */
    public float scale() {
        return (float) (rsLora ? alpha / Math.sqrt(rank) : alpha / rank);
    }
}
