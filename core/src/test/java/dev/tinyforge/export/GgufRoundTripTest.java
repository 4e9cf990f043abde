package dev.tinyforge.export;

import dev.tinyforge.quant.FileType;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.io.gguf.GgufFile;
import dev.tinyforge.io.gguf.GgufTensorInfo;
import dev.tinyforge.model.LoadedModel;
import dev.tinyforge.model.ModelLoader;
import dev.tinyforge.testing.Fixtures;
import dev.tinyforge.tokenizer.GgufTokenizerLoader;
import dev.tinyforge.tokenizer.Tokenizer;
import dev.tinyforge.train.LoraAdapter;
import dev.tinyforge.train.PeftAdapterFiles;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GGUF exported from the stories260K HF folder is the file llama.cpp's own converter wrote (tensor
 * bytes, q/k order, tokenizer ids) and runs with the same logits; F16/BF16 exports stay close; a LoRA
 * run exports merged.
 */
class GgufRoundTripTest {
    @TempDir
    Path dir;

    private static List<int[]> prompts() throws IOException {
        JsonNode expected = new ObjectMapper().readTree(Fixtures.require("models/stories260K/expected.json").toFile());
        List<int[]> out = new ArrayList<>();
        for (JsonNode p : expected.get("prompts")) {
            int[] ids = new int[p.get("prompt_ids").size()];
            for (int i = 0; i < ids.length; i++) ids[i] = p.get("prompt_ids").get(i).asInt();
            out.add(ids);
        }
        return out;
    }

    private Path export(Path source, FileType type, String name) throws IOException {
        Path out = dir.resolve(name);
        var outcome = GgufExport.run(new GgufExport.Request(source, null, out, type, null, false, null, 10), line -> {});
        assertTrue(outcome.passed());
        return out;
    }

    @Test
    void f32ExportOfTheHfFolderIsWhatLlamaCppsConverterWrote() throws IOException {
        Path out = export(TestRuns.storiesHf(), FileType.F32, "stories-f32.gguf");
        try (GgufFile ours = GgufFile.open(out); GgufFile original = GgufFile.open(TestRuns.storiesGguf())) {
            assertEquals(47, ours.tensors().size()); // the original also stores the tied output (48)
            for (GgufTensorInfo t : ours.tensors()) {
                GgufTensorInfo o = original.tensor(t.name());
                assertArrayEquals(o.shape(), t.shape(), t.name());
                assertEquals(o.type(), t.type(), t.name());
                assertArrayEquals(o.data().toArray(ValueLayout.JAVA_BYTE), t.data().toArray(ValueLayout.JAVA_BYTE), t.name());
            }
            var m = ours.metadata();
            assertEquals("llama", m.getString("general.architecture"));
            assertEquals("hf", m.getString("general.name"));
            assertEquals(0, m.getInt("general.file_type"));
            assertEquals(2, m.getInt("general.quantization_version"));
            assertEquals(512, m.getInt("llama.context_length"));
            assertEquals(64, m.getInt("llama.embedding_length"));
            assertEquals(5, m.getInt("llama.block_count"));
            assertEquals(172, m.getInt("llama.feed_forward_length"));
            assertEquals(8, m.getInt("llama.attention.head_count"));
            assertEquals(4, m.getInt("llama.attention.head_count_kv"));
            assertEquals(8, m.getInt("llama.rope.dimension_count"));
            assertEquals(10000f, m.getFloat("llama.rope.freq_base"));
            assertEquals(1e-5f, m.getFloat("llama.attention.layer_norm_rms_epsilon"));
            assertEquals(512, m.getInt("llama.vocab_size"));
            assertEquals(original.metadata().getArray("tokenizer.ggml.tokens"), m.getArray("tokenizer.ggml.tokens"));
            assertEquals(original.metadata().getArray("tokenizer.ggml.token_type"), m.getArray("tokenizer.ggml.token_type"));
            assertTrue(m.getBoolean("tokenizer.ggml.add_bos_token"));
            assertFalse(m.contains("tokenizer.chat_template")); // the model has none and this is not a run
        }
        try (LoadedModel ours = ModelLoader.load(out); LoadedModel original = ModelLoader.load(TestRuns.storiesGguf());
             LoadedModel hf = ModelLoader.load(TestRuns.storiesHf())) {
            for (int[] ids : prompts()) {
                assertArrayEquals(TestRuns.logits(original, ids), TestRuns.logits(ours, ids));
                assertTrue(TestRuns.relative(TestRuns.logits(ours, ids), TestRuns.logits(hf, ids)) < 1e-5);
            }
        }
        Tokenizer exported = GgufTokenizerLoader.load(out), original = GgufTokenizerLoader.load(TestRuns.storiesGguf());
        JsonNode cases = new ObjectMapper().readTree(Fixtures.require("models/stories260K/tokenizer_cases.json").toFile());
        for (JsonNode c : cases.get("cases")) {
            String text = c.get("text").asText();
            int[] ids = new int[c.get("ids").size()];
            for (int i = 0; i < ids.length; i++) ids[i] = c.get("ids").get(i).asInt();
            assertArrayEquals(ids, exported.encode(text, true, true), text);
            assertEquals(original.decode(ids, false), exported.decode(ids, false), text);
        }
    }

    @Test
    void halfPrecisionExportsStayClose() throws IOException {
        try (LoadedModel hf = ModelLoader.load(TestRuns.storiesHf())) {
            for (FileType type : new FileType[] {FileType.F16, FileType.BF16}) {
                Path out = export(TestRuns.storiesHf(), type, "stories-" + type.name().toLowerCase() + ".gguf");
                try (GgufFile file = GgufFile.open(out); LoadedModel back = ModelLoader.load(out)) {
                    assertEquals(type.id(), file.metadata().getInt("general.file_type"));
                    assertEquals(type.defaultType(), file.tensor("blk.0.attn_q.weight").type());
                    assertEquals(dev.tinyforge.quant.GgmlType.F32, file.tensor("blk.0.attn_norm.weight").type());
                    for (int[] ids : prompts()) {
                        double rel = TestRuns.relative(TestRuns.logits(back, ids), TestRuns.logits(hf, ids));
                        assertTrue(rel < (type == FileType.F16 ? 2e-3 : 2e-2), type + ": relative difference " + rel);
                    }
                }
            }
        }
    }

    @Test
    void aLoraRunExportsMerged() throws IOException {
        Path run = TestRuns.loraRun(dir.resolve("run"), TestRuns.storiesHf(), 7);
        Path out = export(run, FileType.F32, "merged.gguf");
        try (LoadedModel base = ModelLoader.load(TestRuns.storiesHf()); LoadedModel back = ModelLoader.load(out)) {
            LoraAdapter adapter = PeftAdapterFiles.read(run, base.weights(), base.config());
            for (int[] ids : prompts()) {
                float[] expected = TestRuns.logits(base.config(), adapter.adapted(), ids);
                assertTrue(TestRuns.relative(TestRuns.logits(back, ids), expected) < 1e-5);
                assertTrue(TestRuns.relative(TestRuns.logits(base, ids), expected) > 1e-2, "the adapter changes the outputs");
            }
        }
    }

    @Test
    void aGgufReExportsWithItsTokenizerAndWeights() throws IOException {
        Path out = export(TestRuns.storiesGguf(), FileType.F16, "again.gguf");
        try (GgufFile file = GgufFile.open(out); GgufFile original = GgufFile.open(TestRuns.storiesGguf());
             LoadedModel back = ModelLoader.load(out); LoadedModel source = ModelLoader.load(TestRuns.storiesGguf())) {
            assertEquals(original.metadata().getArray("tokenizer.ggml.scores"), file.metadata().getArray("tokenizer.ggml.scores"));
            assertEquals(48, file.tensors().size()); // the source's untied output stays
            for (int[] ids : prompts()) assertTrue(TestRuns.relative(TestRuns.logits(back, ids), TestRuns.logits(source, ids)) < 2e-3);
        }
    }
}
