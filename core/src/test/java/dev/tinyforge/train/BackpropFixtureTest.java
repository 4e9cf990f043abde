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
            LoraAdapter adapter = PeftAdapterFiles.read(dir.resolve("adapter_init"), model.weights());
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
