package dev.tinyforge.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.model.Activation;
import dev.tinyforge.model.Family;
import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.ModelWeights;
import dev.tinyforge.model.RandomModels;
import dev.tinyforge.model.RopeScaling;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Packing: several sequences in one row, with nothing crossing between them. */
class PackingTest {
    private static final ModelConfig LLAMA = new ModelConfig(Family.LLAMA, 23, 16, 24, 2, 4, 2, 4, 64, 1e-5, 10000,
            RopeScaling.NONE, false, false, Activation.SILU, 0f, false, 0);
    /** Gemma-style norms, qkv biases, GELU and a sliding window of 5, shorter than some sequences. */
    private static final ModelConfig WINDOWED = new ModelConfig(Family.GEMMA, 23, 16, 24, 2, 4, 2, 4, 64, 1e-5, 10000,
            RopeScaling.NONE, true, true, Activation.GELU_TANH, 1f, true, 5);

    private static TokenizedExample sequence(SplittableRandom random, int length) {
        int[] ids = new int[length];
        boolean[] target = new boolean[length];
        for (int t = 0; t < length; t++) {
            ids[t] = random.nextInt(23);
            target[t] = t > length / 3;
        }
        return new TokenizedExample(ids, target, false);
    }

    private static Trainables trainables(String kind, ModelConfig config, double dropout) {
        ModelWeights base = RandomModels.weights(config, 5, 0.3);
        if (kind.equals("full")) return FullParameters.copyOf(base);
        return TestAdapters.withRandomB(base, 3, 6, dropout, 0.3);
    }

    /**
     * The loss and every gradient of a packed row equal the sums over its sequences run as rows of
     * their own: no attention, position or target crosses a boundary. Without the boundaries (the
     * same tokens as one sequence) both differ, so the check can fail.
     */
    @ParameterizedTest
    @ValueSource(strings = {"lora-llama", "full-windowed", "lora-llama-long", "full-windowed-long"})
    void aPackedRowEqualsItsSequencesRunOneByOne(String variant) {
        ModelConfig config = variant.contains("windowed") ? WINDOWED : LLAMA;
        Trainables trainables = trainables(variant.startsWith("lora") ? "lora" : "full", config, 0);
        SplittableRandom random = new SplittableRandom(11);
        // Long rows put later sequences past the first register tiles of keys, which attention then skips.
        boolean long_ = variant.endsWith("long");
        int[] lengths = long_ ? new int[] {37, 45, 29, 50} : new int[] {7, 12, 3, 9};
        int room = long_ ? 192 : 32;
        List<TokenizedExample> sequences = List.of(sequence(random, lengths[0]), sequence(random, lengths[1]),
                sequence(random, lengths[2]), sequence(random, lengths[3]));
        List<TokenizedExample> rows = Packing.pack(sequences, room);
        assertEquals(1, rows.size());
        TokenizedExample row = rows.getFirst();
        assertEquals(4, row.sequences());
        Backprop backprop = new Backprop(config, trainables, room);

        trainables.zeroGradients();
        double separate = 0;
        int separateTargets = 0;
        for (TokenizedExample e : sequences) {
            var sum = backprop.run(e.ids(), e.length(), e.target(), 0.1f);
            separate += sum.nll();
            separateTargets += sum.tokens();
        }
        float[][] expected = gradients(trainables);

        trainables.zeroGradients();
        var packed = backprop.run(row.ids(), row.length(), row.target(), row.sequenceStarts(), 0, 0.1f);
        assertEquals(separateTargets, packed.tokens());
        assertEquals(separate, packed.nll(), 1e-5 * separate, "loss");
        float[][] actual = gradients(trainables);
        for (int i = 0; i < expected.length; i++) assertClose(expected[i], actual[i], 1e-4, variant + " gradient " + i);

        trainables.zeroGradients();
        double crossing = backprop.run(row.ids(), row.length(), row.target(), new int[] {0}, 0, 0.1f).nll();
        // Long sequences under a window of 5 see across a boundary in 4 tokens each, too few to move the
        // loss measurably on this random model: there the check says nothing, so it is left out.
        if (!(long_ && config == WINDOWED)) {
            assertTrue(Math.abs(crossing - separate) > 1e-3 * separate,
                    "one long sequence sees across the boundaries: " + crossing + " vs " + separate);
        }

        // The plain entry point is untouched by the packed call before it: one sequence from position 0.
        trainables.zeroGradients();
        TokenizedExample first = sequences.getFirst();
        double again = backprop.run(first.ids(), first.length(), first.target(), 0.1f).nll();
        trainables.zeroGradients();
        assertEquals(new Backprop(config, trainables, room).run(first.ids(), first.length(), first.target(), 0.1f).nll(), again, 0.0);
    }

    private static float[][] gradients(Trainables t) {
        return t.parameters().stream().map(p -> p[1].clone()).toArray(float[][]::new);
    }

    private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        double diff = 0, scale = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        assertTrue(scale > 0 && diff / scale < tolerance, what + ": relative error " + diff / scale);
    }

    @Test
    void bestFitDecreasingFillsRowsWithEverySequenceOnce() {
        SplittableRandom random = new SplittableRandom(3);
        List<TokenizedExample> sequences = new ArrayList<>();
        for (int i = 0; i < 200; i++) sequences.add(sequence(random, 2 + random.nextInt(40)));
        List<TokenizedExample> rows = Packing.pack(sequences, 64);
        List<TokenizedExample> again = Packing.pack(sequences, 64);
        assertEquals(rows.size(), again.size());
        for (int i = 0; i < rows.size(); i++) {
            assertArrayEquals(rows.get(i).ids(), again.get(i).ids(), "deterministic");
            assertArrayEquals(rows.get(i).sequenceStarts(), again.get(i).sequenceStarts(), "deterministic");
        }
        long tokens = sequences.stream().mapToLong(TokenizedExample::length).sum();
        assertEquals(tokens, rows.stream().mapToLong(TokenizedExample::length).sum());
        assertEquals(200, rows.stream().mapToInt(TokenizedExample::sequences).sum());
        // Every sequence is in some row, whole, at one of its starts, and no start is a target.
        List<String> found = new ArrayList<>();
        for (TokenizedExample row : rows) {
            assertTrue(row.length() <= 64);
            int[] s = row.sequenceStarts();
            for (int i = 0; i < s.length; i++) {
                int end = i + 1 < s.length ? s[i + 1] : row.length();
                assertFalse(row.target()[s[i]]);
                found.add(java.util.Arrays.toString(java.util.Arrays.copyOfRange(row.ids(), s[i], end)));
            }
        }
        List<String> expected = new ArrayList<>(sequences.stream().map(e -> java.util.Arrays.toString(e.ids())).toList());
        expected.sort(null);
        found.sort(null);
        assertEquals(expected, found);
        // Best fit decreasing needs at most 11/9 of the optimal row count, which is at least tokens / 64.
        assertTrue(rows.size() <= Math.ceil(11.0 / 9 * tokens / 64) + 1, rows.size() + " rows for " + tokens + " tokens");
        var stats = Packing.stats(sequences, rows, 64);
        assertTrue(stats.paddingSharePacked() < 0.1 && stats.paddingShareUnpacked() > 0.6, stats.toString());
    }

    /** With packing a step of the same batch settings trains on more tokens, in fewer steps. */
    @Test
    void packingGrowsTheTokensPerStep() {
        SplittableRandom random = new SplittableRandom(5);
        List<TokenizedExample> sequences = new ArrayList<>();
        for (int i = 0; i < 24; i++) sequences.add(sequence(random, 4 + random.nextInt(9)));
        var config = new TrainingConfig(1e-2, LrSchedule.Kind.CONSTANT, 0, 2, 1, 1, 0, 1, 0, 1.0, 0, 0);
        Trainer.Result[] results = new Trainer.Result[2];
        for (int packed = 0; packed < 2; packed++) {
            Trainables t = trainables("lora", LLAMA, 0.1);
            List<TokenizedExample> rows = packed == 1 ? Packing.pack(sequences, 32) : sequences;
            results[packed] = new Trainer(LLAMA, t, config).train(rows, List.of(), new Trainer.Listener() {});
        }
        double unpacked = results[0].trainedTokens() / (double) results[0].steps();
        double packed = results[1].trainedTokens() / (double) results[1].steps();
        assertEquals(results[0].trainedTokens(), results[1].trainedTokens(), "one epoch sees every token once");
        assertTrue(packed > 2.5 * unpacked, "tokens per step " + unpacked + " -> " + packed);
    }
}
