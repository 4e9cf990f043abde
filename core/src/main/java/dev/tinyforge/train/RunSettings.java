package dev.tinyforge.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting of a fine-tuning run, by the names a {@code train.yaml} uses. Defaults, then the
 * file, then command-line flags: {@link #resolve} merges them, and the run writes the result back
 * as its {@code config.yaml}, so a run folder always says exactly how it was made.
 */
public record RunSettings(
        String model, String data, String valData, String method,
        int loraR, double loraAlpha, double loraDropout, String targetModules, boolean rslora,
        double learningRate, String schedule, double warmupRatio, int batchSize, int gradientAccumulation,
        int epochs, int maxSteps, long seed, double weightDecay, double maxGradNorm, int evalEvery, int patience,
        int maxLength, boolean trainOnInputs, String promptFormat, String initAdapter, String qloraType, int saveSteps,
        int saveTotalLimit, boolean packing, boolean gradientCheckpointing) {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The defaults: LoRA r 16, alpha 32, all-linear, lr 2e-4, batch 4, accumulation 4, 3 epochs, warmup 0.1, cosine. */
    public static Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("method", "lora");
        d.put("lora_r", 16);
        d.put("lora_alpha", 32.0);
        d.put("lora_dropout", 0.0);
        d.put("target_modules", "all-linear");
        d.put("rslora", false);
        d.put("learning_rate", 2e-4);
        d.put("schedule", "cosine");
        d.put("warmup_ratio", 0.1);
        d.put("batch_size", 4);
        d.put("gradient_accumulation", 4);
        d.put("epochs", 3);
        d.put("max_steps", 0);
        d.put("seed", 42L);
        d.put("weight_decay", 0.0);
        d.put("max_grad_norm", 1.0);
        d.put("eval_every", 0);
        d.put("patience", 0);
        d.put("max_length", 512);
        d.put("train_on_inputs", false);
        d.put("prompt_format", "auto");
        d.put("init_adapter", null);
        d.put("qlora_type", "q4_0");
        d.put("save_steps", 0);
        d.put("save_total_limit", 3);
        d.put("packing", false);
        d.put("gradient_checkpointing", false);
        return d;
    }

    /** The LoRA shape settings an initial adapter decides. */
    private static final List<String> ADAPTER_KEYS = List.of("lora_r", "lora_alpha", "target_modules", "rslora");

    /**
     * Merges defaults ← the YAML file (if any) ← flags (non-null entries), and checks the result. With
     * init_adapter, the LoRA rank, alpha, target modules and rsLoRA come from the adapter's
     * adapter_config.json; settings that say otherwise are an error.
     */
    public static RunSettings resolve(Path configFile, Map<String, Object> flags) throws IOException {
        Map<String, Object> merged = defaults();
        Map<String, Object> given = new LinkedHashMap<>();
        if (configFile != null) {
            try {
                Map<?, ?> file = YAML.readValue(configFile.toFile(), Map.class);
                if (file != null) file.forEach((k, v) -> given.put(String.valueOf(k), v));
            } catch (NoSuchFileException | java.io.FileNotFoundException e) {
                throw new BadInputException(configFile + ": no such file");
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new BadInputException(configFile + ": invalid YAML: " + e.getOriginalMessage());
            }
        }
        flags.forEach((k, v) -> {
            if (v != null) given.put(k, v);
        });
        merged.putAll(given);
        if (given.get("init_adapter") != null) {
            Path adapter = Path.of(String.valueOf(given.get("init_adapter")));
            Map<String, Object> fromAdapter = PeftAdapterFiles.readShape(adapter);
            for (String key : ADAPTER_KEYS) {
                Object mine = given.get(key);
                if (mine != null && !sameValue(key, mine, fromAdapter.get(key))) {
                    throw new BadInputException(key + " " + mine + " conflicts with the initial adapter " + adapter
                            + ", which has " + fromAdapter.get(key) + " (leave " + key + " out to take the adapter's)");
                }
                merged.put(key, fromAdapter.get(key));
            }
        }
        RunSettings settings;
        try {
            settings = YAML.convertValue(merged, RunSettings.class);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            int cut = message.indexOf(" (");
            throw new BadInputException((configFile != null ? configFile + ": " : "") + "bad setting: "
                    + (cut > 0 ? message.substring(0, cut) : message));
        }
        if (settings.model() == null) throw new BadInputException("no model given (--model or model: in the config)");
        if (settings.data() == null) throw new BadInputException("no training data given (--data or data: in the config)");
        if (settings.maxLength() < 8) throw new BadInputException("max_length must be at least 8");
        if (settings.saveSteps() < 0 || settings.saveTotalLimit() < 0) {
            throw new BadInputException("save_steps and save_total_limit must be >= 0");
        }
        return settings;
    }

    /** Whether a given setting means the adapter's value (numbers by value, target lists as sets). */
    private static boolean sameValue(String key, Object mine, Object adapters) {
        String a = String.valueOf(mine).strip(), b = String.valueOf(adapters);
        return switch (key) {
            case "lora_r", "lora_alpha" -> {
                try {
                    yield Double.parseDouble(a) == Double.parseDouble(b);
                } catch (NumberFormatException e) {
                    yield false;
                }
            }
            case "target_modules" -> LoraTarget.parse(a).equals(LoraTarget.parse(b));
            default -> Boolean.parseBoolean(a) == Boolean.parseBoolean(b);
        };
    }

    public String toYaml() throws IOException {
        return YAML.writeValueAsString(this);
    }

    public LoraConfig lora() {
        return new LoraConfig(loraR, loraAlpha, loraDropout, LoraTarget.parse(targetModules), rslora);
    }

    public TrainingConfig training() {
        return new TrainingConfig(learningRate, LrSchedule.parseKind(schedule), warmupRatio, batchSize, gradientAccumulation,
                epochs, maxSteps, seed, weightDecay, maxGradNorm, evalEvery, patience);
    }
}
