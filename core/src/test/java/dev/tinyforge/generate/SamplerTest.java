package dev.tinyforge.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.util.BadInputException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SamplerTest {
    private static SamplingParams params(double temperature, int topK, double topP, double minP) {
        return new SamplingParams(temperature, topK, topP, minP, 1, 0, 0, 64, 7);
    }

    private static int[] histogram(SamplingParams p, float[] logits, int draws) {
        Sampler sampler = new Sampler(p, logits.length);
        int[] counts = new int[logits.length];
        for (int i = 0; i < draws; i++) counts[sampler.sample(logits.clone(), new int[0], 0)]++;
        return counts;
    }

    @Test
    void greedyTakesTheFirstMaximum() {
        Sampler s = new Sampler(SamplingParams.greedy(), 5);
        assertEquals(2, s.sample(new float[] {0, 1, 3, 3, -1}, new int[0], 0));
    }

    /** With no cut-offs, draws follow softmax(logits / T); checked with a chi-square bound. */
    @ParameterizedTest
    @ValueSource(doubles = {0.5, 1.0, 2.0})
    void drawsFollowTheTemperedSoftmax(double temperature) {
        float[] logits = {1.0f, 2.0f, 0.5f, -1f, 1.5f};
        int draws = 40_000;
        int[] counts = histogram(params(temperature, 0, 1, 0), logits, draws);
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) sum += p[i] = Math.exp(logits[i] / temperature);
        double chi2 = 0;
        for (int i = 0; i < p.length; i++) {
            double expected = draws * p[i] / sum;
            chi2 += (counts[i] - expected) * (counts[i] - expected) / expected;
        }
        assertTrue(chi2 < 18.5, "chi-square " + chi2 + " over the 0.999 quantile for 4 degrees of freedom");
    }

    @Test
    void topKKeepsOnlyTheKBest() {
        float[] logits = new float[1000];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < logits.length; i++) logits[i] = (float) random.nextGaussian();
        logits[17] = 5;
        logits[900] = 4.9f;
        logits[3] = 4.8f;
        int[] counts = histogram(params(1.5, 3, 1, 0), logits, 3000);
        for (int i = 0; i < counts.length; i++) {
            if (i != 17 && i != 900 && i != 3) assertEquals(0, counts[i], "token " + i);
        }
        assertTrue(counts[17] > 0 && counts[900] > 0 && counts[3] > 0);
    }

    @Test
    void topPAndMinPCutTheTail() {
        // Probabilities at T=1: 0.5, 0.3, 0.15, 0.05 (logits are their logs).
        float[] logits = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.15), (float) Math.log(0.05)};
        int[] topP = histogram(params(1, 0, 0.8, 0), logits, 5000);
        assertEquals(0, topP[2] + topP[3], "top-p 0.8 keeps 0.5 + 0.3");
        int[] minP = histogram(params(1, 0, 1, 0.2), logits, 5000);
        assertEquals(0, minP[3], "min-p 0.2 drops 0.05 < 0.1");
        assertTrue(minP[2] > 0);
    }

    @Test
    void sameSeedSameTokens() {
        float[] logits = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};
        assertArrayEquals(histogram(params(1, 0, 1, 0), logits, 100), histogram(params(1, 0, 1, 0), logits, 100));
    }

    @Test
    void penaltiesFollowLlamaCpp() {
        var p = new SamplingParams(0, 0, 1, 0, 2.0, 0.5, 0.25, 3, 0);
        float[] logits = {4f, -4f, 1f, 3f};
        // Window of 3 covers tokens 1, 0, 0 (token 3 at the start is outside it).
        new Sampler(p, 4).sample(logits, new int[] {3, 1, 0, 0}, 4);
        assertArrayEquals(new float[] {4f / 2 - 2 * 0.5f - 0.25f, -4f * 2 - 0.5f - 0.25f, 1f, 3f}, logits);
    }

    @Test
    void rejectsNonsense() {
        assertThrows(BadInputException.class, () -> params(-1, 0, 1, 0));
        assertThrows(BadInputException.class, () -> params(1, -3, 1, 0));
        assertThrows(BadInputException.class, () -> params(1, 0, 0, 0));
        assertThrows(BadInputException.class, () -> params(Double.NaN, 0, 1, 0));
    }

    /** Tokens a grammar masked to -inf are never drawn, whatever the cut-offs (and never by rounding at the end of the draw). */
    @ParameterizedTest
    @ValueSource(ints = {0, 3, 40, 1000})
    void maskedTokensAreNeverDrawn(int topK) {
        float[] logits = new float[1000];
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < logits.length; i++) logits[i] = i % 97 == 0 ? (float) random.nextGaussian() : Float.NEGATIVE_INFINITY;
        for (SamplingParams p : new SamplingParams[] {params(1.0, topK, 1, 0), params(2.0, topK, 0.5, 0.1),
                new SamplingParams(1.0, topK, 1, 0, 1.5, 0.5, 0.5, 64, 3)}) {
            int[] counts = histogram(p, logits, 3000);
            for (int i = 0; i < counts.length; i++) if (i % 97 != 0) assertEquals(0, counts[i], "masked token " + i);
        }
        assertEquals(0, new Sampler(SamplingParams.greedy(), logits.length).sample(logits.clone(), new int[0], 0) % 97);
    }
}
