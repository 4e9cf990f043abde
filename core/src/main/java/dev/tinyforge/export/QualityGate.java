package dev.tinyforge.export;

import dev.tinyforge.data.Example;
import dev.tinyforge.eval.ExactMatch;
import dev.tinyforge.eval.ValidationLoss;
import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.ModelWeights;
import dev.tinyforge.model.Transformer;
import dev.tinyforge.tokenizer.Tokenizer;
import dev.tinyforge.train.ExampleEncoder;
import dev.tinyforge.train.PromptFormat;
import dev.tinyforge.train.TokenizedExample;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures a model before and after export on a run's validation split, with the run's prompt
 * format and length limit: validation loss (mean NLL per answer token, as training reports it) and
 * exact match of greedy answers. The degradation of an export is the larger of the relative loss
 * increase and the drop in exact match (as a share of examples); a limit on it makes the gate.
 */
public final class QualityGate {
    /** One model's figures on the split. */
    public record Figures(double loss, long lossTokens, int matches, int examples) {
        public double exactMatch() {
            return examples == 0 ? 0 : (double) matches / examples;
        }
    }

    /** Before (the float model) and after (the exported file, loaded back). */
    public record Comparison(Figures before, Figures after) {
        /** Relative change of the validation loss (0.01 = 1% higher after export). */
        public double lossChange() {
            return (after.loss() - before.loss()) / before.loss();
        }

        /** Change of the exact-match share (-0.02 = two points fewer after export). */
        public double exactMatchChange() {
            return after.exactMatch() - before.exactMatch();
        }

        /** How much worse the export is: the larger of the loss increase and the exact-match drop, at least 0. */
        public double degradation() {
            return Math.max(0, Math.max(lossChange(), -exactMatchChange()));
        }

        public String describe() {
            return String.format(Locale.ROOT,
                    "validation loss %.4f -> %.4f (%+.2f%%), exact match %.1f%% -> %.1f%% (%+.1f points) on %d examples",
                    before.loss(), after.loss(), 100 * lossChange(), 100 * before.exactMatch(), 100 * after.exactMatch(),
                    100 * exactMatchChange(), before.examples());
        }
    }

    /** The split and how to read it: the run's format, tokenizer-independent settings and the example cap. */
    public record Split(List<Example> examples, int maxLength, boolean trainOnInputs) {}

    private QualityGate() {}

    /** Loss and exact match of one model on the split. */
    public static Figures measure(ModelConfig config, ModelWeights weights, Tokenizer tokenizer, PromptFormat format,
                                  Split split) {
        var encoder = new ExampleEncoder(tokenizer, format, split.maxLength(), split.trainOnInputs());
        List<TokenizedExample> encoded = new ArrayList<>();
        for (Example e : split.examples()) encoded.add(encoder.encode(e));
        ValidationLoss.Result loss = ValidationLoss.compute(config, weights, encoded);

        List<Example> chats = split.examples().stream().filter(e -> e.messages() != null && !e.messages().isEmpty()).toList();
        int longestAnswer = 1;
        for (Example e : chats) {
            longestAnswer = Math.max(longestAnswer, tokenizer.encode(e.messages().getLast().content(), false, false).length);
        }
        int maxNew = Math.min(256, longestAnswer + 8);
        Transformer transformer = new Transformer(config, weights, Math.min(config.contextLength(), split.maxLength() + maxNew));
        ExactMatch.Result match = ExactMatch.evaluate(transformer, tokenizer, format, chats, maxNew);
        return new Figures(loss.loss(), loss.tokens(), match.matches(), match.total());
    }
}
