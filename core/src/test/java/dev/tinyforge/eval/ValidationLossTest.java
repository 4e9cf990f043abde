package dev.tinyforge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.ModelWeights;
import dev.tinyforge.model.RandomModels;
import dev.tinyforge.train.Backprop;
import dev.tinyforge.train.FullParameters;
import dev.tinyforge.train.TokenizedExample;
import dev.tinyforge.train.Trainer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Validation loss measured for an export is the figure training reports for the same examples. */
class ValidationLossTest {
    @Test
    void equalsTheTrainersValidationLoss() {
        ModelConfig c = RandomModels.shape("tiny-19m");
        c = new ModelConfig(c.family(), 97, 64, 96, 2, 4, 2, 16, 128, 1e-5, 10000, c.ropeScaling(), false, false,
                c.activation(), 0f, false, 0);
        ModelWeights w = RandomModels.weights(c, 3, 0.1);
        SplittableRandom random = new SplittableRandom(5);
        List<TokenizedExample> examples = new java.util.ArrayList<>();
        for (int n : new int[] {7, 19, 2, 30}) {
            int[] ids = random.ints(n, 0, 97).toArray();
            boolean[] target = new boolean[n];
            for (int i = n / 2; i < n; i++) target[i] = true;
            examples.add(new TokenizedExample(ids, target, false));
        }
        var trainables = FullParameters.copyOf(w);
        var config = new dev.tinyforge.train.TrainingConfig(1e-3, dev.tinyforge.train.LrSchedule.Kind.CONSTANT, 0, 1, 1, 1, 1,
                1, 0, 1, 0, 0);
        double expected = new Trainer(c, trainables, config).validationLoss(new Backprop(c, trainables, 30), examples);
        var result = ValidationLoss.compute(c, trainables.weights(), examples);
        assertEquals(expected, result.loss(), 1e-6 * expected);
        assertEquals(4 + 10 + 1 + 15, result.tokens());
    }
}
