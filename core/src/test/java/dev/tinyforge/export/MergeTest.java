package dev.tinyforge.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.io.safetensors.SafetensorsCheckpoint;
import dev.tinyforge.io.safetensors.SafetensorsDtype;
import dev.tinyforge.io.safetensors.SafetensorsFile;
import dev.tinyforge.io.safetensors.SafetensorsTensor;
import dev.tinyforge.model.LoadedModel;
import dev.tinyforge.model.ModelLoader;
import dev.tinyforge.model.ModelWeights;
import dev.tinyforge.testing.Fixtures;
import dev.tinyforge.train.LoraAdapter;
import dev.tinyforge.train.PeftAdapterFiles;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Merging a LoRA adapter reproduces PyTorch's merged model (llama: untied, GQA; qwen2: tied, q/k/v
 * biases) to float32 rounding, and the merged folder's logits equal base + adapter's within 1e-5.
 */
class MergeTest {
    @TempDir
    Path dir;

    private static int[] sequence(Path family, int index) throws IOException {
        JsonNode batch = new ObjectMapper().readTree(family.resolve("batch.json").toFile());
        JsonNode ids = batch.get("sequences").get(index).get("input_ids");
        int[] out = new int[ids.size()];
        for (int i = 0; i < out.length; i++) out[i] = ids.get(i).asInt();
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2"})
    void mergeMatchesPyTorchAndTheUnmergedAdapter(String family) throws IOException {
        Path fixture = Fixtures.require("torch/" + family);
        Path out = dir.resolve("merged");
        var outcome = Merge.run(new Merge.Request(fixture.resolve("model"), fixture.resolve("adapter_init"), out, null), line -> {});
        assertEquals(SafetensorsDtype.F32, outcome.dtype());
        try (SafetensorsFile ours = SafetensorsFile.open(out.resolve("model.safetensors"));
             SafetensorsFile reference = SafetensorsFile.open(fixture.resolve("merged/model.safetensors"))) {
            assertEquals(reference.tensors().size(), ours.tensors().size());
            for (SafetensorsTensor r : reference.tensors()) {
                float[] expected = r.toFloatArray();
                float[] actual = ours.tensor(r.name()).toFloatArray();
                for (int i = 0; i < expected.length; i++) {
                    assertTrue(Math.abs(expected[i] - actual[i]) <= 2 * Math.ulp(expected[i]), r.name() + "[" + i + "]: "
                            + actual[i] + " vs " + expected[i]);
                }
            }
        }
        try (LoadedModel merged = ModelLoader.load(out); LoadedModel base = ModelLoader.load(fixture.resolve("model"))) {
            LoraAdapter adapter = PeftAdapterFiles.read(fixture.resolve("adapter_init"), base.weights(), base.config());
            int[] ids = sequence(fixture, 0);
            float[] unmerged = TestRuns.logits(base.config(), adapter.adapted(), ids);
            assertTrue(TestRuns.relative(TestRuns.logits(merged, ids), unmerged) < 1e-5);
            assertTrue(TestRuns.relative(TestRuns.logits(base, ids), unmerged) > 1e-3, "the adapter changes the logits");
            try (SafetensorsFile reference = SafetensorsFile.open(fixture.resolve("merged_logits.safetensors"))) {
                double[] all = reference.tensor("logits").toDoubleArray();
                float[] expected = new float[ids.length * 61];
                for (int i = 0; i < expected.length; i++) expected[i] = (float) all[i];
                assertTrue(TestRuns.relative(TestRuns.logits(merged, ids), expected) < 1e-5);
            }
        }
        JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        assertEquals("lora_run", manifest.get("exports").get(0).get("source_kind").asText());
        assertEquals(Manifest.sha256(out.resolve("model.safetensors")),
                manifest.get("exports").get(0).get("artifacts").get(1).get("sha256").asText());
    }

    @Test
    void aLoraRunOnStoriesMergesToBf16WithItsTokenizer() throws IOException {
        Path run = TestRuns.loraRun(dir.resolve("run"), TestRuns.storiesHf(), 5);
        Path out = dir.resolve("merged-bf16");
        var outcome = Merge.run(new Merge.Request(null, run, out, "bf16"), line -> {});
        assertEquals(SafetensorsDtype.BF16, outcome.dtype());
        assertEquals("bfloat16", new ObjectMapper().readTree(out.resolve("config.json").toFile()).get("torch_dtype").asText());
        for (String f : new String[] {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json"}) {
            assertArrayEquals(Files.readAllBytes(TestRuns.storiesHf().resolve(f)), Files.readAllBytes(out.resolve(f)), f);
        }
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(out); LoadedModel merged = ModelLoader.load(out);
             LoadedModel base = ModelLoader.load(TestRuns.storiesHf())) {
            assertTrue(c.tensors().values().stream().allMatch(t -> t.dtype() == SafetensorsDtype.BF16));
            ModelWeights adapted = PeftAdapterFiles.read(run, base.weights(), base.config()).adapted();
            double rel = TestRuns.relative(TestRuns.logits(merged, TestRuns.PROMPT), TestRuns.logits(base.config(), adapted, TestRuns.PROMPT));
            assertTrue(rel < 3e-2, "bf16 merge: " + rel);
        }
    }

    @Test
    void aFullFineTuningRunIsAlreadyMerged() throws IOException {
        Path out = dir.resolve("copy");
        var outcome = Merge.run(new Merge.Request(null, TestRuns.storiesHf(), out, null), line -> {});
        assertEquals(ModelSource.Kind.MODEL, outcome.kind());
        try (LoadedModel copy = ModelLoader.load(out); LoadedModel original = ModelLoader.load(TestRuns.storiesHf())) {
            assertArrayEquals(TestRuns.logits(original, TestRuns.PROMPT), TestRuns.logits(copy, TestRuns.PROMPT));
        }
    }

    @Test
    void refusalsLeaveNothingBehind() throws IOException {
        Path taken = Files.createDirectories(dir.resolve("taken"));
        Files.writeString(taken.resolve("x"), "x");
        Path base = TestRuns.storiesHf(); // outside the lambda: skipped without ../shared
        var e = assertThrows(BadInputException.class,
                () -> Merge.run(new Merge.Request(null, base, taken, null), line -> {}));
        assertTrue(e.getMessage().contains("not an empty folder"), e.getMessage());

        Path wrongBase = Fixtures.require("torch/llama/model");
        Path stories = TestRuns.loraRun(dir.resolve("run2"), TestRuns.storiesHf(), 3);
        assertThrows(BadInputException.class, () -> Merge.run(new Merge.Request(wrongBase, stories, dir.resolve("m2"), null), l -> {}));
        e = assertThrows(BadInputException.class, () -> Merge.run(new Merge.Request(null, stories, dir.resolve("m3"), "f8"), l -> {}));
        assertTrue(e.getMessage().contains("--dtype"), e.getMessage());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(java.util.Set.of("taken", "run2"), left.map(p -> p.getFileName().toString())
                    .collect(java.util.stream.Collectors.toSet()));
        }
        assertFalse(Files.exists(dir.resolve("m2")));
    }

    @Test
    void aRunOnAGgufBaseMergesWithItsVocabularyAsTokenizerJson() throws IOException {
        Path run = TestRuns.loraRun(dir.resolve("run"), TestRuns.storiesGguf(), 3);
        Path out = dir.resolve("merged");
        var outcome = Merge.run(new Merge.Request(null, run, out, null), line -> {});
        assertTrue(outcome.notes().toString().contains("tokenizer.json"), outcome.notes().toString());
        try (LoadedModel merged = ModelLoader.load(out); LoadedModel base = ModelLoader.load(TestRuns.storiesGguf())) {
            ModelWeights adapted = PeftAdapterFiles.read(run, base.weights(), base.config()).adapted();
            assertTrue(TestRuns.relative(TestRuns.logits(merged, TestRuns.PROMPT),
                    TestRuns.logits(base.config(), adapted, TestRuns.PROMPT)) < 1e-5);
        }
        var tokenizer = dev.tinyforge.tokenizer.Tokenizers.load(out);
        JsonNode cases = new ObjectMapper().readTree(Fixtures.require("models/stories260K/tokenizer_cases.json").toFile());
        for (JsonNode c : cases.get("cases")) {
            int[] ids = new int[c.get("ids").size()];
            for (int i = 0; i < ids.length; i++) ids[i] = c.get("ids").get(i).asInt();
            assertArrayEquals(ids, tokenizer.encode(c.get("text").asText(), true, true), c.get("text").asText());
        }
        // The same tokenizer.json llama.cpp's stories260K tokenizer was converted into by hand (hf/): same merges.
        JsonNode ours = new ObjectMapper().readTree(out.resolve("tokenizer.json").toFile());
        JsonNode reference = new ObjectMapper().readTree(TestRuns.storiesHf().resolve("tokenizer.json").toFile());
        assertEquals(reference.get("model").get("merges"), ours.get("model").get("merges"));
        assertEquals(reference.get("model").get("vocab"), ours.get("model").get("vocab"));
    }
}
