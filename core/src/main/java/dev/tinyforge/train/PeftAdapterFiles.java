package dev.tinyforge.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tinyforge.io.safetensors.SafetensorsFile;
import dev.tinyforge.io.safetensors.SafetensorsTensor;
import dev.tinyforge.io.safetensors.SafetensorsWriter;
import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.ModelWeights;
import dev.tinyforge.model.Rope;
import dev.tinyforge.model.TensorNames;
import dev.tinyforge.model.WeightMatrix;
import dev.tinyforge.util.AtomicFiles;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEFT's adapter folder: {@code adapter_config.json} and {@code adapter_model.safetensors} with tensors
 * {@code base_model.model.model.layers.N.<module>.lora_A.weight} [r, in] and {@code lora_B.weight}
 * [out, r], the layout Hugging Face PEFT, Axolotl and Unsloth write and load.
 */
public final class PeftAdapterFiles {
    public static final String CONFIG = "adapter_config.json";
    public static final String WEIGHTS = "adapter_model.safetensors";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern NAME = Pattern.compile(
            "base_model\\.model\\.model\\.layers\\.(\\d+)\\.(self_attn\\.[qkvo]_proj|mlp\\.(?:gate|up|down)_proj)\\.lora_([AB])\\.weight");

    private PeftAdapterFiles() {}

    /** The LoRA settings of an adapter folder's adapter_config.json, checked for what we support. */
    public static LoraConfig readConfig(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new BadInputException(dir + ": no such adapter folder");
        Path configFile = dir.resolve(CONFIG);
        JsonNode config;
        try {
            config = JSON.readTree(configFile.toFile());
        } catch (java.io.FileNotFoundException | NoSuchFileException e) {
            throw new BadInputException(configFile + ": no such file (a PEFT adapter folder needs it)");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadInputException(configFile + ": invalid JSON: " + e.getOriginalMessage());
        }
        if (config.hasNonNull("peft_type") && !config.get("peft_type").asText().equals("LORA")) {
            throw new BadInputException(configFile + ": peft_type " + config.get("peft_type") + " is not supported (LORA only)");
        }
        if (config.path("use_dora").asBoolean(false)) throw new BadInputException(configFile + ": DoRA is not supported");
        if (!config.path("bias").asText("none").equals("none")) {
            throw new BadInputException(configFile + ": bias \"" + config.get("bias").asText() + "\" is not supported (none only)");
        }
        if (config.path("fan_in_fan_out").asBoolean(false)) {
            throw new BadInputException(configFile + ": fan_in_fan_out true is not supported");
        }
        for (String field : new String[] {"rank_pattern", "alpha_pattern"}) {
            if (config.has(field) && config.get(field).isObject() && !config.get(field).isEmpty()) {
                throw new BadInputException(configFile + ": " + field + " is not supported");
            }
        }
        if (!config.hasNonNull("r") || !config.get("r").canConvertToInt()) {
            throw new BadInputException(configFile + ": field \"r\" is missing or not an integer");
        }
        int rank = config.get("r").intValue();
        double alpha = config.path("lora_alpha").asDouble(rank);
        Set<LoraTarget> targets = targets(config.get("target_modules"), configFile);
        return new LoraConfig(rank, alpha, config.path("lora_dropout").asDouble(0), targets,
                config.path("use_rslora").asBoolean(false));
    }

    /**
     * The settings (by train.yaml names) an adapter fixes when training continues from it: lora_r,
     * lora_alpha, target_modules (comma-separated) and rslora.
     */
    public static Map<String, Object> readShape(Path dir) throws IOException {
        LoraConfig c = readConfig(dir);
        Map<String, Object> shape = new java.util.LinkedHashMap<>();
        shape.put("lora_r", c.rank());
        shape.put("lora_alpha", c.alpha());
        StringBuilder targets = new StringBuilder();
        for (LoraTarget t : EnumSet.copyOf(c.targets())) targets.append(targets.isEmpty() ? "" : ",").append(t.peftName());
        shape.put("target_modules", targets.toString());
        shape.put("rslora", c.rsLora());
        return shape;
    }

    /**
     * Reads an adapter folder for a model with the given base weights. PEFT stores q/k rows in HF
     * order; when the base came from a GGUF llama-architecture file (rows permuted for llama.cpp's
     * RoPE) the B rows of q/k are permuted the same way so the update lines up.
     */
    public static LoraAdapter read(Path dir, ModelWeights base, ModelConfig model) throws IOException {
        LoraConfig lora = readConfig(dir);
        int rank = lora.rank();
        Set<LoraTarget> targets = lora.targets();
        Path weightsFile = dir.resolve(WEIGHTS);
        if (!Files.exists(weightsFile)) {
            throw new BadInputException(dir + ": no " + WEIGHTS + (Files.exists(dir.resolve("adapter_model.bin"))
                    ? " (only adapter_model.bin: TinyForge reads safetensors, not pickle files)" : ""));
        }
        Map<Integer, Map<LoraTarget, float[][]>> matrices = new HashMap<>();
        try (SafetensorsFile file = SafetensorsFile.open(weightsFile)) {
            for (SafetensorsTensor t : file.tensors()) {
                Matcher m = NAME.matcher(t.name());
                if (!m.matches()) {
                    throw new BadInputException(weightsFile + ": tensor " + t.name() + " is not a LoRA A/B weight of a "
                            + "decoder layer (expected base_model.model.model.layers.N.<module>.lora_A.weight)");
                }
                int layer = Integer.parseInt(m.group(1));
                if (layer >= base.layers().size()) {
                    throw new BadInputException(weightsFile + ": tensor " + t.name() + " is for layer " + layer
                            + " but the model has " + base.layers().size());
                }
                LoraTarget target = fromPath(m.group(2));
                if (!targets.contains(target)) {
                    throw new BadInputException(weightsFile + ": tensor " + t.name() + " is for " + target.peftName()
                            + ", which target_modules does not list");
                }
                WeightMatrix w = target.of(base.layers().get(layer));
                boolean isA = m.group(3).equals("A");
                long[] expected = isA ? new long[] {rank, w.cols()} : new long[] {w.rows(), rank};
                if (!Arrays.equals(t.shape(), expected)) {
                    throw new BadInputException(weightsFile + ": tensor " + t.name() + " has shape " + Arrays.toString(t.shape())
                            + ", expected " + Arrays.toString(expected));
                }
                float[][] pair = matrices.computeIfAbsent(layer, k -> new HashMap<>()).computeIfAbsent(target, k -> new float[2][]);
                float[] values = t.toFloatArray();
                if (!isA && permutedQk(base, target)) values = permuteRows(values, rank, model.headDim(), true);
                pair[isA ? 0 : 1] = values;
            }
        }
        matrices.forEach((layer, byTarget) -> byTarget.forEach((target, pair) -> {
            if (pair[0] == null || pair[1] == null) {
                throw new BadInputException(weightsFile + ": layer " + layer + " " + target.peftName()
                        + " has lora_" + (pair[0] == null ? "A" : "B") + " missing");
            }
        }));
        return LoraAdapter.of(base, lora, matrices);
    }

    private static Set<LoraTarget> targets(JsonNode node, Path file) {
        if (node == null || node.isNull()) throw new BadInputException(file + ": field \"target_modules\" is missing");
        if (node.isTextual()) return LoraTarget.parse(node.textValue());
        if (!node.isArray()) throw new BadInputException(file + ": target_modules must be a list or a string");
        StringBuilder list = new StringBuilder();
        for (JsonNode n : node) list.append(n.asText()).append(',');
        return LoraTarget.parse(list.toString());
    }

    private static boolean permutedQk(ModelWeights base, LoraTarget target) {
        return base.ropeLayout() == Rope.Layout.ADJACENT && (target == LoraTarget.Q_PROJ || target == LoraTarget.K_PROJ);
    }

    /** Moves rows between HF order and llama.cpp's RoPE order ({@code toGguf} picks the direction). */
    private static float[] permuteRows(float[] rows, int width, int headDim, boolean toGguf) {
        float[] out = new float[rows.length];
        int count = rows.length / width;
        for (int g = 0; g < count; g++) {
            int hf = TensorNames.ggufRowToHf(g, headDim);
            if (toGguf) {
                System.arraycopy(rows, hf * width, out, g * width, width);
            } else {
                System.arraycopy(rows, g * width, out, hf * width, width);
            }
        }
        return out;
    }

    private static LoraTarget fromPath(String hfPath) {
        for (LoraTarget t : LoraTarget.values()) {
            if (t.hfPath().equals(hfPath)) return t;
        }
        throw new IllegalStateException("pattern admits " + hfPath);
    }

    /**
     * Writes the adapter as PEFT does (F32 tensors), both files into place together.
     *
     * @param baseModel recorded as base_model_name_or_path
     */
    public static void write(LoraAdapter adapter, Path dir, String baseModel, ModelConfig model) throws IOException {
        LoraConfig c = adapter.config();
        ObjectNode config = JSON.createObjectNode();
        config.put("peft_type", "LORA");
        config.put("task_type", "CAUSAL_LM");
        config.put("base_model_name_or_path", baseModel);
        config.put("r", c.rank());
        config.put("lora_alpha", c.alpha());
        config.put("lora_dropout", c.dropout());
        var modules = config.putArray("target_modules");
        EnumSet.copyOf(c.targets()).forEach(t -> modules.add(t.peftName()));
        config.put("use_rslora", c.rsLora());
        config.put("bias", "none");
        config.put("fan_in_fan_out", false);
        config.put("init_lora_weights", true);
        config.put("inference_mode", true);
        config.put("use_dora", false);
        config.putObject("rank_pattern");
        config.putObject("alpha_pattern");
        config.putNull("modules_to_save");
        config.putNull("layers_to_transform");

        SafetensorsWriter weights = new SafetensorsWriter().putMetadata("format", "pt");
        for (LoraAdapter.Slot s : adapter.slots()) {
            var a = s.matrix().a();
            var b = s.matrix().b();
            weights.addFloats(s.peftPrefix() + ".lora_A.weight", new long[] {a.rows(), a.cols()}, a.data());
            float[] bRows = permutedQk(adapter.base(), s.target()) ? permuteRows(b.data(), b.cols(), model.headDim(), false) : b.data();
            weights.addFloats(s.peftPrefix() + ".lora_B.weight", new long[] {b.rows(), b.cols()}, bRows);
        }
        // Both files appear together or not at all.
        try (AtomicFiles.Batch batch = new AtomicFiles.Batch()) {
            try (var out = batch.open(dir.resolve(CONFIG))) {
                out.write(JSON.writeValueAsBytes(config));
            }
            try (var out = batch.open(dir.resolve(WEIGHTS))) {
                weights.writeTo(out);
            }
            batch.commit();
        }
    }
}
