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
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Five AdamW updates with warmup, linear decay and clipping, against the PyTorch trajectory. */
class TrajectoryFixtureTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2"})
    void fiveUpdatesFollowPyTorch(String family) throws IOException {
        Path dir = Fixtures.require("torch/" + family);
        JsonNode trajectory = JSON.readTree(dir.resolve("trajectory.json").toFile());
        List<JsonNode> sequences = List.copyOf(JSON.readTree(dir.resolve("batch.json").toFile()).get("sequences").valueStream().toList());
        try (LoadedModel model = ModelLoader.load(dir.resolve("model"))) {
            LoraAdapter adapter = PeftAdapterFiles.read(dir.resolve("adapter_init"), model.weights(), model.config());
            Backprop backprop = new Backprop(model.config(), adapter, 64);
            AdamW adam = AdamW.forParameters(adapter, new AdamW.Settings(0.9, 0.999, 1e-8, 0.01));
            LrSchedule schedule = new LrSchedule(LrSchedule.Kind.LINEAR, 1e-3, 2, 5);
            for (int k = 0; k <= 5; k++) {
                adapter.zeroGradients();
                double nll = 0;
                int count = 0;
                for (JsonNode s : sequences) {
                    int[] ids = JSON.convertValue(s.get("input_ids"), int[].class);
                    boolean[] target = new boolean[ids.length];
                    for (int t = s.get("prompt_length").intValue(); t < ids.length; t++) target[t] = true;
                    var sum = backprop.run(ids, ids.length, target, 1f / 39);
                    nll += sum.nll();
                    count += sum.tokens();
                }
                double loss = nll / count;
                if (k == 5) {
                    double expected = trajectory.get("final_loss").doubleValue();
                    assertEquals(expected, loss, expected * 1e-5, "final loss");
                    break;
                }
                JsonNode update = trajectory.get("updates").get(k);
                assertEquals(update.get("loss").doubleValue(), loss, 1e-6 * loss, "loss before update " + k);
                assertEquals(update.get("lr").doubleValue(), schedule.at(k), 1e-15, "lr of update " + k);
                double norm = adam.clip(1.0);
                assertEquals(update.get("grad_norm").doubleValue(), norm, 1e-5 * norm, "gradient norm of update " + k);
                adam.update(schedule.at(k));
            }
            // The adapter after 5 updates: l2 error of the update (w5 - w0) below 5e-3.
            try (SafetensorsFile init = SafetensorsFile.open(dir.resolve("adapter_init/adapter_model.safetensors"));
                 SafetensorsFile step5 = SafetensorsFile.open(dir.resolve("adapter_step5/adapter_model.safetensors"))) {
                for (LoraAdapter.Slot slot : adapter.slots()) {
                    for (String ab : new String[] {"A", "B"}) {
                        String name = slot.peftPrefix() + ".lora_" + ab + ".weight";
                        double[] w0 = init.tensor(name).toDoubleArray(), w5 = step5.tensor(name).toDoubleArray();
                        float[] ours = ab.equals("A") ? slot.matrix().a().data() : slot.matrix().b().data();
                        double diff = 0, norm = 0;
                        for (int i = 0; i < w0.length; i++) {
                            double expected = w5[i] - w0[i], actual = ours[i] - w0[i];
                            diff += (actual - expected) * (actual - expected);
                            norm += expected * expected;
                        }
                        assertTrue(Math.sqrt(diff / norm) < 5e-3, name + ": l2 error " + Math.sqrt(diff / norm));
                    }
                }
            }
        }
    }
}
