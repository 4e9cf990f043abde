package dev.tinyforge.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.generate.Generator;
import dev.tinyforge.generate.SamplingParams;
import dev.tinyforge.model.LoadedModel;
import dev.tinyforge.model.ModelLoader;
import dev.tinyforge.model.TinyModel;
import dev.tinyforge.model.Transformer;
import dev.tinyforge.tokenizer.Tokenizer;
import dev.tinyforge.tokenizer.Tokenizers;
import dev.tinyforge.train.LoraAdapter;
import dev.tinyforge.train.LoraConfig;
import dev.tinyforge.train.LoraTarget;
import dev.tinyforge.train.PeftAdapterFiles;
import dev.tinyforge.train.RunSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve BASE --adapter RUN}: the run's PEFT adapter is applied over the base, and {@code /predict}
 * answers with the run's prompt format (plain here: the input and a newline), as the evaluator does.
 */
class AdapterServingTest {
    @Test
    void predictAnswersWithTheAdaptedModelInTheRunsFormat(@TempDir Path dir) throws Exception {
        Path base = dir.resolve("base"), run = dir.resolve("run");
        TinyModel.write(base, 21);
        Files.createDirectories(run);
        try (LoadedModel loaded = ModelLoader.load(base)) {
            LoraAdapter adapter = LoraAdapter.initialize(loaded.weights(), new LoraConfig(4, 8, 0, LoraTarget.parse("all-linear"),
                    false), 3);
            SplittableRandom random = new SplittableRandom(4);
            for (LoraAdapter.Slot s : adapter.slots()) {
                float[] b = s.matrix().b().data();
                for (int i = 0; i < b.length; i++) b[i] = (float) (random.nextGaussian() * 0.3);
            }
            PeftAdapterFiles.write(adapter, run, base.toString(), loaded.config());
        }
        RunSettings settings = RunSettings.resolve(null, Map.of("model", base.toString(), "data", "train.jsonl",
                "prompt_format", "plain"));
        Files.writeString(run.resolve("config.yaml"), settings.toYaml(), StandardCharsets.UTF_8);

        String input = "remind me to water the plants";
        try (ServedModel served = ServedModel.load(base, run, 512);
             ApiServer server = ApiServer.start(served, TestServers.options());
             LoadedModel loaded = ModelLoader.load(base)) {
            assertTrue(served.taskFormatOrigin().contains("plain"), served.taskFormatOrigin());
            var response = ServerErrorsTest.send(server.baseUrl(), "POST", "/predict",
                    new ObjectMapper().writeValueAsString(Map.of("text", input, "max_tokens", 20)));
            assertEquals(200, response.statusCode(), response.body());
            String output = new ObjectMapper().readTree(response.body()).get("output").textValue();

            Tokenizer tokenizer = Tokenizers.load(base);
            int[] prompt = tokenizer.encode(input + "\n", true, true);
            var adapted = new Transformer(loaded.config(), PeftAdapterFiles.read(run, loaded.weights(), loaded.config()).adapted(), 512);
            String expected = answer(adapted, tokenizer, prompt);
            String baseAnswer = answer(loaded.transformer(512), tokenizer, prompt);
            assertEquals(expected, output);
            assertNotEquals(baseAnswer, output, "the adapter changes the answer");
        }
    }

    private static String answer(Transformer transformer, Tokenizer tokenizer, int[] prompt) {
        return new Generator(transformer, tokenizer).generate(new Generator.Request(prompt, SamplingParams.greedy(), 20, List.of(),
                Set.of(tokenizer.eos())), t -> {}).text().strip();
    }
}
