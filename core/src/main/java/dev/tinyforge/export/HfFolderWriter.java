package dev.tinyforge.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tinyforge.io.safetensors.SafetensorsDtype;
import dev.tinyforge.io.safetensors.SafetensorsWriter;
import dev.tinyforge.model.HfCheckpointWriter;
import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.ModelWeights;
import dev.tinyforge.quant.GgmlType;
import dev.tinyforge.util.AtomicFiles;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes a model as a Hugging Face folder that {@code transformers} loads: model.safetensors in the
 * chosen dtype (HF names, q/k rows in HF order, rows streamed so the weights are not copied twice),
 * config.json (the base's own with torch_dtype updated, or one made from the config), and the
 * tokenizer files of the model it came from.
 */
final class HfFolderWriter {
    /** The tokenizer and generation files an HF model folder carries beside its weights. */
    static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
            "chat_template.jinja", "tokenizer.model", "generation_config.json");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private HfFolderWriter() {}

    /** Parses {@code f32}, {@code f16} or {@code bf16}. */
    static SafetensorsDtype dtype(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "f32", "float32" -> SafetensorsDtype.F32;
            case "f16", "float16" -> SafetensorsDtype.F16;
            case "bf16", "bfloat16" -> SafetensorsDtype.BF16;
            default -> throw new BadInputException("--dtype '" + text + "': expected f32, f16 or bf16");
        };
    }

    static String torchName(SafetensorsDtype dtype) {
        return switch (dtype) {
            case F32 -> "float32";
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            default -> throw new IllegalArgumentException(dtype.name());
        };
    }

    private static GgmlType ggml(SafetensorsDtype dtype) {
        return switch (dtype) {
            case F32 -> GgmlType.F32;
            case F16 -> GgmlType.F16;
            case BF16 -> GgmlType.BF16;
            default -> throw new IllegalArgumentException(dtype.name());
        };
    }

    /** Writes model.safetensors. 1-D tensors (norms, biases) take the dtype too, as transformers saves them. */
    static void writeWeights(ModelConfig c, ModelWeights w, SafetensorsDtype dtype, Path file) throws IOException {
        SafetensorsWriter out = new SafetensorsWriter().putMetadata("format", "pt");
        GgmlType type = ggml(dtype);
        for (ModelTensors.Tensor t : ModelTensors.forHf(c, w)) {
            out.add(t.hfName(), dtype, t.hfShape(),
                    stream -> TensorEncoder.write(stream, t.hfName(), type, t.rows(), t.cols(), t.source()));
        }
        out.write(file);
    }

    /**
     * Writes config.json: the model folder's own (every field it has kept, torch_dtype updated) when
     * there is one, else one made from the config.
     */
    static void writeConfig(ModelConfig c, Path modelFolder, SafetensorsDtype dtype, Path file) throws IOException {
        ObjectNode config;
        Path own = modelFolder == null ? null : modelFolder.resolve("config.json");
        if (own != null && Files.isRegularFile(own)) {
            JsonNode read = JSON.readTree(own.toFile());
            if (!(read instanceof ObjectNode object)) throw new BadInputException(own + ": expected a JSON object");
            config = object;
        } else {
            config = HfCheckpointWriter.config(c, JSON);
        }
        config.put("torch_dtype", torchName(dtype));
        AtomicFiles.write(file, o -> o.write(JSON.writeValueAsBytes(config)));
    }

    /** Copies the tokenizer files of {@code modelFolder} that exist into {@code dir}; returns how many. */
    static int copyTokenizerFiles(Path modelFolder, Path dir) throws IOException {
        int copied = 0;
        for (String name : TOKENIZER_FILES) {
            Path source = modelFolder.resolve(name);
            if (Files.isRegularFile(source)) {
                Files.copy(source, dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                copied++;
            }
        }
        return copied;
    }
}
