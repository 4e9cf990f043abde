package dev.tinyforge.export;

import dev.tinyforge.model.LoadedModel;
import dev.tinyforge.model.ModelLoader;
import dev.tinyforge.model.Transformer;
import dev.tinyforge.model.ModelWeights;
import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.testing.Fixtures;
import dev.tinyforge.train.LoraAdapter;
import dev.tinyforge.train.LoraConfig;
import dev.tinyforge.train.LoraTarget;
import dev.tinyforge.train.PeftAdapterFiles;
import dev.tinyforge.train.RunSettings;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.SplittableRandom;

/** LoRA runs on stories260K for export tests: a PEFT adapter whose B is random (non-zero), so it changes outputs. */
public final class TestRuns {
    public static final int[] PROMPT = {1, 403, 407, 261, 378};

    private TestRuns() {}

    private static final List<String[]> STORIES = List.of(
            new String[] {"Once upon a time", "there was a little girl named Lily."},
            new String[] {"Tom had a red ball.", "He liked to play with it."},
            new String[] {"One day, Sue went to the park.", "She saw a big dog."},
            new String[] {"Lily and Ben", "were friends."});

    /** A LoRA run on stories260K in the plain format, with train/val files whose examples share a system prompt. */
    public static Path plainRun(Path dir) throws IOException {
        Path run = TestRuns.loraRun(dir.resolve("run"), TestRuns.storiesHf(), 21);
        StringBuilder jsonl = new StringBuilder();
        ObjectMapper json = new ObjectMapper();
        for (String[] s : STORIES) {
            jsonl.append(json.writeValueAsString(Map.of("messages", List.of(Map.of("role", "system", "content", "You tell stories."),
                    Map.of("role", "user", "content", s[0]), Map.of("role", "assistant", "content", s[1]))))).append('\n');
        }
        Path data = Files.writeString(dir.resolve("train.jsonl"), jsonl, StandardCharsets.UTF_8);
        Path val = Files.writeString(dir.resolve("val.jsonl"), jsonl, StandardCharsets.UTF_8);
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put("model", TestRuns.storiesHf().toString());
        flags.put("data", data.toString());
        flags.put("val_data", val.toString());
        flags.put("prompt_format", "plain");
        flags.put("max_length", 64);
        Files.writeString(run.resolve("config.yaml"), RunSettings.resolve(null, flags).toYaml());
        return run;
    }


    static Path storiesHf() {
        return Fixtures.require("models/stories260K/hf");
    }

    static Path storiesGguf() {
        return Fixtures.require("models/stories260K/stories260K.gguf");
    }

    /** An adapter with every B drawn from N(0, std²) (seeded) instead of PEFT's zeros. */
    static LoraAdapter randomAdapter(ModelWeights base, int rank, double alpha, boolean rsLora, long seed, double std) {
        LoraAdapter adapter = LoraAdapter.initialize(base, new LoraConfig(rank, alpha, 0, EnumSet.allOf(LoraTarget.class), rsLora),
                seed);
        SplittableRandom random = new SplittableRandom(seed + 1);
        for (LoraAdapter.Slot s : adapter.slots()) {
            float[] b = s.matrix().b().data();
            for (int i = 0; i < b.length; i++) b[i] = (float) (random.nextGaussian() * std);
        }
        return adapter;
    }

    /** Writes a LoRA run folder (PEFT files naming {@code base}) and returns it. */
    static Path loraRun(Path dir, Path base, long seed) throws IOException {
        try (LoadedModel model = ModelLoader.load(base)) {
            LoraAdapter adapter = randomAdapter(model.weights(), 4, 8, false, seed, 0.05);
            PeftAdapterFiles.write(adapter, dir, base.toAbsolutePath().toString(), model.config());
        }
        return dir;
    }

    static float[] logits(ModelConfig config, ModelWeights weights, int[] ids) {
        Transformer t = new Transformer(config, weights, 64);
        return t.forward(ids, 0, ids.length, t.newCache(), true);
    }

    static float[] logits(LoadedModel model, int[] ids) {
        return logits(model.config(), model.weights(), ids);
    }

    /** max |a - b| / max |b|. */
    static double relative(float[] a, float[] b) {
        double diff = 0, scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return diff / scale;
    }
}
