package dev.tinyforge.serve;

import dev.tinyforge.generate.ChatPrompt;
import dev.tinyforge.model.LoadedModel;
import dev.tinyforge.model.ModelLoader;
import dev.tinyforge.model.ModelSummary;
import dev.tinyforge.model.ModelWeights;
import dev.tinyforge.model.Transformer;
import dev.tinyforge.tokenizer.Tokenizer;
import dev.tinyforge.tokenizer.Tokenizers;
import dev.tinyforge.tokenizer.template.ChatTemplate;
import dev.tinyforge.tokenizer.template.ChatTemplateFiles;
import dev.tinyforge.train.FineTune;
import dev.tinyforge.train.PeftAdapterFiles;
import dev.tinyforge.train.PromptFormat;
import dev.tinyforge.train.RunSettings;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The model a server serves: weights (plus a PEFT adapter from a run folder, applied unmerged),
 * tokenizer, chat template for the chat endpoints, and the prompt format of the task endpoint (the
 * run's own, from its {@code config.yaml}, so a task model answers as it was trained).
 *
 * @param chatPrompt  the model's chat template, or ChatML when it has none ({@link ChatPrompt#isFallback()})
 * @param taskFormat  how {@code /predict} turns an input into a prompt
 * @param taskFormatOrigin where {@code taskFormat} came from, for messages
 * @param summary     what the model files hold (types, sizes), for the model listings
 * @param adapter     the run folder whose adapter is applied, or null
 */
public record ServedModel(String name, Path source, Path adapter, Transformer transformer, Tokenizer tokenizer,
                          ChatPrompt chatPrompt, PromptFormat taskFormat, String taskFormatOrigin,
                          ModelSummary summary, Instant modified, AutoCloseable files) implements AutoCloseable {

    /**
     * Loads {@code model} (HF folder or GGUF file) and, with {@code adapterRun}, the LoRA adapter of that
     * run folder over it.
     *
     * @param maxContext tokens per sequence, capped by the model's own context length
     */
    public static ServedModel load(Path model, Path adapterRun, int maxContext) throws IOException {
        if (Files.isDirectory(model) && Files.exists(model.resolve(PeftAdapterFiles.CONFIG))
                && !Files.exists(model.resolve("config.json"))) {
            throw new BadInputException(model + " holds a LoRA adapter, not a model: serve its base model with --adapter "
                    + model);
        }
        LoadedModel loaded = ModelLoader.load(model);
        try {
            Tokenizer tokenizer = Tokenizers.load(model);
            ModelWeights weights = loaded.weights();
            Path runConfig = null;
            if (adapterRun != null) {
                weights = PeftAdapterFiles.read(adapterRun, loaded.weights(), loaded.config()).adapted();
                runConfig = adapterRun.resolve("config.yaml");
            } else if (Files.isDirectory(model)) {
                runConfig = model.resolve("config.yaml");
            }
            int context = Math.min(maxContext, loaded.config().contextLength());
            Transformer transformer = new Transformer(loaded.config(), weights, context);
            Optional<ChatTemplate> template = ChatTemplateFiles.fromModel(model);
            ChatPrompt chat = ChatPrompt.of(template.orElse(null), tokenizer);
            PromptFormat task;
            String origin;
            if (runConfig != null && Files.isRegularFile(runConfig)) {
                RunSettings settings = RunSettings.resolve(runConfig, Map.of());
                task = FineTune.promptFormat(settings, model, tokenizer);
                origin = "prompt_format " + settings.promptFormat() + " of " + runConfig;
            } else {
                // What `tinyforge train` picks by default (prompt_format auto): the template, else the plain format.
                String bos = tokenizer.bos() >= 0 ? tokenizer.piece(tokenizer.bos()) : null;
                String eos = tokenizer.eos() >= 0 ? tokenizer.piece(tokenizer.eos()) : null;
                task = template.<PromptFormat>map(t -> new PromptFormat.Template(t, bos, eos)).orElseGet(PromptFormat.Plain::new);
                origin = "prompt_format auto (no run config.yaml beside the model)";
            }
            String name = nameOf(model) + (adapterRun == null ? "" : "-" + nameOf(adapterRun.toAbsolutePath().normalize()));
            return new ServedModel(name, model, adapterRun, transformer, tokenizer, chat, task, origin, ModelSummary.of(model),
                    Files.getLastModifiedTime(adapterRun != null ? adapterRun : model).toInstant(), loaded);
        } catch (IOException | RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    private static String nameOf(Path path) {
        String file = path.toAbsolutePath().normalize().getFileName().toString();
        return file.endsWith(".gguf") ? file.substring(0, file.length() - 5) : file;
    }

    /** Bytes of the weights (and the adapter's), as the model listings report sizes. */
    public long sizeBytes() {
        long bytes = summary.tensorBytes();
        if (adapter != null) {
            try {
                bytes += Files.size(adapter.resolve(PeftAdapterFiles.WEIGHTS));
            } catch (IOException e) {
                // the adapter was read at load; a file gone since only loses it from the size
            }
        }
        return bytes;
    }

    @Override
    public void close() {
        try {
            files.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not close " + source, e);
        }
    }
}
