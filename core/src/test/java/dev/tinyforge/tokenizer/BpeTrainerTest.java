package dev.tinyforge.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTrainerTest {
    @Test
    void mergesTheMostFrequentPairFirstAndBreaksTiesByOrder() {
        // Words "low", " low" x2, " lower", " newest" x2: (l,o) and (o,w) occur 4 times each and
        // (l,o) sorts first; then (lo,w) 4 times; then (Ġ,low) 3 times beats newest's pairs (2).
        var merges = BpeTrainer.train(List.of("low low low lower newest newest"), 3, 1);
        assertEquals(List.of(new BpeTrainer.Merge("l", "o"), new BpeTrainer.Merge("lo", "w"),
                new BpeTrainer.Merge("Ġ", "low")), merges);
    }

    @Test
    void stopsAtTheMinimumCount() {
        var merges = BpeTrainer.train(List.of("abc abd"), 100, 2);
        // Words "abc" and " abd": only (a,b) occurs twice.
        assertEquals(List.of(new BpeTrainer.Merge("a", "b")), merges);
    }

    @Test
    void everyMergeAddsOneNewToken() {
        List<String> corpus = List.of("abc bca cab abcabc", "ab bc ca");
        var merges = BpeTrainer.train(corpus, 50, 1);
        assertEquals(merges.size(), merges.stream().map(BpeTrainer.Merge::merged).distinct().count());
    }

    @Test
    void aTrainedTokenizerLoadsShortensItsCorpusAndRoundTripsAnyText(@TempDir Path dir) throws Exception {
        List<String> corpus = new ArrayList<>();
        String[] tasks = {"call mom", "water the plants", "pay the electricity bill", "email Priya the slides"};
        for (int i = 0; i < 200; i++) corpus.add("remind me to " + tasks[i % tasks.length] + " at " + (i % 12 + 1) + " pm");
        var merges = BpeTrainer.train(corpus, 300, 2);
        ByteTokenizerFiles.write(dir, merges);
        Tokenizer tokenizer = Tokenizers.load(dir);
        assertEquals(ByteTokenizerFiles.vocabSize(merges.size()), tokenizer.vocabSize());

        String seen = "remind me to water the plants at 5 pm";
        int[] ids = tokenizer.encode(seen, false, false);
        assertTrue(ids.length * 3 < seen.length(), "learned merges shorten the corpus: " + ids.length + " tokens");
        assertEquals(seen, tokenizer.decode(ids, false));
        for (String text : List.of("unseen wörds, ünïcödé and emoji 🙂\n\ttabs", "", " leading space", "x")) {
            assertEquals(text, tokenizer.decode(tokenizer.encode(text, false, false), false), text);
        }
    }
}
