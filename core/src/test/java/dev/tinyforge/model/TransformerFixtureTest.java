package dev.tinyforge.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.generate.Sampler;
import dev.tinyforge.io.safetensors.SafetensorsFile;
import dev.tinyforge.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The forward pass against references: PyTorch (float64) logits, and llama.cpp's on stories260K. */
class TransformerFixtureTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** max |a - b| / max |b|, the fixtures' "rel" metric. */
    private static double relative(float[] actual, int actualOff, double[] expected, int expectedOff, int n) {
        double diff = 0, scale = 0;
        for (int i = 0; i < n; i++) {
            diff = Math.max(diff, Math.abs(actual[actualOff + i] - expected[expectedOff + i]));
            scale = Math.max(scale, Math.abs(expected[expectedOff + i]));
        }
        return diff / scale;
    }

    /** The merged LoRA model of each family gives PyTorch's float64 logits at every real position. */
    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2"})
    void matchesPyTorchLogits(String family) throws IOException {
        Path dir = Fixtures.require("torch/" + family);
        JsonNode batch = JSON.readTree(dir.resolve("batch_padded_ids.json").toFile());
        try (LoadedModel model = ModelLoader.load(dir.resolve("merged"));
             SafetensorsFile reference = SafetensorsFile.open(dir.resolve("merged_logits.safetensors"));
             SafetensorsFile step0 = SafetensorsFile.open(dir.resolve("step0.safetensors"))) {
            double[] logits = reference.tensor("logits").toDoubleArray();
            long[] mask = step0.tensor("attention_mask").toLongArray();
            int vocab = model.config().vocabSize();
            int seqLen = batch.get(0).size();
            for (int s = 0; s < batch.size(); s++) {
                int length = 0;
                while (length < seqLen && mask[s * seqLen + length] == 1) length++;
                int[] ids = new int[length];
                for (int t = 0; t < length; t++) ids[t] = batch.get(s).get(t).intValue();
                Transformer transformer = model.transformer(64);
                float[] out = transformer.forward(ids, 0, length, transformer.newCache(), true);
                double rel = relative(out, 0, logits, s * seqLen * vocab, length * vocab);
                assertTrue(rel < 1e-5, family + " sequence " + s + ": relative error " + rel);
            }
        }
    }

    /** Last-position logits equal llama.cpp's fp32 ones, and greedy decoding gives its 64 tokens. */
    @ParameterizedTest
    @ValueSource(strings = {"stories260K.gguf", "hf"})
    void matchesLlamaCppOnStories260K(String source) throws IOException {
        Path dir = Fixtures.require("models/stories260K");
        JsonNode expected = JSON.readTree(dir.resolve("expected.json").toFile());
        try (LoadedModel model = ModelLoader.load(dir.resolve(source))) {
            for (JsonNode prompt : expected.get("prompts")) {
                int[] promptIds = JSON.convertValue(prompt.get("prompt_ids"), int[].class);
                int[] greedy = JSON.convertValue(prompt.get("greedy").get("ids"), int[].class);
                double[] reference = JSON.convertValue(prompt.get("last_prompt_logits").get("fp32"), double[].class);
                Transformer transformer = model.transformer(256);
                KvCache cache = transformer.newCache();
                float[] logits = transformer.forward(promptIds, 0, promptIds.length, cache, false);
                double rel = relative(logits, 0, reference, 0, reference.length);
                assertTrue(rel < 1e-5, source + " prompt '" + prompt.get("prompt").textValue() + "': relative error " + rel);

                int[] generated = new int[greedy.length];
                for (int i = 0; i < greedy.length; i++) {
                    generated[i] = Sampler.argmax(logits);
                    logits = transformer.forward(generated, i, 1, cache, false);
                }
                assertArrayEquals(greedy, generated, source + " prompt '" + prompt.get("prompt").textValue() + "'");
            }
        }
    }

    /** The HF folder and the GGUF (whose q/k rows llama.cpp permuted) describe the same model. */
    @Test
    void hfAndGgufConfigsAgree() throws IOException {
        Path dir = Fixtures.require("models/stories260K");
        try (LoadedModel hf = ModelLoader.load(dir.resolve("hf")); LoadedModel gguf = ModelLoader.load(dir.resolve("stories260K.gguf"))) {
            assertEquals(hf.config().parameterCount(), gguf.config().parameterCount() - (long) 512 * 64,
                    "the GGUF stores the tied output matrix a second time");
            assertEquals(Rope.Layout.HALVES, hf.weights().ropeLayout());
            assertEquals(Rope.Layout.ADJACENT, gguf.weights().ropeLayout());
        }
    }
}
