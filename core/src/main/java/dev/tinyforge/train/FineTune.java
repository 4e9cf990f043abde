package dev.tinyforge.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tinyforge.data.DatasetScanner;
import dev.tinyforge.data.Example;
import dev.tinyforge.model.HfCheckpointWriter;
import dev.tinyforge.model.LoadedModel;
import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.ModelLoader;
import dev.tinyforge.tokenizer.Tokenizer;
import dev.tinyforge.tokenizer.template.ChatTemplate;
import dev.tinyforge.tokenizer.template.ChatTemplateFiles;
import dev.tinyforge.util.AtomicFiles;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One fine-tuning run from settings to a run folder: load the model, read and tokenize the data,
 * train, and write the PEFT adapter, the tokenizer files, the resolved config.yaml,
 * trainer_state.json and logs/metrics.csv.
 */
public final class FineTune {
    /** What the data looks like once tokenized (also the whole output of a dry run). */
    public record DataReport(int trainSequences, int valSequences, long tokens, long supervisedTokens, int truncated,
                             int withoutTargets, int longest, String promptFormat, long estimatedBytes) {
        public double supervisedShare() {
            return tokens == 0 ? 0 : (double) supervisedTokens / tokens;
        }
    }

    /** Hears the data report before training starts, then the trainer's progress. */
    public interface Listener extends Trainer.Listener {
        default void data(DataReport report) {}
    }

    /** The run's outcome. */
    public record Outcome(DataReport data, Trainer.Result result, Path out) {}

    private FineTune() {}

    public static Outcome run(RunSettings s, Path out, boolean dryRun, Listener listener)
            throws IOException {
        if (!s.method().equals("lora") && !s.method().equals("full")) {
            throw new BadInputException("method '" + s.method() + "' is not built yet; lora and full are available today");
        }
        if (s.method().equals("lora") && s.loraDropout() > 0) {
            throw new BadInputException("lora_dropout " + s.loraDropout() + " is not built yet; train with lora_dropout 0");
        }
        Path modelPath = Path.of(s.model());
        try (LoadedModel model = ModelLoader.load(modelPath)) {
            Tokenizer tokenizer = dev.tinyforge.tokenizer.Tokenizers.load(modelPath);
            PromptFormat format = promptFormat(s, modelPath, tokenizer);
            var encoder = new ExampleEncoder(tokenizer, format, s.maxLength(), s.trainOnInputs());
            List<TokenizedExample> train = encode(Path.of(s.data()), encoder);
            List<TokenizedExample> val = s.valData() == null ? List.of() : encode(Path.of(s.valData()), encoder);
            Trainables trainables = s.method().equals("full") ? FullParameters.copyOf(model.weights())
                    : LoraAdapter.initialize(model.weights(), s.lora(), s.seed());
            DataReport report = report(train, val, format, model.config(), trainables, s);
            if (report.supervisedTokens() == 0) {
                throw new BadInputException(s.data() + ": no token is supervised (every answer was cut by max_length "
                        + s.maxLength() + ", or there are none)");
            }
            listener.data(report);
            if (dryRun) return new Outcome(report, null, out);

            Files.createDirectories(out.resolve("logs"));
            Path metrics = out.resolve("logs").resolve("metrics.csv");
            Trainer trainer = new Trainer(model.config(), trainables, s.training());
            Trainer.Result result;
            try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(metrics, StandardCharsets.UTF_8))) {
                csv.println("step,epoch,lr,train_loss,val_loss,grad_norm,tokens_per_second");
                result = trainer.train(train, val, new Trainer.Listener() {
                    @Override
                    public void step(Trainer.StepMetrics m, int totalSteps) {
                        csv.printf(Locale.ROOT, "%d,%.4f,%.6g,%.6f,%s,%.6f,%.1f%n", m.step(), m.epoch(), m.lr(), m.trainLoss(),
                                m.valLoss() == null ? "" : String.format(Locale.ROOT, "%.6f", m.valLoss()), m.gradNorm(),
                                m.tokensPerSecond());
                        csv.flush();
                        listener.step(m, totalSteps);
                    }

                    @Override
                    public void validation(int step, double valLoss, boolean best) {
                        listener.validation(step, valLoss, best);
                    }
                });
            }
            if (trainables instanceof LoraAdapter adapter) {
                PeftAdapterFiles.write(adapter, out, modelPath.toAbsolutePath().toString(), model.config());
            } else {
                HfCheckpointWriter.write(model.config(), trainables.weights(), out);
                // An HF base's own config.json keeps fields we do not model (token ids, dtype notes).
                for (String name : new String[] {"config.json", "generation_config.json"}) {
                    Path source = modelPath.resolve(name);
                    if (Files.isDirectory(modelPath) && Files.exists(source)) {
                        Files.copy(source, out.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            copyTokenizerFiles(modelPath, out);
            AtomicFiles.write(out.resolve("config.yaml"), o -> o.write(s.toYaml().getBytes(StandardCharsets.UTF_8)));
            writeTrainerState(out, result, report);
            return new Outcome(report, result, out);
        }
    }

    /** The prompt format a run uses: the model's chat template, ChatML or the plain format, per prompt_format. */
    public static PromptFormat promptFormat(RunSettings s, Path model, Tokenizer tokenizer) throws IOException {
        String bos = tokenizer.bos() >= 0 ? tokenizer.piece(tokenizer.bos()) : null;
        String eos = tokenizer.eos() >= 0 ? tokenizer.piece(tokenizer.eos()) : null;
        return switch (s.promptFormat()) {
            case "plain" -> new PromptFormat.Plain();
            case "chatml" -> new PromptFormat.Template(ChatTemplate.CHATML, bos, eos);
            case "template", "auto" -> {
                var template = ChatTemplateFiles.fromModel(model);
                if (template.isPresent()) yield new PromptFormat.Template(template.get(), bos, eos);
                if (s.promptFormat().equals("template")) {
                    throw new BadInputException(model + ": prompt_format template, but the model has no chat template");
                }
                yield new PromptFormat.Plain();
            }
            default -> throw new BadInputException("prompt_format must be auto, template, chatml or plain, got '"
                    + s.promptFormat() + "'");
        };
    }

    private static List<TokenizedExample> encode(Path file, ExampleEncoder encoder) throws IOException {
        List<TokenizedExample> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        DatasetScanner.scan(file, DatasetScanner.Options.defaults(), new DatasetScanner.Listener() {
            @Override
            public void record(long line, Example example, String text) {
                out.add(encoder.encode(example));
            }

            @Override
            public void badLine(long line, String reason) {
                problems.add(file + ":" + line + ": " + reason);
            }
        });
        if (!problems.isEmpty()) {
            throw new BadInputException(problems.getFirst() + (problems.size() > 1 ? " (and " + (problems.size() - 1)
                    + " more bad lines; 'tinyforge data validate' lists them)" : ""));
        }
        if (out.isEmpty()) throw new BadInputException(file + ": no records");
        return out;
    }

    private static DataReport report(List<TokenizedExample> train, List<TokenizedExample> val, PromptFormat format,
                                     ModelConfig c, Trainables trainables, RunSettings s) {
        long tokens = 0, supervised = 0;
        int truncated = 0, none = 0, longest = 0;
        for (TokenizedExample e : train) {
            tokens += e.length();
            supervised += e.targetCount();
            if (e.truncated()) truncated++;
            if (e.targetCount() == 0) none++;
            longest = Math.max(longest, e.length());
        }
        String name = switch (format) {
            case PromptFormat.Plain p -> "plain";
            case PromptFormat.Template t -> "chat template " + t.template().name();
        };
        // Activations kept per sequence for the backward pass, plus LoRA weights, gradients and AdamW moments.
        long perToken = (long) c.layers() * (6L * c.hiddenSize() + 3L * c.intermediateSize() + 2L * c.queryDim()
                + 2L * c.kvDim() + (long) c.heads() * longest) * 4;
        long estimated = perToken * longest + trainables.parameterCount() * 16 + 64L * longest * c.vocabSize();
        return new DataReport(train.size(), val.size(), tokens, supervised, truncated, none, longest, name, estimated);
    }

    private static void copyTokenizerFiles(Path model, Path out) throws IOException {
        if (!Files.isDirectory(model)) return;
        for (String name : new String[] {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                "chat_template.jinja", "tokenizer.model"}) {
            Path source = model.resolve(name);
            if (Files.exists(source)) Files.copy(source, out.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void writeTrainerState(Path out, Trainer.Result result, DataReport report) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode state = json.createObjectNode();
        state.put("global_step", result.steps());
        state.put("final_train_loss", result.finalTrainLoss());
        if (result.bestValLoss() != null) {
            state.put("best_val_loss", result.bestValLoss());
            state.put("best_step", result.bestStep());
        }
        state.put("stopped_early", result.stoppedEarly());
        state.put("trained_tokens", result.trainedTokens());
        state.put("train_sequences", report.trainSequences());
        state.put("supervised_share", report.supervisedShare());
        AtomicFiles.write(out.resolve("trainer_state.json"), o -> o.write(json.writeValueAsBytes(state)));
    }
}
