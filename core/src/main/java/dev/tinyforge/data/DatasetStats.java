package dev.tinyforge.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/** Length statistics of a dataset's prompts and completions, in characters (Unicode code points). */
public final class DatasetStats {
    /**
     * @param scan what the pass found; {@code prompt}/{@code completion} cover the valid records
     * @param promptTokens token lengths, or null when no token counter was given
     */
    public record Result(DatasetScanner.Summary scan, LengthStats.Summary prompt, LengthStats.Summary completion,
                         LengthStats.Summary turns, LengthStats.Summary promptTokens, LengthStats.Summary completionTokens) {}

    private DatasetStats() {}

    public static Result compute(Path file, DatasetScanner.Options options, DatasetScanner.Listener problems,
                                 LongConsumer progress) throws IOException {
        return compute(file, options, problems, progress, null);
    }

    /**
     * As {@link #compute(Path, DatasetScanner.Options, DatasetScanner.Listener, LongConsumer)}, and
     * also counts tokens with {@code tokenCounter} (text → number of tokens) when it is not null.
     */
    public static Result compute(Path file, DatasetScanner.Options options, DatasetScanner.Listener problems,
                                 LongConsumer progress, java.util.function.ToIntFunction<String> tokenCounter)
            throws IOException {
        LengthStats promptTokens = new LengthStats();
        LengthStats completionTokens = new LengthStats();
        LengthStats prompt = new LengthStats();
        LengthStats completion = new LengthStats();
        LengthStats turns = new LengthStats();
        DatasetScanner.Summary scan = DatasetScanner.scan(file, options, new DatasetScanner.Listener() {
            @Override
            public void record(long line, Example example, String text) {
                String p = example.prompt();
                String c = example.completion();
                prompt.add(p.codePointCount(0, p.length()));
                completion.add(c.codePointCount(0, c.length()));
                turns.add(example.messages().size());
                if (tokenCounter != null) {
                    promptTokens.add(tokenCounter.applyAsInt(p));
                    completionTokens.add(tokenCounter.applyAsInt(c));
                }
            }

            @Override
            public void badLine(long line, String reason) {
                problems.badLine(line, reason);
            }

            @Override
            public void warning(long line, String message) {
                problems.warning(line, message);
            }
        }, progress);
        return new Result(scan, prompt.summary(), completion.summary(), turns.summary(),
                tokenCounter == null ? null : promptTokens.summary(), tokenCounter == null ? null : completionTokens.summary());
    }
}
