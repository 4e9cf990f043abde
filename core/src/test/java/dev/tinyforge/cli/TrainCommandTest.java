package dev.tinyforge.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
    @TempDir
    Path dir;

    private Path data() throws IOException {
        Path file = dir.resolve("train.jsonl");
        Files.write(file, List.of("{\"input\":\"Tom had a ball.\",\"output\":\"He was happy.\"}",
                "{\"input\":\"Sue saw a dog.\",\"output\":\"She smiled.\"}",
                "{\"input\":\"Ben ate cake.\",\"output\":\"It was sweet.\"}"));
        return file;
    }

    @Test
    void trainsFromAConfigFileWithFlagsOverridingIt() throws IOException {
        Path hf = Fixtures.require("models/stories260K/hf");
        Path config = dir.resolve("train.yaml");
        Files.writeString(config, "model: " + hf + "\ndata: " + data() + "\nlora_r: 4\nepochs: 9\nbatch_size: 2\n");
        Path out = dir.resolve("run");
        CliRunner r = CliRunner.run("train", "--config", config.toString(), "--max-steps", "3", "--grad-accum", "1",
                "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("data: 3 training sequences, 0 validation"), r.out());
        assertTrue(r.out().contains("done: 3 steps"), r.out());
        for (String file : new String[] {"adapter_model.safetensors", "adapter_config.json", "config.yaml",
                "trainer_state.json", "logs/metrics.csv", "loss.png", "tokenizer.json"}) {
            assertTrue(Files.exists(out.resolve(file)), file);
        }
        String resolved = Files.readString(out.resolve("config.yaml"));
        assertTrue(resolved.contains("lora_r: 4") && resolved.contains("max_steps: 3") && resolved.contains("epochs: 9"), resolved);
        assertEquals(4, Files.readAllLines(out.resolve("logs/metrics.csv")).size(), "header and three steps");
        assertTrue(Files.readString(out.resolve("adapter_config.json")).contains("\"r\" : 4"));
    }

    @Test
    void fullFineTuningWritesAModelThatLoads() throws IOException {
        Path hf = Fixtures.require("models/stories260K/hf");
        Path out = dir.resolve("full");
        CliRunner r = CliRunner.run("train", "--model", hf.toString(), "--data", data().toString(), "--method", "full",
                "--max-steps", "2", "--lr", "1e-3", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        CliRunner generated = CliRunner.run("generate", out.toString(), "-p", "Tom had a ball.", "--temperature", "0", "-n", "4");
        assertEquals(0, generated.exitCode(), generated.err());
        assertTrue(generated.out().startsWith("Tom had a ball."), generated.out());
    }

    @Test
    void qloraTrainsOverA4BitBaseAndCheckpointsResume() throws IOException {
        Path hf = Fixtures.require("models/stories260K/hf");
        Path out = dir.resolve("qlora");
        CliRunner r = CliRunner.run("train", "--model", hf.toString(), "--data", data().toString(), "--method", "qlora",
                "--max-steps", "4", "--batch-size", "1", "--grad-accum", "1", "--save-steps", "2", "--lr", "1e-2",
                "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("done: 4 steps"), r.out());
        assertTrue(Files.exists(out.resolve("adapter_model.safetensors")));
        assertTrue(Files.exists(out.resolve("checkpoints/step-2/adapter_model.safetensors")), "a checkpoint is a PEFT adapter");
        byte[] whole = Files.readAllBytes(out.resolve("adapter_model.safetensors"));
        // Resuming the step-2 checkpoint of the finished run redoes steps 3 and 4 to the same bytes.
        CliRunner resumed = CliRunner.run("train", "--model", hf.toString(), "--data", data().toString(), "--method", "qlora",
                "--max-steps", "4", "--batch-size", "1", "--grad-accum", "1", "--save-steps", "2", "--lr", "1e-2",
                "--out", out.toString(), "--resume", out.resolve("checkpoints/step-2").toString());
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("resuming at step 2/4"), resumed.out());
        assertArrayEquals(whole, Files.readAllBytes(out.resolve("adapter_model.safetensors")));
        // Training on from the finished adapter takes its rank; a conflicting rank is refused.
        CliRunner more = CliRunner.run("train", "--model", hf.toString(), "--data", data().toString(), "--max-steps", "1",
                "--init-adapter", out.toString(), "--out", dir.resolve("more").toString());
        assertEquals(0, more.exitCode(), more.err());
        assertTrue(Files.readString(dir.resolve("more/config.yaml")).contains("init_adapter: "), "recorded");
        CliRunner conflict = CliRunner.run("train", "--model", hf.toString(), "--data", data().toString(), "--lora-r", "8",
                "--init-adapter", out.toString());
        assertEquals(2, conflict.exitCode());
        assertTrue(conflict.err().startsWith("error: lora_r 8 conflicts with the initial adapter " + out + ", which has 16"),
                conflict.err());
        CliRunner none = CliRunner.run("train", "--model", hf.toString(), "--data", data().toString(), "--resume",
                "--out", dir.resolve("empty").toString());
        assertEquals(2, none.exitCode());
        assertTrue(none.err().startsWith("error: --resume: no checkpoint under"), none.err());
    }

    @Test
    void dryRunWritesNothing() throws IOException {
        Path hf = Fixtures.require("models/stories260K/hf");
        Path out = dir.resolve("dry");
        CliRunner r = CliRunner.run("train", "--model", hf.toString(), "--data", data().toString(), "--out", out.toString(),
                "--dry-run");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("nothing trained or written"), r.out());
        assertTrue(r.out().contains("weights ") && r.out().contains("activations "), "the estimate's parts: " + r.out());
        assertFalse(Files.exists(out));
    }

    /** Packing on a bundled example set: the dry run says how much padding it saves. */
    @Test
    void dryRunReportsWhatPackingSaves() throws IOException {
        Path hf = Fixtures.require("models/stories260K/hf");
        Path reminders = Path.of("..", "examples", "reminders.jsonl").toAbsolutePath().normalize();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(reminders), "skipped: no examples/ folder beside core/");
        CliRunner r = CliRunner.run("train", "--model", hf.toString(), "--data", reminders.toString(), "--max-length", "256",
                "--packing", "--dry-run");
        assertEquals(0, r.exitCode(), r.err());
        var m = java.util.regex.Pattern.compile("packing: 600 sequences in (\\d+) rows of up to 256 tokens.*; rows padded to 256 "
                + "would be ([\\d.]+)% padding without packing, ([\\d.]+)% with: ([\\d.]+)% of the padding saved")
                .matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(Integer.parseInt(m.group(1)) < 600 / 4, "rows " + m.group(1));
        assertTrue(Double.parseDouble(m.group(3)) < 5 && Double.parseDouble(m.group(4)) > 90, m.group());
        CliRunner plain = CliRunner.run("train", "--model", hf.toString(), "--data", reminders.toString(), "--dry-run");
        assertFalse(plain.out().contains("packing:"), "off by default");
    }

    @Test
    void badSettingsAreOneLineErrors() throws IOException {
        Path hf = Fixtures.require("models/stories260K/hf");
        CliRunner method = CliRunner.run("train", "--model", hf.toString(), "--data", data().toString(), "--method", "dora");
        assertEquals(2, method.exitCode());
        assertEquals("error: method must be lora, qlora or full, got 'dora'\n", method.err());
        CliRunner dropout = CliRunner.run("train", "--model", hf.toString(), "--data", data().toString(), "--lora-dropout", "1");
        assertEquals(2, dropout.exitCode());
        assertEquals("error: LoRA dropout must be in [0, 1), got 1.0\n", dropout.err());
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "model: x\ndata: y\nlora_rank: 4\n");
        CliRunner unknown = CliRunner.run("train", "--config", config.toString());
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().startsWith("error: " + config + ": bad setting: Unrecognized field \"lora_rank\""), unknown.err());
        CliRunner targets = CliRunner.run("train", "--model", hf.toString(), "--data", data().toString(),
                "--target-modules", "qkv");
        assertEquals(2, targets.exitCode());
        assertTrue(targets.err().startsWith("error: unknown LoRA target module 'qkv'"), targets.err());
    }
}
