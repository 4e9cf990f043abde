package dev.tinyforge.model;

import dev.tinyforge.util.BadInputException;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link ModelConfig} from GGUF metadata (as a key → value map) and the file's tensor names,
 * with llama.cpp's defaults for keys that converters leave out.
 */
public final class GgufConfigReader {
    private GgufConfigReader() {}

    /**
     * @param metadata    GGUF key/value pairs; numbers may be any {@link Number} type
     * @param tensorNames the names of the file's tensors (tied embeddings and biases are seen there)
     * @param vocabSize   the vocabulary size when {@code <arch>.vocab_size} is absent (the token list's length)
     * @param source      the file, for error messages
     */
    public static ModelConfig read(Map<String, Object> metadata, Set<String> tensorNames, int vocabSize, String source) {
        Object archValue = metadata.get("general.architecture");
        if (!(archValue instanceof String arch)) {
            throw new BadInputException(source + ": general.architecture is missing or not a string");
        }
        Family family = Family.fromGgufArchitecture(arch);
        if (family == null) {
            throw new BadInputException(source + ": architecture \"" + arch + "\" is not supported (supported: "
                    + Family.supportedGgufArchitectures() + ")");
        }
        Keys k = new Keys(metadata, arch + ".", source);
        int hidden = k.requiredInt("embedding_length");
        int heads = k.requiredInt("attention.head_count");
        int headDim = k.intOr("attention.key_length", heads > 0 ? hidden / heads : 0);
        if (k.has("attention.value_length") && k.requiredInt("attention.value_length") != headDim) {
            throw new BadInputException(source + ": key and value head sizes differ; not supported");
        }
        boolean gemma = family == Family.GEMMA;
        try {
            return new ModelConfig(family,
                    k.intOr("vocab_size", vocabSize),
                    hidden,
                    k.requiredInt("feed_forward_length"),
                    k.requiredInt("block_count"),
                    heads,
                    k.intOr("attention.head_count_kv", heads),
                    headDim,
                    k.intOr("context_length", 2048),
                    k.doubleOr("attention.layer_norm_rms_epsilon", 1e-5),
                    k.doubleOr("rope.freq_base", 10000),
                    ropeScaling(k, source),
                    tensorNames.contains("blk.0.attn_q.bias"),
                    !tensorNames.contains("output.weight"),
                    gemma ? Activation.GELU_TANH : Activation.SILU,
                    0f,
                    gemma,
                    k.intOr("attention.sliding_window", 0));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(source + ": " + e.getMessage());
        }
    }

    private static RopeScaling ropeScaling(Keys k, String source) {
        if (!k.has("rope.scaling.type")) {
            // Older files give only a linear factor.
            return k.has("rope.scale_linear") ? new RopeScaling.Linear(k.requiredDouble("rope.scale_linear")) : RopeScaling.NONE;
        }
        String type = k.string("rope.scaling.type");
        return switch (type) {
            case "none" -> RopeScaling.NONE;
            case "linear" -> new RopeScaling.Linear(k.requiredDouble("rope.scaling.factor"));
            default -> throw new BadInputException(source + ": rope scaling type \"" + type + "\" is not supported");
        };
    }

    /** Typed access to {@code <arch>.*} keys with errors naming the file and key. */
    private record Keys(Map<String, Object> metadata, String prefix, String source) {
        boolean has(String key) {
            return metadata.containsKey(prefix + key);
        }

        int requiredInt(String key) {
            Object v = metadata.get(prefix + key);
            if (v == null) throw new BadInputException(source + ": metadata key " + prefix + key + " is missing");
            if (!(v instanceof Number n) || n instanceof Float || n instanceof Double
                    || n.longValue() < Integer.MIN_VALUE || n.longValue() > Integer.MAX_VALUE) {
                throw new BadInputException(source + ": metadata key " + prefix + key + " must be an integer, found " + v);
            }
            return n.intValue();
        }

        int intOr(String key, int fallback) {
            return has(key) ? requiredInt(key) : fallback;
        }

        double requiredDouble(String key) {
            Object v = metadata.get(prefix + key);
            if (!(v instanceof Number n)) {
                throw new BadInputException(source + ": metadata key " + prefix + key + " must be a number, found " + v);
            }
            return n.doubleValue();
        }

        double doubleOr(String key, double fallback) {
            return has(key) ? requiredDouble(key) : fallback;
        }

        String string(String key) {
            Object v = metadata.get(prefix + key);
            if (!(v instanceof String s)) {
                throw new BadInputException(source + ": metadata key " + prefix + key + " must be a string, found " + v);
            }
            return s;
        }
    }
}
