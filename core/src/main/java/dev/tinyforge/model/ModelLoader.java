package dev.tinyforge.model;

import dev.tinyforge.io.gguf.GgufArray;
import dev.tinyforge.io.gguf.GgufFile;
import dev.tinyforge.io.gguf.GgufTensorInfo;
import dev.tinyforge.io.gguf.GgufValue;
import dev.tinyforge.io.safetensors.SafetensorsCheckpoint;
import dev.tinyforge.io.safetensors.SafetensorsDtype;
import dev.tinyforge.io.safetensors.SafetensorsTensor;
import dev.tinyforge.quant.GgmlType;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Opens a model from a Hugging Face folder (config.json + safetensors) or a GGUF file. Weights are
 * mapped, not copied: a matrix reads its file's bytes in place; only norms and biases (vectors)
 * become float arrays.
 */
public final class ModelLoader {
    private ModelLoader() {}

    /** Loads {@code path}: a folder is read as an HF checkpoint, a file as GGUF. */
    public static LoadedModel load(Path path) throws IOException {
        if (Files.isDirectory(path)) return loadHf(path);
        if (!Files.exists(path)) throw new BadInputException(path + ": no such file or folder");
        return loadGguf(path);
    }

    public static LoadedModel loadHf(Path folder) throws IOException {
        ModelConfig config = HfConfigReader.read(folder.resolve("config.json"));
        boolean hasSafetensors = Files.exists(folder.resolve(SafetensorsCheckpoint.SINGLE_FILE))
                || Files.exists(folder.resolve(SafetensorsCheckpoint.INDEX_FILE));
        if (!hasSafetensors) {
            boolean pickle = Files.exists(folder.resolve("pytorch_model.bin"))
                    || Files.exists(folder.resolve("pytorch_model.bin.index.json"));
            throw new BadInputException(folder + ": " + (pickle
                    ? "has only pytorch_model.bin; TinyForge reads safetensors, not pickle files (convert with "
                            + "transformers' save_pretrained(safe_serialization=True))"
                    : "no model.safetensors or model.safetensors.index.json"));
        }
        SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(folder);
        try {
            TensorSource source = new TensorSource() {
                @Override
                public boolean has(String hfName) {
                    return checkpoint.find(hfName).isPresent();
                }

                @Override
                public WeightMatrix matrix(String hfName, int rows, int cols) {
                    SafetensorsTensor t = require(hfName);
                    expectShape(hfName, t.shape(), rows, cols);
                    return switch (t.dtype()) {
                        case F32 -> new MappedF32Matrix(rows, cols, t.data());
                        case F16 -> WeightMatrices.of(GgmlType.F16, rows, cols, t.data());
                        case BF16 -> WeightMatrices.of(GgmlType.BF16, rows, cols, t.data());
                        default -> throw new BadInputException(folder + ": tensor " + hfName + " has dtype " + t.dtype()
                                + "; expected F32, F16 or BF16");
                    };
                }

                @Override
                public float[] vector(String hfName, int length) {
                    SafetensorsTensor t = require(hfName);
                    expectShape(hfName, t.shape(), length);
                    if (t.dtype() != SafetensorsDtype.F32 && t.dtype() != SafetensorsDtype.F16
                            && t.dtype() != SafetensorsDtype.BF16) {
                        throw new BadInputException(folder + ": tensor " + hfName + " has dtype " + t.dtype()
                                + "; expected F32, F16 or BF16");
                    }
                    return t.toFloatArray();
                }

                private SafetensorsTensor require(String hfName) {
                    return checkpoint.find(hfName).orElseThrow(() ->
                            new BadInputException(folder + ": tensor " + hfName + " is missing"));
                }

                private void expectShape(String name, long[] shape, long... expected) {
                    if (!Arrays.equals(shape, expected)) {
                        throw new BadInputException(folder + ": tensor " + name + " has shape " + Arrays.toString(shape)
                                + ", expected " + Arrays.toString(expected));
                    }
                }
            };
            ModelWeights weights = assemble(config, source, Rope.Layout.HALVES, null);
            return new LoadedModel(folder, LoadedModel.Format.HF, config, weights, checkpoint);
        } catch (RuntimeException | Error e) {
            checkpoint.close();
            throw e;
        }
    }

    public static LoadedModel loadGguf(Path file) throws IOException {
        GgufFile gguf = GgufFile.open(file);
        try {
            ModelConfig config = configOf(gguf);
            Set<String> names = new HashSet<>();
            for (GgufTensorInfo t : gguf.tensors()) names.add(t.name());
            TensorSource source = new TensorSource() {
                @Override
                public boolean has(String hfName) {
                    return names.contains(TensorNames.hfToGguf(hfName));
                }

                @Override
                public WeightMatrix matrix(String hfName, int rows, int cols) {
                    GgufTensorInfo t = require(hfName);
                    expectShape(t, cols, rows);
                    return t.type() == GgmlType.F32
                            ? new MappedF32Matrix(rows, cols, t.data())
                            : WeightMatrices.of(t.type(), rows, cols, t.data());
                }

                @Override
                public float[] vector(String hfName, int length) {
                    GgufTensorInfo t = require(hfName);
                    expectShape(t, length);
                    return t.toFloatArray();
                }

                private GgufTensorInfo require(String hfName) {
                    String name = TensorNames.hfToGguf(hfName);
                    return gguf.findTensor(name).orElseThrow(() ->
                            new BadInputException(file + ": tensor " + name + " is missing"));
                }

                private void expectShape(GgufTensorInfo t, long... expected) {
                    if (!Arrays.equals(t.shape(), expected)) {
                        throw new BadInputException(file + ": tensor " + t.name() + " has shape "
                                + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(expected));
                    }
                }
            };
            float[] freqFactors = gguf.findTensor("rope_freqs.weight").map(GgufTensorInfo::toFloatArray).orElse(null);
            Rope.Layout layout = config.family().ggufPermutesQk() ? Rope.Layout.ADJACENT : Rope.Layout.HALVES;
            ModelWeights weights = assemble(config, source, layout, freqFactors);
            return new LoadedModel(file, LoadedModel.Format.GGUF, config, weights, gguf);
        } catch (RuntimeException | Error e) {
            gguf.close();
            throw e;
        }
    }

    /** The model config a GGUF file describes (metadata, tensor names, and the token list's length). */
    public static ModelConfig configOf(GgufFile gguf) {
        Map<String, Object> metadata = new HashMap<>();
        gguf.metadata().asMap().forEach((key, value) -> {
            Object scalar = scalar(value);
            if (scalar != null) metadata.put(key, scalar);
        });
        Set<String> names = new HashSet<>();
        for (GgufTensorInfo t : gguf.tensors()) names.add(t.name());
        int vocabFromTokens = gguf.metadata().contains("tokenizer.ggml.tokens")
                ? gguf.metadata().getArray("tokenizer.ggml.tokens").size()
                : gguf.findTensor("token_embd.weight").map(t -> (int) t.rowCount()).orElse(0);
        return GgufConfigReader.read(metadata, names, vocabFromTokens, gguf.path().toString());
    }

    /** GGUF scalars as plain Java values (the config reader's input); arrays are left out. */
    private static Object scalar(GgufValue value) {
        return switch (value) {
            case GgufValue.Int i -> i.value();
            case GgufValue.F32 f -> f.value();
            case GgufValue.F64 d -> d.value();
            case GgufValue.Bool b -> b.value();
            case GgufValue.Str s -> s.value();
            case GgufArray a -> null;
        };
    }

    /** Tensors by their HF name, whichever file holds them. */
    private interface TensorSource {
        boolean has(String hfName);

        WeightMatrix matrix(String hfName, int rows, int cols);

        float[] vector(String hfName, int length);
    }

    private static ModelWeights assemble(ModelConfig c, TensorSource s, Rope.Layout layout, float[] freqFactors) {
        int h = c.hiddenSize(), q = c.queryDim(), kv = c.kvDim(), ffn = c.intermediateSize();
        WeightMatrix embedding = s.matrix("model.embed_tokens.weight", c.vocabSize(), h);
        List<LayerWeights> layers = new ArrayList<>(c.layers());
        for (int l = 0; l < c.layers(); l++) {
            String p = "model.layers." + l + ".";
            layers.add(new LayerWeights(
                    s.vector(p + "input_layernorm.weight", h),
                    s.matrix(p + "self_attn.q_proj.weight", q, h),
                    s.matrix(p + "self_attn.k_proj.weight", kv, h),
                    s.matrix(p + "self_attn.v_proj.weight", kv, h),
                    s.matrix(p + "self_attn.o_proj.weight", h, q),
                    c.qkvBias() ? s.vector(p + "self_attn.q_proj.bias", q) : null,
                    c.qkvBias() ? s.vector(p + "self_attn.k_proj.bias", kv) : null,
                    c.qkvBias() ? s.vector(p + "self_attn.v_proj.bias", kv) : null,
                    s.vector(p + "post_attention_layernorm.weight", h),
                    s.matrix(p + "mlp.gate_proj.weight", ffn, h),
                    s.matrix(p + "mlp.up_proj.weight", ffn, h),
                    s.matrix(p + "mlp.down_proj.weight", h, ffn)));
        }
        float[] outputNorm = s.vector("model.norm.weight", h);
        WeightMatrix output = !c.tiedEmbeddings() || s.has("lm_head.weight")
                ? s.matrix("lm_head.weight", c.vocabSize(), h)
                : embedding;
        return new ModelWeights(embedding, layers, outputNorm, output, layout, freqFactors);
    }
}
