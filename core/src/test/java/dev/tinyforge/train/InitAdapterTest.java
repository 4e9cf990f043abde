package dev.tinyforge.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.io.safetensors.SafetensorsFile;
import dev.tinyforge.model.LoadedModel;
import dev.tinyforge.model.ModelLoader;
import dev.tinyforge.testing.Fixtures;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Continuing training from a PEFT adapter that PyTorch's PEFT wrote (the torch fixtures' adapter_init). */
class InitAdapterTest {
    @TempDir
    Path dir;

    private static Map<String, Object> flags(Path adapter) {
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put("model", "m");
        flags.put("data", "d");
        flags.put("init_adapter", adapter.toString());
        return flags;
    }

    @Test
    void rankAlphaAndTargetsComeFromThePeftConfig() throws IOException {
        Path adapter = Fixtures.require("torch/llama/adapter_init");
        RunSettings s = RunSettings.resolve(null, flags(adapter));
        assertEquals(8, s.loraR());
        assertEquals(16.0, s.loraAlpha());
        assertEquals(EnumSet.allOf(LoraTarget.class), s.lora().targets());
        assertEquals(2f, s.lora().scale());

        Map<String, Object> same = flags(adapter);
        same.put("lora_r", 8);
        same.put("target_modules", "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj");
        assertEquals(8, RunSettings.resolve(null, same).loraR(), "agreeing settings are fine");

        Path config = dir.resolve("train.yaml");
        Files.writeString(config, "lora_alpha: 32\n");
        var e = assertThrows(BadInputException.class, () -> RunSettings.resolve(config, flags(adapter)));
        assertEquals("lora_alpha 32 conflicts with the initial adapter " + adapter + ", which has 16.0 (leave lora_alpha out "
                + "to take the adapter's)", e.getMessage());
        Map<String, Object> targets = flags(adapter);
        targets.put("target_modules", "q_proj,v_proj");
        assertTrue(assertThrows(BadInputException.class, () -> RunSettings.resolve(null, targets)).getMessage()
                .startsWith("target_modules q_proj,v_proj conflicts with the initial adapter"));
        Map<String, Object> missing = flags(dir.resolve("nowhere"));
        assertEquals(dir.resolve("nowhere") + ": no such adapter folder",
                assertThrows(BadInputException.class, () -> RunSettings.resolve(null, missing)).getMessage());
    }

    /** The adapter is trained as it is: the first step's loss is the one PyTorch computed at adapter_init. */
    @Test
    void trainingStartsFromTheAdapter() throws IOException {
        Path dir = Fixtures.require("torch/llama");
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var batch = json.readTree(dir.resolve("batch.json").toFile());
        try (LoadedModel model = ModelLoader.load(dir.resolve("model"));
             SafetensorsFile step0 = SafetensorsFile.open(dir.resolve("step0.safetensors"))) {
            RunSettings s = RunSettings.resolve(null, flags(dir.resolve("adapter_init")));
            LoraAdapter adapter = PeftAdapterFiles.read(dir.resolve("adapter_init"), model.weights(), model.config())
                    .withConfig(s.lora());
            java.util.List<TokenizedExample> data = new java.util.ArrayList<>();
            for (var sequence : batch.get("sequences")) {
                int[] ids = json.convertValue(sequence.get("input_ids"), int[].class);
                boolean[] target = new boolean[ids.length];
                for (int t = sequence.get("prompt_length").intValue(); t < ids.length; t++) target[t] = true;
                data.add(new TokenizedExample(ids, target, false));
            }
            var config = new TrainingConfig(1e-3, LrSchedule.Kind.CONSTANT, 0, 2, 1, 1, 1, 1, 0, 1.0, 0, 0);
            double[] first = {Double.NaN};
            new Trainer(model.config(), adapter, config).train(data, java.util.List.of(), new Trainer.Listener() {
                @Override
                public void step(Trainer.StepMetrics m, int total) {
                    first[0] = m.trainLoss();
                }
            });
            double expected = step0.tensor("loss").toDoubleArray()[0];
            assertEquals(expected, first[0], 1e-6 * expected);
        }
    }
}
