package dev.tinyforge.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.model.LoadedModel;
import dev.tinyforge.model.ModelLoader;
import dev.tinyforge.model.ModelWeights;
import dev.tinyforge.model.Transformer;
import dev.tinyforge.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A PEFT adapter means the same update whether the base came from an HF folder or a (q/k-permuted) GGUF. */
class PeftAdapterFilesTest {
    @TempDir
    Path dir;

    private static final int[] IDS = {1, 403, 407, 261, 378, 432, 383, 286};

    private static float[] logits(LoadedModel model, ModelWeights weights) {
        Transformer t = new Transformer(model.config(), weights, 32);
        return t.forward(IDS, 0, IDS.length, t.newCache(), true);
    }

    private static void assertSame(float[] a, float[] b, String what) {
        double diff = 0, scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        assertTrue(diff / scale < 1e-5, what + ": relative difference " + diff / scale);
    }

    /** Trains a few steps so that every B (q/k included) is non-zero. */
    private static LoraAdapter trained(LoadedModel model) {
        LoraAdapter adapter = LoraAdapter.initialize(model.weights(),
                new LoraConfig(4, 8, 0, EnumSet.allOf(LoraTarget.class), false), 3);
        boolean[] target = new boolean[IDS.length];
        java.util.Arrays.fill(target, 1, target.length, true);
        var config = new TrainingConfig(1e-2, LrSchedule.Kind.CONSTANT, 0, 1, 1, 1, 3, 1, 0, 1.0, 0, 0);
        new Trainer(model.config(), adapter, config).train(List.of(new TokenizedExample(IDS, target, false)), List.of(),
                new Trainer.Listener() {});
        return adapter;
    }

    @Test
    void aWrittenAdapterReadsBackBitForBitAndRewritesToTheSameBytes() throws IOException {
        Path fixture = Fixtures.require("models/stories260K");
        try (LoadedModel hf = ModelLoader.load(fixture.resolve("hf")); LoadedModel gguf = ModelLoader.load(fixture.resolve("stories260K.gguf"))) {
            for (LoadedModel base : List.of(hf, gguf)) {
                LoraAdapter adapter = trained(base);
                Path first = dir.resolve("first-" + base.format()), second = dir.resolve("second-" + base.format());
                PeftAdapterFiles.write(adapter, first, "stories260K", base.config());
                LoraAdapter back = PeftAdapterFiles.read(first, base.weights(), base.config());
                assertEquals(adapter.config(), back.config());
                assertEquals(adapter.slots().size(), back.slots().size());
                for (int i = 0; i < adapter.slots().size(); i++) {
                    var a = adapter.slots().get(i).matrix();
                    var b = back.slots().get(i).matrix();
                    assertArrayEquals(a.a().data(), b.a().data());
                    assertArrayEquals(a.b().data(), b.b().data());
                    assertEquals(a.scale(), b.scale());
                }
                PeftAdapterFiles.write(back, second, "stories260K", base.config());
                for (String f : new String[] {PeftAdapterFiles.CONFIG, PeftAdapterFiles.WEIGHTS}) {
                    assertArrayEquals(java.nio.file.Files.readAllBytes(first.resolve(f)), java.nio.file.Files.readAllBytes(second.resolve(f)), f);
                }
            }
        }
    }

    @Test
    void adaptersMoveBetweenHfAndGgufBases() throws IOException {
        Path fixture = Fixtures.require("models/stories260K");
        try (LoadedModel hf = ModelLoader.load(fixture.resolve("hf"));
             LoadedModel gguf = ModelLoader.load(fixture.resolve("stories260K.gguf"))) {
            LoraAdapter onHf = trained(hf);
            PeftAdapterFiles.write(onHf, dir.resolve("from-hf"), "stories260K", hf.config());
            LoraAdapter loadedOnGguf = PeftAdapterFiles.read(dir.resolve("from-hf"), gguf.weights(), gguf.config());
            assertSame(logits(gguf, loadedOnGguf.adapted()), logits(hf, onHf.adapted()), "HF-trained adapter on the GGUF base");

            LoraAdapter onGguf = trained(gguf);
            PeftAdapterFiles.write(onGguf, dir.resolve("from-gguf"), "stories260K", gguf.config());
            LoraAdapter loadedOnHf = PeftAdapterFiles.read(dir.resolve("from-gguf"), hf.weights(), hf.config());
            assertSame(logits(hf, loadedOnHf.adapted()), logits(gguf, onGguf.adapted()), "GGUF-trained adapter on the HF base");
        }
    }
}
