package dev.tinyforge.eval;

import dev.tinyforge.data.Example;
import dev.tinyforge.generate.Generator;
import dev.tinyforge.generate.SamplingParams;
import dev.tinyforge.model.Transformer;
import dev.tinyforge.tokenizer.Tokenizer;
import dev.tinyforge.train.ExampleEncoder;
import dev.tinyforge.train.PromptFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Greedy-decodes the answer to every example's prompt and counts answers equal to the reference
 * (surrounding whitespace ignored): the figure a task model is judged by.
 */
public final class ExactMatch {
    /** One example's outcome. */
    public record Sample(String prompt, String expected, String actual, boolean match) {}

    /** The share of exact matches, with every sample. */
    public record Result(int total, int matches, List<Sample> samples) {
        public double rate() {
            return total == 0 ? 0 : (double) matches / total;
        }
    }

    private ExactMatch() {}

    public static Result evaluate(Transformer transformer, Tokenizer tokenizer, PromptFormat format, List<Example> examples,
                                  int maxNewTokens) {
        Generator generator = new Generator(transformer, tokenizer);
        Set<Integer> stops = tokenizer.eos() >= 0 ? Set.of(tokenizer.eos()) : Set.of();
        List<Sample> samples = new ArrayList<>();
        int matches = 0;
        for (Example example : examples) {
            String prompt = format.promptFor(ExampleEncoder.promptMessages(example));
            String bos = tokenizer.bos() >= 0 ? tokenizer.piece(tokenizer.bos()) : null;
            int[] ids = tokenizer.encode(prompt, bos == null || !prompt.startsWith(bos), true);
            var result = generator.generate(new Generator.Request(ids, SamplingParams.greedy(), maxNewTokens, List.of(),
                    stops), text -> {});
            String expected = example.messages().getLast().content().strip();
            String actual = result.text().strip();
            boolean match = expected.equals(actual);
            if (match) matches++;
            samples.add(new Sample(prompt, expected, actual, match));
        }
        return new Result(examples.size(), matches, samples);
    }
}
