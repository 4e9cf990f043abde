package dev.tinyforge.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.io.gguf.GgufFile;
import dev.tinyforge.testing.Fixtures;
import dev.tinyforge.util.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the fixtures' safetensors files, and rewriting them byte for byte. */
class SafetensorsFileTest {
    @TempDir
    Path tmp;

    @Test
    void stories260KHfWeights() throws Exception {
        Path file = Fixtures.require("models/stories260K/hf/model.safetensors");
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertEquals(Map.of("format", "pt"), st.metadata());
            assertEquals(47, st.tensors().size());
            assertEquals(st.names().stream().sorted().toList(), st.names(), "the writer sorted the names");
            assertTrue(st.find("lm_head.weight").isEmpty(), "tied embeddings: no lm_head");
            SafetensorsTensor embed = st.tensor("model.embed_tokens.weight");
            assertEquals(SafetensorsDtype.F32, embed.dtype());
            assertArrayEquals(new long[] {512, 64}, embed.shape());
            assertArrayEquals(new long[] {64, 172}, st.tensor("model.layers.0.mlp.down_proj.weight").shape());
            assertEquals(131072, embed.byteSize());
            assertEquals(1_044_992, st.dataOffset() + st.tensors().stream().mapToLong(SafetensorsTensor::byteSize).sum());
        }
    }

    @Test
    void hfAndGgufStories260KHoldTheSameBytes() throws Exception {
        // README-models.md: every tensor but attn_q/attn_k is bitwise equal between the two files
        Map<String, String> pairs = Map.of(
                "model.embed_tokens.weight", "token_embd.weight",
                "model.norm.weight", "output_norm.weight",
                "model.layers.3.mlp.gate_proj.weight", "blk.3.ffn_gate.weight",
                "model.layers.3.mlp.down_proj.weight", "blk.3.ffn_down.weight",
                "model.layers.3.self_attn.v_proj.weight", "blk.3.attn_v.weight",
                "model.layers.3.self_attn.o_proj.weight", "blk.3.attn_output.weight",
                "model.layers.3.input_layernorm.weight", "blk.3.attn_norm.weight");
        try (SafetensorsFile hf = SafetensorsFile.open(Fixtures.require("models/stories260K/hf/model.safetensors"));
             GgufFile gguf = GgufFile.open(Fixtures.require("models/stories260K/stories260K.gguf"))) {
            for (var e : pairs.entrySet()) {
                SafetensorsTensor a = hf.tensor(e.getKey());
                var b = gguf.tensor(e.getValue());
                long[] ggmlOrder = b.shape();
                long[] torchOrder = new long[ggmlOrder.length];
                for (int i = 0; i < ggmlOrder.length; i++) torchOrder[i] = ggmlOrder[ggmlOrder.length - 1 - i];
                assertArrayEquals(torchOrder, a.shape(), e.getKey());
                assertEquals(-1, a.data().mismatch(b.data()), e.getKey());
            }
        }
    }

    @Test
    void torchReferenceFiles() throws Exception {
        Path dir = Fixtures.require("torch/llama");
        try (SafetensorsFile step0 = SafetensorsFile.open(dir.resolve("step0.safetensors"))) {
            assertEquals("float64", step0.metadata().get("compute_dtype"));
            SafetensorsTensor loss = step0.tensor("loss");
            assertEquals(SafetensorsDtype.F64, loss.dtype());
            assertArrayEquals(new long[] {}, loss.shape());
            double value = loss.toDoubleArray()[0];
            assertTrue(value > 0 && value < 10, "loss " + value);
            assertArrayEquals(new long[] {39}, step0.tensor("num_targets").toLongArray());
            SafetensorsTensor ids = step0.tensor("input_ids");
            assertEquals(SafetensorsDtype.I64, ids.dtype());
            assertArrayEquals(new long[] {2, 37}, ids.shape());
            assertEquals(1, ids.toLongArray()[0], "sequences start with token 1");
            SafetensorsTensor mask = step0.tensor("target_mask");
            assertEquals(SafetensorsDtype.U8, mask.dtype());
            assertEquals(39, java.util.Arrays.stream(mask.toLongArray()).sum());
            assertArrayEquals(new long[] {2, 37, 61}, step0.tensor("logits").shape());
            assertEquals(28 + 6, step0.tensors().size());
        }
        try (SafetensorsFile adapter = SafetensorsFile.open(dir.resolve("adapter_init/adapter_model.safetensors"))) {
            SafetensorsTensor a = adapter.tensor("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight");
            assertEquals(SafetensorsDtype.F32, a.dtype());
            assertArrayEquals(new long[] {8, 32}, a.shape());
            assertEquals(a.elementCount(), a.toFloatArray().length);
        }
    }

    @Test
    void rewritingSingleDtypeFilesGivesTheSameBytes() throws Exception {
        // files of one dtype are ordered by name by both the reference writer and the fixtures' writer
        List<Path> files = Stream.of("models/stories260K/hf/model.safetensors", "torch/llama/model/model.safetensors",
                "torch/qwen2/adapter_step3/adapter_model.safetensors", "torch/llama/adapter_init/adapter_model.safetensors")
                .map(Fixtures::require).toList();
        for (Path original : files) {
            Path copy = tmp.resolve("copy.safetensors");
            try (SafetensorsFile st = SafetensorsFile.open(original)) {
                SafetensorsWriter writer = new SafetensorsWriter();
                st.metadata().forEach(writer::putMetadata);
                for (SafetensorsTensor t : st.tensors()) writer.add(t.name(), t.dtype(), t.shape(), t.data());
                writer.write(copy);
            }
            assertEquals(-1, Files.mismatch(original, copy), original.toString());
        }
    }

    @Test
    void missingTensorAndMissingFile() throws Exception {
        try (SafetensorsFile st = SafetensorsFile.open(Fixtures.require("torch/llama/merged_logits.safetensors"))) {
            assertTrue(st.metadata().isEmpty());
            var e = assertThrows(BadInputException.class, () -> st.tensor("nope"));
            assertTrue(e.getMessage().contains("merged_logits.safetensors") && e.getMessage().contains("'nope'"));
            assertThrows(BadInputException.class, () -> st.tensor("input_ids").toFloatArray());
        }
        var e = assertThrows(BadInputException.class, () -> SafetensorsFile.open(tmp.resolve("absent.safetensors")));
        assertTrue(e.getMessage().contains("no such file"));
    }
}
