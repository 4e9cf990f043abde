package dev.tinyforge.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.testing.Fixtures;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints and resumption on the real stories260K model: a run stopped half-way and resumed ends
 * with the same adapter bytes, metrics and early-stopping record as the run that was never stopped.
 */
class CheckpointResumeTest {
    @TempDir
    Path dir;
    private Path hf;

    @BeforeEach
    void data() throws IOException {
        hf = Fixtures.require("models/stories260K/hf");
        String[] names = {"Zuzu", "Momo", "Kiki", "Lulu"};
        String[] things = {"a red ball", "a big dog", "a shiny rock", "a small cat", "a kite", "a cake"};
        List<String> train = new ArrayList<>(), val = new ArrayList<>();
        for (String name : names) {
            for (String thing : things) {
                String line = "{\"input\":\"What did " + name + " see?\",\"output\":\"" + name + " saw " + thing + ".\"}";
                ((train.size() + val.size()) % 5 == 4 ? val : train).add(line);
            }
        }
        Files.write(dir.resolve("train.jsonl"), train);
        Files.write(dir.resolve("val.jsonl"), val);
    }

    private RunSettings settings(String method, int saveSteps) throws IOException {
        return settings(method, saveSteps, Map.of());
    }

    private RunSettings settings(String method, int saveSteps, Map<String, Object> more) throws IOException {
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put("model", hf.toString());
        flags.put("data", dir.resolve("train.jsonl").toString());
        flags.put("val_data", dir.resolve("val.jsonl").toString());
        flags.put("method", method);
        flags.put("lora_r", 4);
        flags.put("learning_rate", 5e-3);
        flags.put("batch_size", 2);
        flags.put("gradient_accumulation", 2);
        flags.put("epochs", 3);
        flags.put("eval_every", 1);
        flags.put("patience", 3);
        flags.put("save_steps", saveSteps);
        flags.put("save_total_limit", 2);
        flags.putAll(more);
        return RunSettings.resolve(null, flags);
    }

    @Test
    void aStoppedAndResumedRunEndsWhereAnUninterruptedOneDoes() throws IOException {
        RunSettings s = settings("lora", 2);
        Path whole = dir.resolve("whole");
        var uninterrupted = FineTune.run(s, whole, false, new FineTune.Listener() {});
        assertFalse(uninterrupted.interrupted());
        int steps = uninterrupted.result().steps();
        // These settings stop early after the half-way point, with the best step before the last.
        assertTrue(uninterrupted.result().stoppedEarly() && steps >= 8, "steps " + steps);
        assertTrue(uninterrupted.result().bestStep() > steps / 2 && uninterrupted.result().bestStep() < steps);

        // Stop after half the steps, as Ctrl-C does: the current step ends, a checkpoint is written.
        Path split = dir.resolve("split");
        int stopAt = steps / 2;
        int[] seen = {0};
        var stopped = FineTune.run(s, split, new FineTune.Options(false, null, () -> seen[0] >= stopAt), new FineTune.Listener() {
            @Override
            public void step(Trainer.StepMetrics m, int total) {
                seen[0] = m.step();
            }
        });
        assertTrue(stopped.interrupted());
        assertEquals(stopAt, stopped.result().steps());
        assertEquals(split.resolve("checkpoints/step-" + stopAt), stopped.checkpoint());
        assertFalse(Files.exists(split.resolve(PeftAdapterFiles.WEIGHTS)), "no final adapter yet");
        assertTrue(Files.exists(stopped.checkpoint().resolve(PeftAdapterFiles.WEIGHTS)), "the checkpoint holds a PEFT adapter");
        assertEquals(2, Checkpoints.list(split.resolve("checkpoints")).size(), "save_total_limit 2");

        var resumed = FineTune.run(s, split, new FineTune.Options(false, Checkpoints.latest(split).orElseThrow(), () -> false),
                new FineTune.Listener() {});
        assertFalse(resumed.interrupted());
        assertSameRun(uninterrupted, whole, resumed, split);
    }

    /** LoRA dropout masks come from (seed, step, sequence) and packing from the data: both survive a resumption. */
    @Test
    void aResumedRunWithDropoutAndPackingEndsWhereAnUninterruptedOneDoes() throws IOException {
        RunSettings s = settings("lora", 2, Map.of("lora_dropout", 0.2, "packing", true, "max_length", 96, "patience", 0));
        Path whole = dir.resolve("whole");
        var uninterrupted = FineTune.run(s, whole, false, new FineTune.Listener() {});
        int steps = uninterrupted.result().steps();
        assertTrue(steps >= 6, "steps " + steps);
        assertTrue(uninterrupted.data().packing().rows() < uninterrupted.data().trainSequences() / 2);

        Path split = dir.resolve("split");
        int[] seen = {0};
        var stopped = FineTune.run(s, split, new FineTune.Options(false, null, () -> seen[0] >= 3), new FineTune.Listener() {
            @Override
            public void step(Trainer.StepMetrics m, int total) {
                seen[0] = m.step();
            }
        });
        assertTrue(stopped.interrupted());
        var resumed = FineTune.run(s, split, new FineTune.Options(false, stopped.checkpoint(), () -> false),
                new FineTune.Listener() {});
        assertSameRun(uninterrupted, whole, resumed, split);

        // The dropout is real: without it the same run ends elsewhere.
        Path plain = dir.resolve("plain");
        FineTune.run(settings("lora", 0, Map.of("packing", true, "max_length", 96, "patience", 0)), plain, false,
                new FineTune.Listener() {});
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(whole.resolve(PeftAdapterFiles.WEIGHTS)),
                Files.readAllBytes(plain.resolve(PeftAdapterFiles.WEIGHTS))));
    }

    @Test
    void resumingAnOlderCheckpointDropsTheMetricsLoggedAfterIt() throws IOException {
        RunSettings s = settings("full", 2);
        Path whole = dir.resolve("whole");
        var uninterrupted = FineTune.run(s, whole, false, new FineTune.Listener() {});
        // As after a crash: the run got further than its last periodic checkpoint.
        Path crashed = dir.resolve("crashed");
        int[] seen = {0};
        FineTune.run(s, crashed, new FineTune.Options(false, null, () -> seen[0] >= 5), new FineTune.Listener() {
            @Override
            public void step(Trainer.StepMetrics m, int total) {
                seen[0] = m.step();
            }
        });
        var resumed = FineTune.run(s, crashed, new FineTune.Options(false, crashed.resolve("checkpoints/step-4"), () -> false),
                new FineTune.Listener() {});
        assertSameRun(uninterrupted, whole, resumed, crashed);
    }

    private static void assertSameRun(FineTune.Outcome a, Path aDir, FineTune.Outcome b, Path bDir) throws IOException {
        String weights = Files.exists(aDir.resolve(PeftAdapterFiles.WEIGHTS)) ? PeftAdapterFiles.WEIGHTS : "model.safetensors";
        assertArrayEquals(Files.readAllBytes(aDir.resolve(weights)), Files.readAllBytes(bDir.resolve(weights)), weights);
        assertEquals(withoutSpeed(aDir), withoutSpeed(bDir), "metrics.csv apart from tokens/s");
        assertEquals(a.result().steps(), b.result().steps());
        assertEquals(a.result().bestValLoss(), b.result().bestValLoss());
        assertEquals(a.result().bestStep(), b.result().bestStep());
        assertEquals(a.result().stoppedEarly(), b.result().stoppedEarly());
        assertEquals(a.result().trainedTokens(), b.result().trainedTokens());
        assertEquals(a.result().finalTrainLoss(), b.result().finalTrainLoss());
    }

    private static List<String> withoutSpeed(Path run) throws IOException {
        return Files.readAllLines(run.resolve("logs/metrics.csv")).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    }

    @Test
    void resumingUnderOtherSettingsIsRefused() throws IOException {
        RunSettings s = settings("lora", 1);
        Path run = dir.resolve("run");
        int[] seen = {0};
        FineTune.run(s, run, new FineTune.Options(false, null, () -> seen[0] >= 1), new FineTune.Listener() {
            @Override
            public void step(Trainer.StepMetrics m, int total) {
                seen[0] = m.step();
            }
        });
        Path checkpoint = Checkpoints.latest(run).orElseThrow();
        var other = settings("lora", 1);
        var changed = new RunSettings(other.model(), other.data(), other.valData(), other.method(), other.loraR(),
                other.loraAlpha(), other.loraDropout(), other.targetModules(), other.rslora(), 1e-3, other.schedule(),
                other.warmupRatio(), other.batchSize(), other.gradientAccumulation(), other.epochs(), other.maxSteps(),
                other.seed(), other.weightDecay(), other.maxGradNorm(), other.evalEvery(), other.patience(), other.maxLength(),
                other.trainOnInputs(), other.promptFormat(), other.initAdapter(), other.qloraType(), other.saveSteps(),
                other.saveTotalLimit(), other.packing(), other.gradientCheckpointing());
        var e = assertThrows(BadInputException.class, () -> FineTune.run(changed, run,
                new FineTune.Options(false, checkpoint, () -> false), new FineTune.Listener() {}));
        assertTrue(e.getMessage().contains("learning_rate 0.005, this run has 0.001"), e.getMessage());
    }
}
