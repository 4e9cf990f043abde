package dev.tinyforge.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.generate.Sampler;
import dev.tinyforge.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfCheckpointWriterTest {
    @TempDir
    Path dir;

    /** GGUF (q/k rows permuted by llama.cpp) → HF checkpoint → reload: same config, same greedy tokens. */
    @Test
    void ggufRewrittenAsHfGivesTheSameModel() throws IOException {
        Path fixture = Fixtures.require("models/stories260K");
        JsonNode expected = new ObjectMapper().readTree(fixture.resolve("expected.json").toFile()).get("prompts").get(1);
        try (LoadedModel gguf = ModelLoader.load(fixture.resolve("stories260K.gguf"))) {
            HfCheckpointWriter.write(gguf.config(), gguf.weights(), dir);
            try (LoadedModel hf = ModelLoader.load(dir)) {
                assertEquals(gguf.config(), hf.config());
                assertEquals(Rope.Layout.HALVES, hf.weights().ropeLayout());
                int[] prompt = new ObjectMapper().convertValue(expected.get("prompt_ids"), int[].class);
                int[] greedy = new ObjectMapper().convertValue(expected.get("greedy").get("ids"), int[].class);
                Transformer t = hf.transformer(128);
                KvCache cache = t.newCache();
                float[] logits = t.forward(prompt, 0, prompt.length, cache, false);
                int[] out = new int[greedy.length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = Sampler.argmax(logits);
                    logits = t.forward(out, i, 1, cache, false);
                }
                assertArrayEquals(greedy, out);
            }
        }
    }
}
