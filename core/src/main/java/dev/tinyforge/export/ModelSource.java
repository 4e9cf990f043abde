package dev.tinyforge.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.model.LoadedModel;
import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.ModelLoader;
import dev.tinyforge.model.ModelWeights;
import dev.tinyforge.tokenizer.Tokenizer;
import dev.tinyforge.tokenizer.Tokenizers;
import dev.tinyforge.train.FineTune;
import dev.tinyforge.train.LoraAdapter;
import dev.tinyforge.train.PeftAdapterFiles;
import dev.tinyforge.train.PromptFormat;
import dev.tinyforge.train.RunSettings;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What an export or merge starts from, resolved once: a model (HF folder or GGUF file), a full
 * fine-tuning run (an HF folder with the run's config.yaml), or a LoRA run (a PEFT adapter folder
 * whose base is found through {@code --base}, the run's config.yaml or adapter_config.json). For a
 * LoRA run the weights are the merged ones; {@link #adapter} keeps the unmerged adapter.
 */
public final class ModelSource implements AutoCloseable {
    /** The three things a source can be. */
    public enum Kind { MODEL, FULL_RUN, LORA_RUN }

    private final Path path;
    private final Kind kind;
    private final Path model;
    private final LoadedModel loaded;
    private final LoraAdapter adapter;
    private final ModelWeights weights;
    private final RunSettings settings;

    private ModelSource(Path path, Kind kind, Path model, LoadedModel loaded, LoraAdapter adapter, ModelWeights weights,
                        RunSettings settings) {
        this.path = path;
        this.kind = kind;
        this.model = model;
        this.loaded = loaded;
        this.adapter = adapter;
        this.weights = weights;
        this.settings = settings;
    }

    /**
     * Opens {@code source}.
     *
     * @param baseOverride the base model of a LoRA run, or null to take the one the run names
     */
    public static ModelSource open(Path source, Path baseOverride) throws IOException {
        if (!Files.exists(source)) throw new BadInputException(source + ": no such file or folder");
        RunSettings settings = Files.isDirectory(source) ? settings(source) : null;
        if (Files.isDirectory(source) && Files.exists(source.resolve(PeftAdapterFiles.CONFIG))) {
            Path base = baseOverride != null ? baseOverride : base(source, settings);
            LoadedModel loaded = ModelLoader.load(base);
            try {
                LoraAdapter adapter = PeftAdapterFiles.read(source, loaded.weights(), loaded.config());
                return new ModelSource(source, Kind.LORA_RUN, base, loaded, adapter, LoraMerge.merge(adapter), settings);
            } catch (RuntimeException | IOException e) {
                loaded.close();
                throw e;
            }
        }
        if (baseOverride != null) {
            throw new BadInputException(source + ": --base is only for LoRA runs (folders with " + PeftAdapterFiles.CONFIG
                    + "); this is a model");
        }
        LoadedModel loaded = ModelLoader.load(source);
        return new ModelSource(source, settings != null ? Kind.FULL_RUN : Kind.MODEL, source, loaded, null,
                loaded.weights(), settings);
    }

    private static RunSettings settings(Path dir) throws IOException {
        Path file = dir.resolve("config.yaml");
        return Files.isRegularFile(file) ? RunSettings.resolve(file, Map.of()) : null;
    }

    /** The base of a LoRA run: the run's model setting, else adapter_config.json's base_model_name_or_path. */
    private static Path base(Path run, RunSettings settings) throws IOException {
        if (settings != null && Files.exists(Path.of(settings.model()))) return Path.of(settings.model());
        JsonNode config = new ObjectMapper().readTree(run.resolve(PeftAdapterFiles.CONFIG).toFile());
        String named = config.path("base_model_name_or_path").asText("");
        if (!named.isEmpty() && Files.exists(Path.of(named))) return Path.of(named);
        throw new BadInputException(run + ": the base model of this LoRA run ("
                + (settings != null ? settings.model() : named.isEmpty() ? "not named" : named)
                + ") is not here; give it with --base MODEL");
    }

    public Path path() {
        return path;
    }

    public Kind kind() {
        return kind;
    }

    /** The model whose weights are loaded: the base of a LoRA run, else the source itself. */
    public Path model() {
        return model;
    }

    public LoadedModel loaded() {
        return loaded;
    }

    public ModelConfig config() {
        return loaded.config();
    }

    /** The weights to export: merged for a LoRA run. */
    public ModelWeights weights() {
        return weights;
    }

    /** The unmerged adapter of a LoRA run. */
    public Optional<LoraAdapter> adapter() {
        return Optional.ofNullable(adapter);
    }

    /** The run's settings (config.yaml), when the source is a run. */
    public Optional<RunSettings> settings() {
        return Optional.ofNullable(settings);
    }

    /**
     * Where the tokenizer and chat template live: the model itself, or for a run whose folder has no
     * tokenizer.json (a GGUF base), the model the run trained.
     */
    public Path tokenizerSource() {
        if (kind == Kind.LORA_RUN) return model;
        if (Files.isDirectory(path) && !Files.exists(path.resolve("tokenizer.json")) && settings != null) {
            return Path.of(settings.model());
        }
        return path;
    }

    public Tokenizer tokenizer() {
        return Tokenizers.load(tokenizerSource());
    }

    /** The prompt format the run trained with; for a plain model, its chat template (empty without one). */
    public Optional<PromptFormat> promptFormat(Tokenizer tokenizer) throws IOException {
        if (settings != null) return Optional.of(FineTune.promptFormat(settings, tokenizerSource(), tokenizer));
        var template = dev.tinyforge.tokenizer.template.ChatTemplateFiles.fromModel(tokenizerSource());
        String bos = tokenizer.bos() >= 0 ? tokenizer.piece(tokenizer.bos()) : null;
        String eos = tokenizer.eos() >= 0 ? tokenizer.piece(tokenizer.eos()) : null;
        return template.map(t -> new PromptFormat.Template(t, bos, eos));
    }

    /** A name for general.name: the run's or model's file name. */
    public String name() {
        String file = path.toAbsolutePath().normalize().getFileName().toString();
        return file.endsWith(".gguf") ? file.substring(0, file.length() - 5) : file;
    }

    @Override
    public void close() {
        loaded.close();
    }
}
