package dev.tinyforge.eval;

import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.ModelWeights;
import dev.tinyforge.model.Transformer;
import dev.tinyforge.train.Backprop;
import dev.tinyforge.train.TokenizedExample;
import java.util.List;

/**
 * The mean negative log-likelihood per target token over tokenized examples, as training reports
 * validation loss: the inference forward pass over each whole sequence, scored where the loss mask
 * says (token t predicted from the logits at t - 1).
 */
public final class ValidationLoss {
    /** The mean NLL and how many target tokens it covers. */
    public record Result(double loss, long tokens) {}

    private ValidationLoss() {}

    public static Result compute(ModelConfig config, ModelWeights weights, List<TokenizedExample> examples) {
        int longest = 1;
        for (TokenizedExample e : examples) longest = Math.max(longest, e.length());
        Transformer transformer = new Transformer(config, weights, Math.min(longest, config.contextLength()));
        double nll = 0;
        long count = 0;
        for (TokenizedExample e : examples) {
            if (e.targetCount() == 0) continue;
            int length = Math.min(e.length(), config.contextLength());
            Backprop.LossSum sum = Backprop.targetLoss(transformer, e.ids(), length, e.target());
            nll += sum.nll();
            count += sum.tokens();
        }
        return new Result(count == 0 ? Double.NaN : nll / count, count);
    }
}
