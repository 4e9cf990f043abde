package dev.tinyforge.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tinyforge.data.DatasetScanner;
import dev.tinyforge.data.Example;
import dev.tinyforge.model.HfCheckpointWriter;
import dev.tinyforge.model.LoadedModel;
import dev.tinyforge.model.ModelLoader;
import dev.tinyforge.quant.GgmlType;
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
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * One fine-tuning run from settings to a run folder: load the model, read and tokenize the data,
 * train, and write the PEFT adapter, the tokenizer files, the resolved config.yaml,
 * trainer_state.json and logs/metrics.csv.
 */
public final class FineTune {
    /**
     * What the data looks like once tokenized (also the whole output of a dry run).
     *
     * @param longest the longest training or validation sequence
     * @param packing what packing did, or null without packing
     */
    public record DataReport(int trainSequences, int valSequences, long tokens, long supervisedTokens, int truncated,
                             int withoutTargets, int longest, String promptFormat, MemoryEstimate memory,
                             Packing.Stats packing) {
        /** The memory the run is expected to take, all parts together. */
        public long estimatedBytes() {
            return memory.total();
        }

        public double supervisedShare() {
            return tokens == 0 ? 0 : (double) supervisedTokens / tokens;
        }
    }

    /** Hears the data report before training starts, then the trainer's progress. */
    public interface Listener extends Trainer.Listener {
        default void data(DataReport report) {}

        /** A resumed run starts after {@code step}; {@code history} holds the steps logged up to it. */
        default void resumed(int step, int totalSteps, Path checkpoint, List<Trainer.StepMetrics> history) {}
    }

    /**
     * How to run: a dry run only reports; {@code resume} names a checkpoint folder to continue from;
     * once {@code stopRequested} says so, the run stops after the current step with a checkpoint.
     */
    public record Options(boolean dryRun, Path resume, BooleanSupplier stopRequested) {
        public static Options of(boolean dryRun) {
            return new Options(dryRun, null, () -> false);
        }
    }

    /**
     * The run's outcome.
     *
     * @param checkpoint the checkpoint an interrupted run left (null otherwise)
     */
    public record Outcome(DataReport data, Trainer.Result result, Path out, Path checkpoint) {
        public boolean interrupted() {
            return result != null && result.interrupted();
        }
    }

    /** Settings that may change between a checkpoint and its resumption (paths are checked by content). */
    /** Settings a resumed run may change: where things are, how often to save, and what does not change results. */
    private static final Set<String> FREE_ON_RESUME = Set.of("model", "data", "val_data", "init_adapter", "save_steps",
            "save_total_limit", "gradient_checkpointing");
    private static final String METRICS_HEADER = "step,epoch,lr,train_loss,val_loss,grad_norm,tokens_per_second";

    private FineTune() {}

    public static Outcome run(RunSettings s, Path out, boolean dryRun, Listener listener) throws IOException {
        return run(s, out, Options.of(dryRun), listener);
    }

    public static Outcome run(RunSettings s, Path out, Options options, Listener listener) throws IOException {
        String method = s.method();
        if (!List.of("lora", "qlora", "full").contains(method)) {
            throw new BadInputException("method must be lora, qlora or full, got '" + method + "'");
        }
        if (method.equals("full") && s.initAdapter() != null) {
            throw new BadInputException("init_adapter continues a LoRA adapter; it does not apply to method full");
        }
        GgmlType qloraType = QloraBase.parseType(s.qloraType());
        if (options.resume() != null) checkSameRun(s, options.resume());
        Path modelPath = Path.of(s.model());
        try (LoadedModel model = ModelLoader.load(modelPath)) {
            Tokenizer tokenizer = dev.tinyforge.tokenizer.Tokenizers.load(modelPath);
            PromptFormat format = promptFormat(s, modelPath, tokenizer);
            var encoder = new ExampleEncoder(tokenizer, format, s.maxLength(), s.trainOnInputs());
            List<TokenizedExample> train = encode(Path.of(s.data()), encoder);
            List<TokenizedExample> val = s.valData() == null ? List.of() : encode(Path.of(s.valData()), encoder);
            if (train.stream().allMatch(e -> e.targetCount() == 0)) {
                throw new BadInputException(s.data() + ": no token is supervised (every answer was cut by max_length "
                        + s.maxLength() + ", or there are none)");
            }
            // Packing puts the sequences that have targets into rows of up to max_length tokens.
            List<TokenizedExample> rows = s.packing() ? Packing.pack(Trainer.usable(train), s.maxLength()) : train;
            DataReport report = report(train, rows, val, format, model, s, qloraType);
            listener.data(report);
            if (options.dryRun()) return new Outcome(report, null, out, null);

            Trainables trainables = trainables(s, model, qloraType);
            TrainingState resume = options.resume() == null ? null : Checkpoints.read(options.resume());
            Files.createDirectories(out.resolve("logs"));
            Path metrics = out.resolve("logs").resolve("metrics.csv");
            if (resume != null) {
                int step = resume.position().step();
                listener.resumed(step, resume.position().totalSteps(), options.resume(), keepMetricsUpTo(metrics, step));
            } else {
                Files.writeString(metrics, METRICS_HEADER + "\n");
                deleteTree(out.resolve(Checkpoints.FOLDER)); // an earlier run's, which this one replaces
            }
            Checkpoints checkpoints = new Checkpoints(out, s.saveTotalLimit());
            Path[] lastCheckpoint = {null};
            Trainer.CheckpointSink sink = state -> lastCheckpoint[0] = checkpoints.save(state, dir -> {
                if (trainables instanceof LoraAdapter adapter) {
                    PeftAdapterFiles.write(adapter, dir, modelPath.toAbsolutePath().toString(), model.config());
                }
                AtomicFiles.write(dir.resolve("config.yaml"), o -> o.write(s.toYaml().getBytes(StandardCharsets.UTF_8)));
            });
            Trainer trainer = new Trainer(model.config(), trainables, s.training(), s.gradientCheckpointing());
            Trainer.Result result;
            try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(metrics, StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND))) {
                result = trainer.train(rows, val, new Trainer.Options(resume, s.saveSteps(), sink, options.stopRequested()),
                        new Trainer.Listener() {
                            @Override
                            public void step(Trainer.StepMetrics m, int totalSteps) {
                                csv.println(csvRow(m));
                                csv.flush();
                                listener.step(m, totalSteps);
                            }

                            @Override
                            public void validation(int step, double valLoss, boolean best) {
                                listener.validation(step, valLoss, best);
                            }
                        });
            }
            if (result.interrupted()) return new Outcome(report, result, out, lastCheckpoint[0]);
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
            return new Outcome(report, result, out, null);
        }
    }

    /** What the run trains: a fresh or given LoRA adapter over the (possibly quantized) base, or every weight. */
    private static Trainables trainables(RunSettings s, LoadedModel model, GgmlType qloraType) throws IOException {
        if (s.method().equals("full")) return FullParameters.copyOf(model.weights());
        var base = s.method().equals("qlora") ? QloraBase.quantize(model.weights(), qloraType) : model.weights();
        if (s.initAdapter() == null) return LoraAdapter.initialize(base, s.lora(), s.seed());
        return PeftAdapterFiles.read(Path.of(s.initAdapter()), base, model.config()).withConfig(s.lora());
    }

    /** Refuses to resume a checkpoint under settings that would make another run than the one it came from. */
    private static void checkSameRun(RunSettings s, Path checkpoint) throws IOException {
        Path file = checkpoint.resolve("config.yaml");
        if (!Files.isRegularFile(checkpoint.resolve(Checkpoints.STATE)) || !Files.isRegularFile(file)) {
            throw new BadInputException(checkpoint + ": not a checkpoint folder (expected " + Checkpoints.STATE
                    + " and config.yaml in it)");
        }
        Map<?, ?> saved;
        try {
            saved = RunSettings.YAML.readValue(file.toFile(), Map.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadInputException(file + ": invalid YAML: " + e.getOriginalMessage());
        }
        Map<?, ?> now = RunSettings.YAML.convertValue(s, Map.class);
        for (var e : now.entrySet()) {
            if (FREE_ON_RESUME.contains(String.valueOf(e.getKey()))) continue;
            // A setting newer than the checkpoint had its default value there.
            Object before = saved != null && saved.containsKey(e.getKey()) ? saved.get(e.getKey())
                    : RunSettings.defaults().get(String.valueOf(e.getKey()));
            String was = String.valueOf(before), is = String.valueOf(e.getValue());
            if (!was.equals(is)) {
                throw new BadInputException("cannot resume " + checkpoint + ": it was made with " + e.getKey() + " " + was
                        + ", this run has " + is + " (give the settings of its config.yaml)");
            }
        }
    }

    /** Keeps the header and the rows of steps up to {@code step} in metrics.csv, and returns those rows. */
    private static List<Trainer.StepMetrics> keepMetricsUpTo(Path metrics, int step) throws IOException {
        List<String> kept = new ArrayList<>(List.of(METRICS_HEADER));
        List<Trainer.StepMetrics> history = new ArrayList<>();
        if (Files.exists(metrics)) {
            List<String> lines = Files.readAllLines(metrics, StandardCharsets.UTF_8);
            for (int i = 1; i < lines.size(); i++) {
                Trainer.StepMetrics m = parseRow(lines.get(i));
                if (m == null || m.step() > step) continue;
                kept.add(lines.get(i));
                history.add(m);
            }
        }
        AtomicFiles.write(metrics, o -> o.write((String.join("\n", kept) + "\n").getBytes(StandardCharsets.UTF_8)));
        return history;
    }

    private static String csvRow(Trainer.StepMetrics m) {
        return String.format(Locale.ROOT, "%d,%.4f,%.6g,%.6f,%s,%.6f,%.1f", m.step(), m.epoch(), m.lr(), m.trainLoss(),
                m.valLoss() == null ? "" : String.format(Locale.ROOT, "%.6f", m.valLoss()), m.gradNorm(), m.tokensPerSecond());
    }

    private static Trainer.StepMetrics parseRow(String line) {
        String[] f = line.split(",", -1);
        if (f.length != 7) return null;
        try {
            return new Trainer.StepMetrics(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Double.parseDouble(f[5]), Double.parseDouble(f[6]),
                    f[4].isEmpty() ? null : Double.parseDouble(f[4]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
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

    private static DataReport report(List<TokenizedExample> train, List<TokenizedExample> rows, List<TokenizedExample> val,
                                     PromptFormat format, LoadedModel model, RunSettings s, GgmlType qloraType) {
        long tokens = 0, supervised = 0;
        int truncated = 0, none = 0, longest = 0;
        for (TokenizedExample e : train) {
            tokens += e.length();
            supervised += e.targetCount();
            if (e.truncated()) truncated++;
            if (e.targetCount() == 0) none++;
            longest = Math.max(longest, e.length());
        }
        for (TokenizedExample e : val) longest = Math.max(longest, e.length());
        int longestRow = longest; // what Backprop is sized for: a packed row may be longer than any sequence
        for (TokenizedExample e : rows) longestRow = Math.max(longestRow, e.length());
        String name = switch (format) {
            case PromptFormat.Plain p -> "plain";
            case PromptFormat.Template t -> "chat template " + t.template().name();
        };
        MemoryEstimate estimated = MemoryEstimate.forRun(model.config(), model.weights(), s.method(),
                s.method().equals("full") ? null : s.lora(), qloraType, longestRow, !val.isEmpty(), s.gradientCheckpointing());
        Packing.Stats packing = s.packing() ? Packing.stats(Trainer.usable(train), rows, s.maxLength()) : null;
        return new DataReport(train.size(), val.size(), tokens, supervised, truncated, none, longest, name, estimated, packing);
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
        if (report.packing() != null) state.put("packed_rows", report.packing().rows());
        state.put("supervised_share", report.supervisedShare());
        AtomicFiles.write(out.resolve("trainer_state.json"), o -> o.write(json.writeValueAsBytes(state)));
    }
}
