package dev.tinyforge.model;

import dev.tinyforge.io.gguf.GgufFile;
import dev.tinyforge.io.gguf.GgufTensorInfo;
import dev.tinyforge.io.safetensors.SafetensorsCheckpoint;
import dev.tinyforge.io.safetensors.SafetensorsTensor;
import dev.tinyforge.tokenizer.template.ChatTemplateFiles;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a model file holds, read from its headers without loading weights: the config, tensor
 * counts and bytes per storage type, and whether it carries a chat template.
 *
 * @param tensorTypes per storage type (e.g. {@code F32}, {@code Q4_K}): tensor count and bytes
 * @param chatTemplate the template text, or null when the model has none
 */
public record ModelSummary(Path source, LoadedModel.Format format, ModelConfig config,
                           Map<String, TypeStats> tensorTypes, long tensorCount, long tensorBytes,
                           String chatTemplate) {
    /** Tensors of one storage type. */
    public record TypeStats(int count, long bytes) {
        TypeStats plus(long moreBytes) {
            return new TypeStats(count + 1, bytes + moreBytes);
        }
    }

    public static ModelSummary of(Path path) throws IOException {
        Map<String, TypeStats> types = new TreeMap<>();
        if (Files.isDirectory(path)) {
            ModelConfig config = HfConfigReader.read(path.resolve("config.json"));
            long count = 0, bytes = 0;
            try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(path)) {
                for (SafetensorsTensor t : checkpoint.tensors().values()) {
                    types.merge(t.dtype().name(), new TypeStats(1, t.byteSize()), (a, b) -> a.plus(b.bytes()));
                    count++;
                    bytes += t.byteSize();
                }
            }
            return new ModelSummary(path, LoadedModel.Format.HF, config, types, count, bytes,
                    ChatTemplateFiles.findInModel(path).map(ChatTemplateFiles.ModelTemplate::source).orElse(null));
        }
        if (!Files.exists(path)) throw new BadInputException(path + ": no such file or folder");
        try (GgufFile gguf = GgufFile.open(path)) {
            ModelConfig config = ModelLoader.configOf(gguf);
            long count = 0, bytes = 0;
            for (GgufTensorInfo t : gguf.tensors()) {
                types.merge(t.type().name(), new TypeStats(1, t.byteSize()), (a, b) -> a.plus(b.bytes()));
                count++;
                bytes += t.byteSize();
            }
            String template = gguf.metadata().getString("tokenizer.chat_template", null);
            return new ModelSummary(path, LoadedModel.Format.GGUF, config, types, count, bytes, template);
        }
    }
}
