package dev.tinyforge.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a Hugging Face {@code config.json} into a {@link ModelConfig}, refusing what we cannot run faithfully. */
public final class HfConfigReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_CONFIG_BYTES = 4 << 20;

    private HfConfigReader() {}

    public static ModelConfig read(Path configJson) throws IOException {
        try {
            if (Files.size(configJson) > MAX_CONFIG_BYTES) {
                throw new BadInputException(configJson + ": " + Files.size(configJson) + " bytes is too large for a config.json");
            }
            return parse(JSON.readTree(configJson.toFile()), configJson.toString());
        } catch (NoSuchFileException e) {
            throw new BadInputException(configJson + ": no such file (an HF model folder needs config.json)");
        } catch (JsonProcessingException e) {
            throw new BadInputException(configJson + ": invalid JSON: " + e.getOriginalMessage());
        }
    }

    /** Parses an already-read config; {@code source} names it in errors. */
    public static ModelConfig parse(JsonNode c, String source) {
        if (c == null || !c.isObject()) throw new BadInputException(source + ": expected a JSON object");
        Fields f = new Fields(c, source);
        String modelType = f.requiredString("model_type");
        Family family = Family.fromHfModelType(modelType);
        if (family == null) {
            throw new BadInputException(source + ": model_type \"" + modelType + "\" is not supported (supported: "
                    + Family.supportedHfTypes() + ")");
        }
        int hidden = f.requiredInt("hidden_size");
        int heads = f.requiredInt("num_attention_heads");
        int headDim = c.hasNonNull("head_dim") ? f.requiredInt("head_dim") : (heads > 0 ? hidden / heads : 0);
        boolean gemma = family == Family.GEMMA;
        boolean qkvBias = switch (family) {
            case QWEN2 -> true;
            case LLAMA, MISTRAL -> {
                if (f.bool("attention_bias", false)) {
                    throw new BadInputException(source + ": attention_bias true (biases on q/k/v/o) is not supported");
                }
                yield false;
            }
            case GEMMA -> {
                if (f.bool("attention_bias", false)) {
                    throw new BadInputException(source + ": attention_bias true is not supported for gemma");
                }
                yield false;
            }
        };
        if (f.bool("mlp_bias", false)) throw new BadInputException(source + ": mlp_bias true is not supported");
        if (family == Family.QWEN2 && f.bool("use_sliding_window", false)) {
            throw new BadInputException(source + ": use_sliding_window true is not supported for qwen2");
        }
        Activation activation = gemma ? Activation.GELU_TANH : activation(f, source);
        try {
            return new ModelConfig(family,
                    f.requiredInt("vocab_size"),
                    hidden,
                    f.requiredInt("intermediate_size"),
                    f.requiredInt("num_hidden_layers"),
                    heads,
                    c.hasNonNull("num_key_value_heads") ? f.requiredInt("num_key_value_heads") : heads,
                    headDim,
                    c.hasNonNull("max_position_embeddings") ? f.requiredInt("max_position_embeddings") : 2048,
                    f.number("rms_norm_eps", 1e-6),
                    f.number("rope_theta", 10000),
                    ropeScaling(c.get("rope_scaling"), source),
                    qkvBias,
                    f.bool("tie_word_embeddings", gemma),
                    activation,
                    gemma ? 1f : 0f,
                    gemma,
                    family == Family.MISTRAL && c.hasNonNull("sliding_window") ? f.requiredInt("sliding_window") : 0);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(source + ": " + e.getMessage());
        }
    }

    private static Activation activation(Fields f, String source) {
        String name = f.string("hidden_act", "silu");
        Activation a = Activation.fromHf(name);
        if (a == null) throw new BadInputException(source + ": hidden_act \"" + name + "\" is not supported");
        return a;
    }

    private static RopeScaling ropeScaling(JsonNode node, String source) {
        if (node == null || node.isNull()) return RopeScaling.NONE;
        if (!node.isObject()) throw new BadInputException(source + ": rope_scaling must be an object or null");
        Fields f = new Fields(node, source + ": rope_scaling");
        String type = node.hasNonNull("rope_type") ? f.requiredString("rope_type") : f.requiredString("type");
        return switch (type) {
            case "default" -> RopeScaling.NONE;
            case "linear" -> new RopeScaling.Linear(f.requiredPositive("factor"));
            case "llama3" -> new RopeScaling.Llama3(f.requiredPositive("factor"), f.requiredPositive("low_freq_factor"),
                    f.requiredPositive("high_freq_factor"), f.requiredInt("original_max_position_embeddings"));
            default -> throw new BadInputException(source + ": rope_scaling type \"" + type
                    + "\" is not supported (supported: linear, llama3)");
        };
    }

    /** Typed access to JSON fields with errors that name the file and field. */
    private record Fields(JsonNode node, String source) {
        String requiredString(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) throw new BadInputException(source + ": field \"" + name + "\" is missing");
            if (!v.isTextual()) throw new BadInputException(source + ": field \"" + name + "\" must be a string");
            return v.textValue();
        }

        String string(String name, String fallback) {
            return node.hasNonNull(name) ? requiredString(name) : fallback;
        }

        int requiredInt(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) throw new BadInputException(source + ": field \"" + name + "\" is missing");
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw new BadInputException(source + ": field \"" + name + "\" must be an integer, found " + v);
            }
            return v.intValue();
        }

        double number(String name, double fallback) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) return fallback;
            if (!v.isNumber()) throw new BadInputException(source + ": field \"" + name + "\" must be a number, found " + v);
            return v.doubleValue();
        }

        double requiredPositive(String name) {
            if (!node.hasNonNull(name)) throw new BadInputException(source + ": field \"" + name + "\" is missing");
            double v = number(name, 0);
            if (!(v > 0)) throw new BadInputException(source + ": field \"" + name + "\" must be positive, found " + v);
            return v;
        }

        boolean bool(String name, boolean fallback) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) return fallback;
            if (!v.isBoolean()) throw new BadInputException(source + ": field \"" + name + "\" must be true or false");
            return v.booleanValue();
        }
    }
}
