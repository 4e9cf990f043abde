package dev.tinyforge.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.data.Example;
import dev.tinyforge.data.ParsedRecord;
import dev.tinyforge.data.RecordParser;
import dev.tinyforge.generate.Generator;
import dev.tinyforge.generate.SamplingParams;
import dev.tinyforge.model.LoadedModel;
import dev.tinyforge.model.ModelLoader;
import dev.tinyforge.model.Transformer;
import dev.tinyforge.testing.Fixtures;
import dev.tinyforge.tokenizer.HfTokenizerLoader;
import dev.tinyforge.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The training loop on the real pretrained stories260K model. */
class TrainerTest {
    @TempDir
    Path dir;

    private static final String[] STARTS = {"Once upon a time, there was a little girl named Zuzu.",
        "One day, a girl named Zuzu went to the park.", "There was a little girl named Zuzu who liked to play."};
    private static final String[] MIDDLES = {"She had a red ball.", "She saw a big dog.", "She liked to sing.",
        "She found a shiny rock.", "She wanted to fly a kite.", "She met a small cat.", "She ate a big cake.",
        "She played with her mom."};
    private static final String[] ENDS = {"Zuzu was very happy.", "Zuzu smiled and went home.", "Zuzu said thank you.",
        "Zuzu and her friend played all day."};

    /** Short stories that always use the name Zuzu, which the pretrained model has never seen. */
    private static List<Example> stories() {
        List<Example> out = new ArrayList<>();
        for (String s : STARTS) for (String m : MIDDLES) for (String e : ENDS) {
            String text = s + " " + m + " " + e;
            out.add(((ParsedRecord.Valid) RecordParser.parse("{\"text\":\"" + text + "\"}", null)).example());
        }
        return out;
    }

    private static LoraConfig lora() {
        return lora(0);
    }

    private static LoraConfig lora(double dropout) {
        return new LoraConfig(8, 16, dropout, EnumSet.allOf(LoraTarget.class), false);
    }

    @Test
    void loraLearnsANewNameAndValidationLossFalls() throws IOException {
        Path hf = Fixtures.require("models/stories260K/hf");
        Tokenizer tokenizer = HfTokenizerLoader.load(hf);
        var encoder = new ExampleEncoder(tokenizer, new PromptFormat.Plain(), 64, false);
        List<TokenizedExample> all = stories().stream().map(encoder::encode).toList();
        List<TokenizedExample> train = new ArrayList<>(), val = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) (i % 8 == 0 ? val : train).add(all.get(i));
        try (LoadedModel model = ModelLoader.load(hf)) {
            LoraAdapter adapter = LoraAdapter.initialize(model.weights(), lora(), 1);
            var config = new TrainingConfig(1e-2, LrSchedule.Kind.COSINE, 0.1, 4, 1, 6, 0, 7, 0, 1.0, 0, 0);
            Trainer trainer = new Trainer(model.config(), adapter, config);
            double before = trainer.validationLoss(new Backprop(model.config(), adapter, 64), val);
            List<Double> valLosses = new ArrayList<>();
            var result = trainer.train(train, val, new Trainer.Listener() {
                @Override
                public void validation(int step, double valLoss, boolean best) {
                    valLosses.add(valLoss);
                }
            });
            assertTrue(result.bestValLoss() < before * 0.6, "validation loss " + before + " -> " + valLosses);
            Transformer transformer = new Transformer(model.config(), adapter.adapted(), 128);
            var out = new Generator(transformer, tokenizer).generate(new Generator.Request(
                    tokenizer.encode("Once upon a time, there was a little girl named", true, true),
                    SamplingParams.greedy(), 8, List.of(), Set.of(tokenizer.eos())), s -> {});
            assertTrue(out.text().startsWith(" Zuzu"), "greedy continuation: " + out.text());
        }
    }

    /** With LoRA dropout too: its masks follow (seed, step, sequence within the step), not the batch shape. */
    @ParameterizedTest
    @ValueSource(doubles = {0, 0.1})
    void accumulationEqualsTheBiggerBatchAndRunsAreReproducible(double dropout) throws IOException {
        Path hf = Fixtures.require("models/stories260K/hf");
        Tokenizer tokenizer = HfTokenizerLoader.load(hf);
        var encoder = new ExampleEncoder(tokenizer, new PromptFormat.Plain(), 64, false);
        List<TokenizedExample> train = stories().subList(0, 24).stream().map(encoder::encode).toList();
        byte[][] adapters = new byte[3][];
        int[][] shapes = {{4, 2}, {8, 1}, {4, 2}};
        for (int run = 0; run < 3; run++) {
            try (LoadedModel model = ModelLoader.load(hf)) {
                LoraAdapter adapter = LoraAdapter.initialize(model.weights(), lora(dropout), 1);
                var config = new TrainingConfig(5e-3, LrSchedule.Kind.LINEAR, 0, shapes[run][0], shapes[run][1], 2, 0, 3,
                        0.01, 1.0, 0, 0);
                new Trainer(model.config(), adapter, config).train(train, List.of(), new Trainer.Listener() {});
                Path out = dir.resolve("run" + run + "-" + dropout);
                PeftAdapterFiles.write(adapter, out, "stories260K", model.config());
                adapters[run] = Files.readAllBytes(out.resolve(PeftAdapterFiles.WEIGHTS));
                // The written adapter reloads to the same matrices.
                LoraAdapter reloaded = PeftAdapterFiles.read(out, model.weights(), model.config());
                for (int i = 0; i < adapter.slots().size(); i++) {
                    assertArrayEquals(adapter.slots().get(i).matrix().b().data(), reloaded.slots().get(i).matrix().b().data());
                }
            }
        }
        assertArrayEquals(adapters[0], adapters[2], "same data, config and seed give the same bytes");
        assertArrayEquals(adapters[0], adapters[1], "batch 4 x accumulation 2 is batch 8");
        assertEquals(adapters[0].length, adapters[1].length);
    }
}
