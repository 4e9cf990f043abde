package dev.tinyforge.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tinyforge.model.Activation;
import dev.tinyforge.model.Family;
import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.RandomModels;
import dev.tinyforge.model.RopeScaling;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Full fine-tuning gradients of the pieces the PyTorch fixtures cannot reach through LoRA (norm
 * weights, biases, embeddings, the output matrix), against central finite differences on a tiny
 * random model. The loss is computed in float, so entries with large gradients are checked.
 */
class FiniteDifferenceTest {
    @ParameterizedTest
    @ValueSource(strings = {"llama", "gemma-qwen2"})
    void gradientsMatchFiniteDifferences(String variant) {
        boolean gemma = variant.startsWith("gemma");
        ModelConfig config = new ModelConfig(gemma ? Family.GEMMA : Family.LLAMA, 23, 16, 24, 2, 4, 2, 4, 64, 1e-5, 10000,
                RopeScaling.NONE, gemma, gemma, gemma ? Activation.GELU_TANH : Activation.SILU, gemma ? 1f : 0f, gemma, 0);
        FullParameters full = FullParameters.copyOf(RandomModels.weights(config, 5, 0.3));
        if (gemma) {
            var random = new java.util.SplittableRandom(9);
            for (var layer : full.weights().layers()) {
                for (float[] bias : new float[][] {layer.queryBias(), layer.keyBias(), layer.valueBias()}) {
                    for (int i = 0; i < bias.length; i++) bias[i] = (float) (random.nextGaussian() * 0.3);
                }
            }
        }
        int[] ids = {1, 7, 3, 22, 9, 14, 5, 2, 11};
        boolean[] target = {false, false, false, true, true, true, true, true, true};
        Backprop backprop = new Backprop(config, full, 16);
        full.zeroGradients();
        backprop.run(ids, ids.length, target, 1f);
        var layer0 = full.weights().layers().get(0);
        float[][] checked = gemma
                ? new float[][] {layer0.attentionNorm(), layer0.ffnNorm(), full.weights().outputNorm(), layer0.keyBias(),
                        ((dev.tinyforge.model.FloatMatrix) full.weights().embedding()).data()}
                : new float[][] {layer0.attentionNorm(), full.weights().layers().get(1).ffnNorm(), full.weights().outputNorm(),
                        ((dev.tinyforge.model.FloatMatrix) full.weights().embedding()).data(),
                        ((dev.tinyforge.model.FloatMatrix) full.weights().output()).data()};
        for (float[] parameter : checked) {
            float[] grad = full.parameters().stream().filter(p -> p[0] == parameter).findFirst().orElseThrow()[1].clone();
            int best = 0;
            for (int i = 1; i < grad.length; i++) if (Math.abs(grad[i]) > Math.abs(grad[best])) best = i;
            for (int i : new int[] {best, (best + grad.length / 2) % grad.length}) {
                if (Math.abs(grad[i]) < 0.05 * Math.abs(grad[best])) continue;
                float original = parameter[i];
                float h = 1e-2f;
                parameter[i] = original + h;
                double plus = backprop.loss(ids, ids.length, target).nll();
                parameter[i] = original - h;
                double minus = backprop.loss(ids, ids.length, target).nll();
                parameter[i] = original;
                double numeric = (plus - minus) / (2 * h);
                assertEquals(numeric, grad[i], 2e-2 * Math.abs(numeric) + 1e-4, variant + " entry " + i);
            }
        }
    }
}
