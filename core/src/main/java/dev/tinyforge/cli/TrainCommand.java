package dev.tinyforge.cli;

import dev.tinyforge.train.Checkpoints;
import dev.tinyforge.train.FineTune;
import dev.tinyforge.train.RunSettings;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tinyforge train}: fine-tunes a model on a JSONL file into a run folder. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fine-tune a model on a JSONL dataset with LoRA, QLoRA or full fine-tuning.",
                "Writes a run folder: adapter_model.safetensors + adapter_config.json (PEFT), tokenizer files,",
                "config.yaml, trainer_state.json, logs/metrics.csv and loss.png. Flags override --config.",
                "Ctrl-C finishes the current step, writes a checkpoint and tells how to resume."})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE.yaml", description = "Settings file; flags override it.")
    Path config;
    @Option(names = "--model", paramLabel = "MODEL", description = "Base model: HF folder.")
    String model;
    @Option(names = "--data", paramLabel = "FILE", description = "Training JSONL.")
    String data;
    @Option(names = "--val", paramLabel = "FILE", description = "Validation JSONL (validation loss, early stopping).")
    String val;
    @Option(names = "--out", defaultValue = "runs/train", paramLabel = "DIR", description = "Run folder (default: ${DEFAULT-VALUE}).")
    Path out;
    @Option(names = "--method", description = "lora (default), qlora (base held as 4-bit blocks) or full.")
    String method;
    @Option(names = "--qlora-type", description = "How qlora holds the base projections: q4_0 (default), q4_k (q5_0 for rows not whole 256-blocks) or q8_0.")
    String qloraType;
    @Option(names = "--init-adapter", paramLabel = "DIR",
            description = "Continue training this PEFT adapter (rank, alpha and targets come from its adapter_config.json).")
    String initAdapter;
    @Option(names = "--lora-r") Integer loraR;
    @Option(names = "--lora-alpha") Double loraAlpha;
    @Option(names = "--lora-dropout", description = "Dropout on the LoRA branch's input, in training only (PEFT's; default 0).")
    Double loraDropout;
    @Option(names = "--target-modules", description = "q_proj,k_proj,... or all-linear (default).") String targetModules;
    @Option(names = "--rslora", arity = "0..1", fallbackValue = "true") Boolean rslora;
    @Option(names = {"--lr", "--learning-rate"}) Double learningRate;
    @Option(names = "--schedule", description = "constant, linear or cosine (default).") String schedule;
    @Option(names = "--warmup-ratio") Double warmupRatio;
    @Option(names = "--batch-size") Integer batchSize;
    @Option(names = {"--grad-accum", "--gradient-accumulation"}) Integer gradientAccumulation;
    @Option(names = "--epochs") Integer epochs;
    @Option(names = "--max-steps") Integer maxSteps;
    @Option(names = "--seed") Long seed;
    @Option(names = "--weight-decay") Double weightDecay;
    @Option(names = "--max-grad-norm") Double maxGradNorm;
    @Option(names = "--eval-every") Integer evalEvery;
    @Option(names = "--patience") Integer patience;
    @Option(names = "--max-length") Integer maxLength;
    @Option(names = "--train-on-inputs", arity = "0..1", fallbackValue = "true") Boolean trainOnInputs;
    @Option(names = "--packing", arity = "0..1", fallbackValue = "true",
            description = "Pack short sequences into rows of up to max_length (each still sees only itself).")
    Boolean packing;
    @Option(names = "--gradient-checkpointing", arity = "0..1", fallbackValue = "true",
            description = "Keep only each layer's input and recompute its activations in the backward pass: about a "
                    + "third more compute, activation memory of one layer instead of all (same gradients).")
    Boolean gradientCheckpointing;
    @Option(names = "--prompt-format", description = "auto (template if the model has one, else plain), template, chatml or plain.")
    String promptFormat;
    @Option(names = "--save-steps", paramLabel = "N",
            description = "Write a checkpoint every N steps into DIR/checkpoints/step-N (default 0: only on Ctrl-C).")
    Integer saveSteps;
    @Option(names = "--save-total-limit", paramLabel = "N", description = "Checkpoints to keep, newest first (default 3; 0: all).")
    Integer saveTotalLimit;
    @Option(names = "--resume", arity = "0..1", fallbackValue = "", paramLabel = "DIR",
            description = "Continue from a checkpoint folder (default: the latest under --out) to the same result.")
    String resume;
    @Option(names = "--dry-run", description = "Tokenize and report; train nothing, write nothing.")
    boolean dryRun;

    /** The exit code of a run stopped by Ctrl-C (128 + SIGINT, as shells report it). */
    static final int INTERRUPTED = 130;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ThreadsOption threadsOption;

    @Override
    public Integer call() throws IOException {
        threadsOption.apply();
        PrintWriter o = spec.commandLine().getOut();
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put("model", model);
        flags.put("data", data);
        flags.put("val_data", val);
        flags.put("method", method);
        flags.put("lora_r", loraR);
        flags.put("lora_alpha", loraAlpha);
        flags.put("lora_dropout", loraDropout);
        flags.put("target_modules", targetModules);
        flags.put("rslora", rslora);
        flags.put("learning_rate", learningRate);
        flags.put("schedule", schedule);
        flags.put("warmup_ratio", warmupRatio);
        flags.put("batch_size", batchSize);
        flags.put("gradient_accumulation", gradientAccumulation);
        flags.put("epochs", epochs);
        flags.put("max_steps", maxSteps);
        flags.put("seed", seed);
        flags.put("weight_decay", weightDecay);
        flags.put("max_grad_norm", maxGradNorm);
        flags.put("eval_every", evalEvery);
        flags.put("patience", patience);
        flags.put("max_length", maxLength);
        flags.put("train_on_inputs", trainOnInputs);
        flags.put("prompt_format", promptFormat);
        flags.put("init_adapter", initAdapter);
        flags.put("qlora_type", qloraType);
        flags.put("save_steps", saveSteps);
        flags.put("save_total_limit", saveTotalLimit);
        flags.put("packing", packing);
        flags.put("gradient_checkpointing", gradientCheckpointing);
        RunSettings settings = RunSettings.resolve(config, flags);
        Path checkpoint = resume == null ? null : checkpoint(resume.isEmpty() ? out : Path.of(resume));

        PrintWriter err = spec.commandLine().getErr();
        var reporter = new TrainingReporter(o, err, "", 2, settings.maxLength());
        // Ctrl-C: the hook asks the trainer to stop and holds the JVM open until the checkpoint is written.
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.set(true);
            err.println("stopping: finishing the current step and writing a checkpoint...");
            err.flush();
            try {
                finished.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tinyforge-train-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            var outcome = FineTune.run(settings, out, new FineTune.Options(dryRun, checkpoint, stop::get), reporter);
            var d = outcome.data();
            if (dryRun) {
                o.printf(Locale.ROOT, "dry run: about %s in all (%s); nothing trained or written%n",
                        InspectCommand.bytes(d.estimatedBytes()), d.memory().describe());
                return Main.OK;
            }
            var r = outcome.result();
            if (outcome.interrupted()) {
                // Nothing else here: the JVM is shutting down (no plot: drawing may register shutdown hooks, which
                // fails now; the resumed run draws the whole curve).
                err.printf(Locale.ROOT, "interrupted at step %d: checkpoint in %s%n"
                        + "continue with the same command plus --resume (it takes the latest checkpoint of --out)%n",
                        r.steps(), outcome.checkpoint());
                err.flush();
                return INTERRUPTED;
            }
            reporter.writePlot(out.resolve("loss.png"));
            o.printf(Locale.ROOT, "done: %d steps, final train loss %.4f%s -> %s%n", r.steps(), r.finalTrainLoss(),
                    r.bestValLoss() == null ? "" : String.format(Locale.ROOT, ", best validation loss %.4f at step %d",
                            r.bestValLoss(), r.bestStep()), out);
            return Main.OK;
        } catch (IOException | RuntimeException e) {
            // While Ctrl-C shuts the JVM down, picocli would not get to print this: say it here.
            if (stop.get()) {
                err.println("error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
                err.flush();
            }
            throw e;
        } finally {
            o.flush();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down (Ctrl-C): the hook is running and now returns
            }
        }
    }

    /** A checkpoint folder, or the latest checkpoint of a run folder. */
    private static Path checkpoint(Path dir) throws IOException {
        if (java.nio.file.Files.isRegularFile(dir.resolve("trainer_state.json")) && dir.getParent() != null
                && dir.getParent().getFileName().toString().equals(Checkpoints.FOLDER)) {
            return dir;
        }
        return Checkpoints.latest(dir).orElseThrow(() -> new BadInputException("--resume: no checkpoint under "
                + dir.resolve(Checkpoints.FOLDER)));
    }
}
