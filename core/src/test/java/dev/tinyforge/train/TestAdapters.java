package dev.tinyforge.train;

import dev.tinyforge.model.ModelWeights;
import java.util.EnumSet;
import java.util.SplittableRandom;

/** Adapters for gradient tests: PEFT's initialisation, then a B that is not zero, so that A's gradients are not zero either. */
final class TestAdapters {
    private TestAdapters() {}

    /** LoRA on every target of {@code base} (seed 3), B drawn from N(0, bStd²) (seed 4). */
    static LoraAdapter withRandomB(ModelWeights base, int rank, double alpha, double dropout, double bStd) {
        var lora = LoraAdapter.initialize(base, new LoraConfig(rank, alpha, dropout, EnumSet.allOf(LoraTarget.class), false), 3);
        SplittableRandom random = new SplittableRandom(4);
        for (LoraAdapter.Slot s : lora.slots()) {
            float[] b = s.matrix().b().data();
            for (int i = 0; i < b.length; i++) b[i] = (float) (random.nextGaussian() * bStd);
        }
        return lora;
    }
}
