package dev.tinyforge.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.io.safetensors.SafetensorsFile;
import dev.tinyforge.model.LoadedModel;
import dev.tinyforge.model.ModelLoader;
import dev.tinyforge.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Loss and every LoRA gradient against the float64 PyTorch reference (step0.safetensors). */
class BackpropFixtureTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2"})
    void lossAndGradientsMatchPyTorch(String family) throws IOException {
        Path dir = Fixtures.require("torch/" + family);
        JsonNode batch = JSON.readTree(dir.resolve("batch.json").toFile());
        try (LoadedModel model = ModelLoader.load(dir.resolve("model"));
             SafetensorsFile step0 = SafetensorsFile.open(dir.resolve("step0.safetensors"))) {
            LoraAdapter adapter = PeftAdapterFiles.read(dir.resolve("adapter_init"), model.weights(), model.config());
            Backprop backprop = new Backprop(model.config(), adapter, 64);
            int targets = (int) step0.tensor("num_targets").toLongArray()[0];
            double nll = 0;
            int counted = 0;
            for (JsonNode sequence : batch.get("sequences")) {
                int[] ids = JSON.convertValue(sequence.get("input_ids"), int[].class);
                int promptLength = sequence.get("prompt_length").intValue();
                boolean[] target = new boolean[ids.length];
                for (int t = promptLength; t < ids.length; t++) target[t] = true;
                var sum = backprop.run(ids, ids.length, target, 1f / targets);
                nll += sum.nll();
                counted += sum.tokens();
            }
            assertEquals(targets, counted);
            double loss = step0.tensor("loss").toDoubleArray()[0];
            assertEquals(loss, nll / counted, loss * 1e-6, "loss");
            int checked = 0;
            for (LoraAdapter.Slot slot : adapter.slots()) {
                checked += 2;
                assertClose(step0.tensor(slot.peftPrefix() + ".lora_A.weight").toDoubleArray(), slot.gradA(),
                        family + " " + slot.peftPrefix() + " A");
                assertClose(step0.tensor(slot.peftPrefix() + ".lora_B.weight").toDoubleArray(), slot.gradB(),
                        family + " " + slot.peftPrefix() + " B");
            }
            assertEquals(28, checked);
        }
    }

    /**
     * Full fine-tuning gradients, checked through the LoRA identity: at the merged weights
     * W' = W + sBA the loss gradient G of a weight gives dB = s·G·Aᵀ and dA = s·Bᵀ·G, which
     * PyTorch computed. So every full gradient of an adapted projection is checked too.
     */
    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2"})
    void fullGradientsAgreeWithPyTorchThroughTheLoraIdentity(String family) throws IOException {
        Path dir = Fixtures.require("torch/" + family);
        JsonNode batch = JSON.readTree(dir.resolve("batch.json").toFile());
        try (LoadedModel merged = ModelLoader.load(dir.resolve("merged"));
             LoadedModel base = ModelLoader.load(dir.resolve("model"));
             SafetensorsFile step0 = SafetensorsFile.open(dir.resolve("step0.safetensors"))) {
            FullParameters full = FullParameters.copyOf(merged.weights());
            LoraAdapter adapter = PeftAdapterFiles.read(dir.resolve("adapter_init"), base.weights(), base.config());
            Backprop backprop = new Backprop(merged.config(), full, 64);
            int targets = (int) step0.tensor("num_targets").toLongArray()[0];
            double nll = 0;
            for (JsonNode sequence : batch.get("sequences")) {
                int[] ids = JSON.convertValue(sequence.get("input_ids"), int[].class);
                boolean[] target = new boolean[ids.length];
                for (int t = sequence.get("prompt_length").intValue(); t < ids.length; t++) target[t] = true;
                nll += backprop.run(ids, ids.length, target, 1f / targets).nll();
            }
            double loss = step0.tensor("loss").toDoubleArray()[0];
            assertEquals(loss, nll / targets, loss * 1e-5, "loss of the merged model");
            for (LoraAdapter.Slot slot : adapter.slots()) {
                var layer = full.weights().layers().get(slot.layer());
                float[] g = full.gradientOf(slot.target().of(layer));
                int rows = slot.matrix().rows(), cols = slot.matrix().cols(), r = slot.matrix().rank();
                float[] a = slot.matrix().a().data(), b = slot.matrix().b().data();
                float s = slot.matrix().scale();
                float[] dB = new float[rows * r], dA = new float[r * cols];
                for (int i = 0; i < rows; i++) {
                    for (int k = 0; k < r; k++) {
                        double sum = 0;
                        for (int j = 0; j < cols; j++) sum += (double) g[i * cols + j] * a[k * cols + j];
                        dB[i * r + k] = (float) (s * sum);
                    }
                }
                for (int k = 0; k < r; k++) {
                    for (int j = 0; j < cols; j++) {
                        double sum = 0;
                        for (int i = 0; i < rows; i++) sum += (double) b[i * r + k] * g[i * cols + j];
                        dA[k * cols + j] = (float) (s * sum);
                    }
                }
                assertCloseWithin(step0.tensor(slot.peftPrefix() + ".lora_B.weight").toDoubleArray(), dB, 2e-4,
                        family + " full gradient of " + slot.peftPrefix() + " via B");
                assertCloseWithin(step0.tensor(slot.peftPrefix() + ".lora_A.weight").toDoubleArray(), dA, 2e-4,
                        family + " full gradient of " + slot.peftPrefix() + " via A");
            }
        }
    }

    static void assertCloseWithin(double[] expected, float[] actual, double tolerance, String what) {
        double diff = 0, scale = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        assertTrue(diff / scale < tolerance, what + ": relative error " + diff / scale);
    }

    /** The fixture README's tolerance for LoRA gradients: max|a-b| / max|b| below 5e-5 per tensor. */
    static void assertClose(double[] expected, float[] actual, String what) {
        double diff = 0, scale = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        assertTrue(diff / scale < 5e-5, what + ": relative error " + diff / scale);
    }
}
