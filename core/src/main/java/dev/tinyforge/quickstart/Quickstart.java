package dev.tinyforge.quickstart;

import dev.tinyforge.data.DatasetScanner;
import dev.tinyforge.data.DatasetSplitter;
import dev.tinyforge.data.DatasetStats;
import dev.tinyforge.data.Example;
import dev.tinyforge.data.LengthStats;
import dev.tinyforge.data.examples.ExampleDataset;
import dev.tinyforge.data.examples.ExampleDatasets;
import dev.tinyforge.data.examples.ExampleFiles;
import dev.tinyforge.data.examples.RemindersDataset;
import dev.tinyforge.eval.ExactMatch;
import dev.tinyforge.model.LoadedModel;
import dev.tinyforge.model.ModelLoader;
import dev.tinyforge.model.TinyModel;
import dev.tinyforge.model.Transformer;
import dev.tinyforge.tokenizer.BpeTrainer;
import dev.tinyforge.tokenizer.ByteTokenizerFiles;
import dev.tinyforge.tokenizer.Tokenizer;
import dev.tinyforge.tokenizer.Tokenizers;
import dev.tinyforge.train.FineTune;
import dev.tinyforge.train.PeftAdapterFiles;
import dev.tinyforge.train.PromptFormat;
import dev.tinyforge.train.RunSettings;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * TinyForge's whole loop on a bundled dataset, offline: write and validate the examples, profile and
 * split them, measure the base model's exact match on held-out examples, fine-tune, measure again.
 * Without a base model it builds TinyForge's built-in tiny model (weights from a seed, a BPE
 * vocabulary learned from the training split) and trains it fully; with one, a LoRA fine-tune.
 */
public final class Quickstart {
    /**
     * @param base       the model to fine-tune with LoRA, or null for the built-in model
     * @param epochs     null for the default (5 for the built-in model, 3 with a base)
     * @param trainSize  for the built-in model on reminders: generated training records (0: the split's train file)
     */
    public record Options(Path out, String dataset, long seed, Path base, Integer epochs, int trainSize, int evalLimit) {}

    /** Where things went and what was measured. */
    public record Result(Path out, Path splits, Path model, Path runDir, boolean builtIn, ExactMatch.Result before,
                         ExactMatch.Result after) {}

    /** The training runs' max_length (tokens per example). */
    public static final int MAX_LENGTH = 256;

    private Quickstart() {}

    /**
     * Runs the loop; {@code say} gets one line per step (indented lines are details), {@code training}
     * hears the fine-tune's progress.
     */
    public static Result run(Options options, Consumer<String> say, FineTune.Listener training) throws IOException {
        ExampleDataset chosen = ExampleDatasets.byName(options.dataset()).orElseThrow(() -> new BadInputException(
                "--dataset: no bundled dataset '" + options.dataset() + "' (choose from "
                        + String.join(", ", ExampleDatasets.all().stream().map(ExampleDataset::name).toList()) + ")"));
        Path out = options.out();
        long seed = options.seed();
        say.accept("TinyForge quickstart: " + chosen.description());
        say.accept("");

        Path examples = out.resolve("examples");
        say.accept("1. Writing the bundled example datasets to " + examples);
        var written = ExampleFiles.writeAll(examples, ExampleDatasets.DEFAULT_SEED);
        Path file = examples.resolve(chosen.name() + ".jsonl");

        say.accept("2. Validating every line");
        for (ExampleFiles.Written w : written) {
            var summary = DatasetScanner.scan(w.file(), DatasetScanner.Options.defaults(), new DatasetScanner.Listener() {});
            say.accept("   " + summary.describe());
            if (summary.badLines() > 0) throw new IllegalStateException(w.file() + " has bad lines: the generator is broken");
        }

        say.accept("3. Profiling " + file.getFileName());
        var stats = DatasetStats.compute(file, DatasetScanner.Options.defaults(), new DatasetScanner.Listener() {}, b -> {});
        say.accept(lengths("prompt", stats.prompt()));
        say.accept(lengths("completion", stats.completion()));

        Path splits = out.resolve("data");
        say.accept("4. Splitting into train/val/test (seed " + seed + "), equal inputs kept together");
        var split = DatasetSplitter.split(file, splits, new DatasetSplitter.Options(new double[] {0.8, 0.1, 0.1}, seed,
                DatasetScanner.Options.defaults(), false), new DatasetScanner.Listener() {});
        for (int i = 0; i < split.files().size(); i++) {
            say.accept(String.format(Locale.ROOT, "   %-5s %4d records -> %s", DatasetSplitter.SPLIT_NAMES.get(i),
                    split.records()[i], split.files().get(i)));
        }

        boolean builtIn = options.base() == null;
        Path model = builtIn ? out.resolve("base") : options.base();
        Path trainFile = split.files().get(0);
        if (builtIn && chosen instanceof RemindersDataset reminders && options.trainSize() > 0) {
            // A model trained from scratch must learn to copy the task words; that needs more varied
            // examples than the bundled 480 (measured: val loss 0.67 -> 0.21 at equal compute).
            trainFile = splits.resolve("train-generated.jsonl");
            int generated = writeGenerated(reminders, options.trainSize(), seed,
                    List.of(split.files().get(1), split.files().get(2)), trainFile);
            say.accept(String.format(Locale.ROOT, "   + %d generated reminders for training -> %s (no held-out input among them)",
                    generated, trainFile));
        }
        if (builtIn) {
            // Word-sized tokens make sequences ~3x shorter and copying a task word one step instead of
            // a dozen: at equal training time, held-out exact match went from 2% (bytes) to 93%.
            var merges = BpeTrainer.train(texts(trainFile), 1000, 2);
            TinyModel.write(model, seed, merges);
            say.accept(String.format(Locale.ROOT, "5. Built-in tiny model (seed %d) with a BPE vocabulary learned from the "
                    + "training split (%d merges, %d tokens) -> %s", seed, merges.size(),
                    ByteTokenizerFiles.vocabSize(merges.size()), model));
        } else {
            say.accept("5. Base model: " + model);
        }
        Path runDir = out.resolve("run");
        int epochs = options.epochs() != null ? options.epochs() : builtIn ? 5 : 3;
        RunSettings run = RunSettings.resolve(null, settings(model, trainFile, split.files().get(1), builtIn, epochs, seed));

        List<Example> test = DatasetScanner.firstExamples(split.files().get(2), options.evalLimit());
        Tokenizer tokenizer = Tokenizers.load(model);
        PromptFormat format = FineTune.promptFormat(run, model, tokenizer);
        ExactMatch.Result before;
        try (LoadedModel loaded = ModelLoader.load(model)) {
            before = ExactMatch.evaluate(loaded.transformer(512), tokenizer, format, test, 64);
        }
        say.accept(String.format(Locale.ROOT, "6. Exact match of the base model on %d held-out examples: %.1f%%", test.size(),
                100 * before.rate()));

        say.accept("7. Fine-tuning (" + run.method() + ", " + epochs + " epochs) into " + runDir);
        FineTune.run(run, runDir, false, training);

        ExactMatch.Result after;
        try (LoadedModel loaded = ModelLoader.load(builtIn ? runDir : model)) {
            var weights = builtIn ? loaded.weights() : PeftAdapterFiles.read(runDir, loaded.weights(), loaded.config()).adapted();
            after = ExactMatch.evaluate(new Transformer(loaded.config(), weights, 512), tokenizer, format, test, 64);
        }
        say.accept(String.format(Locale.ROOT, "8. Exact match after fine-tuning: %.1f%% (was %.1f%%)", 100 * after.rate(),
                100 * before.rate()));
        return new Result(out, splits, model, runDir, builtIn, before, after);
    }

    /** The run's settings: full fine-tuning at a high rate for the built-in model, LoRA at PEFT's usual rate otherwise. */
    private static Map<String, Object> settings(Path model, Path trainFile, Path valFile, boolean builtIn, int epochs, long seed) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("model", model.toString());
        settings.put("data", trainFile.toString());
        settings.put("val_data", valFile.toString());
        settings.put("method", builtIn ? "full" : "lora");
        settings.put("learning_rate", builtIn ? 5e-3 : 2e-4);
        settings.put("epochs", epochs);
        settings.put("batch_size", 8);
        settings.put("gradient_accumulation", 1);
        settings.put("warmup_ratio", 0.05);
        settings.put("max_length", MAX_LENGTH);
        settings.put("seed", seed);
        if (builtIn) settings.put("prompt_format", "plain");
        return settings;
    }

    /** Writes {@code count} generated records whose inputs are not in the held-out files; returns how many. */
    private static int writeGenerated(RemindersDataset dataset, int count, long seed, List<Path> heldOut, Path file)
            throws IOException {
        java.util.Set<String> held = new java.util.HashSet<>();
        for (Path f : heldOut) {
            DatasetScanner.scan(f, DatasetScanner.Options.defaults(), new DatasetScanner.Listener() {
                @Override
                public void record(long line, Example example, String text) {
                    held.add(example.normalizedInput().toLowerCase(Locale.ROOT));
                }
            });
        }
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        int[] written = {0};
        dev.tinyforge.util.AtomicFiles.write(file, stream -> {
            for (var record : dataset.generate(seed + 1, count)) {
                var parsed = (dev.tinyforge.data.ParsedRecord.Valid) dev.tinyforge.data.RecordParser.parse(record.toString(), null);
                if (held.contains(parsed.example().normalizedInput().toLowerCase(Locale.ROOT))) continue;
                stream.write(json.writeValueAsBytes(record));
                stream.write('\n');
                written[0]++;
            }
        });
        return written[0];
    }

    /** Every message text of a dataset file: the corpus the built-in model's vocabulary is learned from. */
    private static List<String> texts(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        DatasetScanner.scan(file, DatasetScanner.Options.defaults(), new DatasetScanner.Listener() {
            @Override
            public void record(long line, Example example, String text) {
                for (var message : example.messages()) out.add(message.content());
            }
        });
        return out;
    }

    private static String lengths(String name, LengthStats.Summary s) {
        return String.format(Locale.ROOT, "   %-10s chars: min %d, mean %.1f, p50 %d, p95 %d, max %d", name, s.min(), s.mean(),
                s.p50(), s.p95(), s.max());
    }
}
