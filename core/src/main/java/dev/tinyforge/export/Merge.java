package dev.tinyforge.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tinyforge.io.gguf.GgufFile;
import dev.tinyforge.io.safetensors.SafetensorsDtype;
import dev.tinyforge.tokenizer.HfTokenizerFiles;
import dev.tinyforge.model.WeightMatrix;
import dev.tinyforge.train.PeftAdapterFiles;
import dev.tinyforge.util.AtomicFiles;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code tinyforge merge}: a LoRA run folded into its base as a complete HF folder (weights, config,
 * tokenizer files, manifest.json), ready for transformers. A full fine-tuning run is already merged
 * and is written the same way (in the chosen dtype). The folder is assembled beside the target and
 * moved into place only when complete.
 */
public final class Merge {
    /**
     * @param base    the base model, or null for the one the run names
     * @param dtype   f32, f16 or bf16, or null for the base's own
     */
    public record Request(Path base, Path run, Path out, String dtype) {}

    /** What was written. */
    public record Outcome(Path out, SafetensorsDtype dtype, ModelSource.Kind kind, List<String> notes) {}

    private Merge() {}

    public static Outcome run(Request request, Consumer<String> log) throws IOException {
        Path out = request.out();
        if (Files.exists(out) && !(Files.isDirectory(out) && isEmpty(out))) {
            throw new BadInputException(out + ": already exists and is not an empty folder; remove it or choose another --out");
        }
        Path run = request.run();
        boolean lora = Files.isDirectory(run) && Files.exists(run.resolve(PeftAdapterFiles.CONFIG));
        boolean full = Files.isDirectory(run) && Files.exists(run.resolve("config.json"))
                && (Files.exists(run.resolve("model.safetensors")) || Files.exists(run.resolve("model.safetensors.index.json")));
        if (!lora && !full) {
            throw new BadInputException(run + ": neither a LoRA run (" + PeftAdapterFiles.CONFIG + ") nor a full fine-tuning "
                    + "run (config.json + model.safetensors)");
        }
        List<String> notes = new ArrayList<>();
        if (!lora && request.base() != null) notes.add("a full fine-tuning run is already merged; --base is not used");
        try (ModelSource source = ModelSource.open(run, lora ? request.base() : null)) {
            Path tokenizerSource = source.tokenizerSource();
            // A GGUF base carries its vocabulary in metadata: it becomes tokenizer.json, or the merge stops here.
            HfTokenizerFiles.Files convertedTokenizer = Files.isDirectory(tokenizerSource) ? null
                    : convertedTokenizer(tokenizerSource, run);
            SafetensorsDtype dtype = request.dtype() != null ? HfFolderWriter.dtype(request.dtype())
                    : baseDtype(source.weights().embedding(), notes);
            log.accept((lora ? "merging " + run + " into " + source.model() : "writing the fine-tuned weights of " + run)
                    + " as " + HfFolderWriter.torchName(dtype));

            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path staging = Files.createTempDirectory(parent, "." + out.getFileName() + ".");
            try {
                HfFolderWriter.writeWeights(source.config(), source.weights(), dtype, staging.resolve("model.safetensors"));
                Path modelFolder = Files.isDirectory(source.model()) ? source.model() : null;
                if (convertedTokenizer == null) {
                    HfFolderWriter.copyTokenizerFiles(tokenizerSource, staging);
                } else {
                    Files.write(staging.resolve("tokenizer.json"), convertedTokenizer.tokenizerJson());
                    Files.write(staging.resolve("tokenizer_config.json"), convertedTokenizer.tokenizerConfigJson());
                    notes.add("the GGUF base's vocabulary was written as tokenizer.json and tokenizer_config.json "
                            + "(checked to tokenize as the GGUF does)");
                }
                HfFolderWriter.writeConfig(source.config(), modelFolder, dtype, staging.resolve("config.json"));
                List<Manifest.Artifact> artifacts = new ArrayList<>();
                try (Stream<Path> files = Files.list(staging)) {
                    for (Path f : files.sorted().toList()) {
                        artifacts.add(new Manifest.Artifact(f.getFileName().toString(), f, "hf-merged"));
                    }
                }
                ObjectNode details = Manifest.details();
                details.put("source", run.toAbsolutePath().toString());
                details.put("source_kind", source.kind().name().toLowerCase(java.util.Locale.ROOT));
                details.put("base_model", source.model().toAbsolutePath().toString());
                details.put("dtype", HfFolderWriter.torchName(dtype));
                byte[] manifest = Manifest.updated(staging, artifacts, details);
                AtomicFiles.write(staging.resolve(Manifest.FILE), o -> o.write(manifest));
                if (Files.exists(out)) Files.delete(out); // an empty folder, checked above
                try {
                    Files.move(staging, out, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(staging, out);
                }
            } finally {
                deleteTree(staging);
            }
            return new Outcome(out, dtype, source.kind(), notes);
        }
    }

    private static HfTokenizerFiles.Files convertedTokenizer(Path gguf, Path run) throws IOException {
        try (GgufFile file = GgufFile.open(gguf)) {
            return HfTokenizerFiles.fromGguf(file.metadata(), gguf.toString(),
                    file.metadata().getString("tokenizer.chat_template", null));
        } catch (BadInputException e) {
            throw new BadInputException(e.getMessage() + "; use 'tinyforge export " + run
                    + " --out FILE.gguf' to get a merged GGUF instead");
        }
    }

    /** The dtype of the base's weights; a quantized base merges to F16. */
    private static SafetensorsDtype baseDtype(WeightMatrix embedding, List<String> notes) {
        return switch (embedding.typeName()) {
            case "F32" -> SafetensorsDtype.F32;
            case "F16" -> SafetensorsDtype.F16;
            case "BF16" -> SafetensorsDtype.BF16;
            default -> {
                notes.add("the base is quantized (" + embedding.typeName() + "); the merged weights are written as F16");
                yield SafetensorsDtype.F16;
            }
        };
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    /** Removes a staging folder that is still there (after a failure); a moved one is gone already. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
