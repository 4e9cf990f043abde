package dev.tinyforge.cli;

import dev.tinyforge.train.FineTune;
import dev.tinyforge.train.RunSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tinyforge train}: fine-tunes a model on a JSONL file into a run folder. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fine-tune a model on a JSONL dataset with LoRA or full fine-tuning (QLoRA is not built yet).",
                "Writes a run folder: adapter_model.safetensors + adapter_config.json (PEFT), tokenizer files,",
                "config.yaml, trainer_state.json, logs/metrics.csv and loss.png. Flags override --config."})
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
    @Option(names = "--method", description = "lora (default) or full.")
    String method;
    @Option(names = "--lora-r") Integer loraR;
    @Option(names = "--lora-alpha") Double loraAlpha;
    @Option(names = "--lora-dropout") Double loraDropout;
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
    @Option(names = "--prompt-format", description = "auto (template if the model has one, else plain), template, chatml or plain.")
    String promptFormat;
    @Option(names = "--dry-run", description = "Tokenize and report; train nothing, write nothing.")
    boolean dryRun;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
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
        RunSettings settings = RunSettings.resolve(config, flags);

        var reporter = new TrainingReporter(o, spec.commandLine().getErr(), "", 2, settings.maxLength());
        var outcome = FineTune.run(settings, out, dryRun, reporter);
        var d = outcome.data();
        if (dryRun) {
            o.printf(Locale.ROOT, "dry run: about %s for activations, gradients and optimizer state (weights stay mapped); nothing trained or written%n",
                    InspectCommand.bytes(d.estimatedBytes()));
            return Main.OK;
        }
        reporter.writePlot(out.resolve("loss.png"));
        var r = outcome.result();
        o.printf(Locale.ROOT, "done: %d steps, final train loss %.4f%s -> %s%n", r.steps(), r.finalTrainLoss(),
                r.bestValLoss() == null ? "" : String.format(Locale.ROOT, ", best validation loss %.4f at step %d",
                        r.bestValLoss(), r.bestStep()), out);
        return Main.OK;
    }
}
