package dev.tinyforge.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.model.LoadedModel;
import dev.tinyforge.model.ModelLoader;
import dev.tinyforge.testing.Fixtures;
import dev.tinyforge.tokenizer.HfTokenizerLoader;
import dev.tinyforge.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Generation and perplexity on the real stories260K model, against llama.cpp's outputs. */
class GeneratorFixtureTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void greedyTextAndIdsEqualLlamaCpp() throws IOException {
        Path dir = Fixtures.require("models/stories260K");
        JsonNode expected = JSON.readTree(dir.resolve("expected.json").toFile());
        Tokenizer tokenizer = HfTokenizerLoader.load(dir.resolve("hf"));
        try (LoadedModel model = ModelLoader.load(dir.resolve("hf"))) {
            for (JsonNode prompt : expected.get("prompts")) {
                String text = prompt.get("prompt").textValue();
                int[] ids = tokenizer.encode(text, true, true);
                assertArrayEquals(JSON.convertValue(prompt.get("prompt_ids"), int[].class), ids, "prompt ids of '" + text + "'");
                JsonNode greedy = prompt.get("greedy");
                StringBuilder streamed = new StringBuilder();
                var result = new Generator(model.transformer(256), tokenizer).generate(new Generator.Request(ids,
                        SamplingParams.greedy(), greedy.get("n_predict").intValue(), List.of(), Set.of(tokenizer.eos())),
                        streamed::append);
                assertArrayEquals(JSON.convertValue(greedy.get("ids"), int[].class), result.ids(), "ids after '" + text + "'");
                assertEquals(Generator.StopReason.MAX_TOKENS, result.reason());
                assertEquals(result.text(), streamed.toString());
                if (!text.isEmpty()) {
                    // llama.cpp keeps the leading space of a text's first token, HF's decoder strips it;
                    // a continuation of a real prompt has no such ambiguity.
                    assertEquals(greedy.get("text").textValue(), result.text(), "text after '" + text + "'");
                }
            }
        }
    }

    @Test
    void stopStringsEndGenerationAndAreNotShown() throws IOException {
        Path dir = Fixtures.require("models/stories260K");
        Tokenizer tokenizer = HfTokenizerLoader.load(dir.resolve("hf"));
        try (LoadedModel model = ModelLoader.load(dir.resolve("hf"))) {
            var result = new Generator(model.transformer(256), tokenizer).generate(new Generator.Request(
                    tokenizer.encode("Once upon a time", true, true), SamplingParams.greedy(), 64, List.of("Lily"),
                    Set.of(tokenizer.eos())), s -> {});
            assertEquals(", there was a little girl named ", result.text());
            assertEquals(Generator.StopReason.STOP_STRING, result.reason());
        }
    }

    @Test
    void perplexityMatchesLlamaPerplexity() throws IOException {
        Path dir = Fixtures.require("models/stories260K");
        JsonNode expected = JSON.readTree(dir.resolve("expected.json").toFile()).get("perplexity");
        Tokenizer tokenizer = HfTokenizerLoader.load(dir.resolve("hf"));
        String text = Files.readString(dir.resolve("ppl_story.txt"), StandardCharsets.UTF_8);
        int[] tokens = tokenizer.encode(text.substring(0, text.length() - 1), true, false);
        assertEquals(expected.get("n_tokens_with_bos").intValue(), tokens.length);
        try (LoadedModel model = ModelLoader.load(dir.resolve("stories260K.gguf"))) {
            var result = Perplexity.compute(model.transformer(128), tokens, 128, tokenizer.bos(), c -> {});
            double reference = expected.get("recomputed_from_llama_cpp_logits").get("fp32").doubleValue();
            assertEquals(reference, result.perplexity(), reference * 1e-5);
            assertEquals(expected.get("n_scored_tokens").intValue(), result.scoredTokens());
            assertEquals(expected.get("fp32").get("plusminus").doubleValue(), result.uncertainty(), 1e-4);
            double[] running = JSON.convertValue(expected.get("fp32").get("running_estimates"), double[].class);
            for (int i = 0; i < running.length; i++) assertEquals(running[i], result.runningEstimates()[i], 1e-4);
        }
    }
}
