package dev.tinyforge.io.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.quant.GgmlType;
import dev.tinyforge.tensor.LittleEndian;
import dev.tinyforge.testing.Fixtures;
import dev.tinyforge.util.BadInputException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading llama.cpp's own GGUF files, and writing them back byte for byte. */
class GgufFileTest {
    @TempDir
    Path tmp;

    private static Path stories() {
        return Fixtures.require("models/stories260K/stories260K.gguf");
    }

    @Test
    void stories260KMetadataIsWhatLlamaCppsConverterWrote() throws Exception {
        try (GgufFile gguf = GgufFile.open(stories())) {
            assertEquals(3, gguf.version());
            assertEquals(32, gguf.alignment());
            assertEquals(0, gguf.dataOffset() % 32);
            GgufMetadata m = gguf.metadata();
            assertEquals(19, m.size());
            assertEquals("llama", m.getString("general.architecture"));
            assertEquals("llama", m.getString("general.name"));
            assertEquals("llama", m.getString("tokenizer.ggml.model"));
            assertEquals(128, m.getInt("llama.context_length")); // the converter's n_ctx, not the model's 512
            assertEquals(64, m.getInt("llama.embedding_length"));
            assertEquals(172, m.getInt("llama.feed_forward_length"));
            assertEquals(8, m.getInt("llama.attention.head_count"));
            assertEquals(4, m.getInt("llama.attention.head_count_kv"));
            assertEquals(5, m.getInt("llama.block_count"));
            assertEquals(1e-5f, m.getFloat("llama.attention.layer_norm_rms_epsilon"));
            assertFalse(m.contains("llama.rope.freq_base"));
            assertEquals(10000f, m.getFloat("llama.rope.freq_base", 10000f));
            assertFalse(m.contains("general.file_type"));
            assertEquals(0, m.getInt("tokenizer.ggml.unknown_token_id"));
            assertEquals(1, m.getInt("tokenizer.ggml.bos_token_id"));
            assertEquals(2, m.getInt("tokenizer.ggml.eos_token_id"));
            assertEquals(0xFFFF_FFFFL, m.getLong("tokenizer.ggml.padding_token_id"));
            var tooBig = assertThrows(BadInputException.class, () -> m.getInt("tokenizer.ggml.seperator_token_id"));
            assertTrue(tooBig.getMessage().contains("stories260K.gguf") && tooBig.getMessage().contains("4294967295"), tooBig.getMessage());

            GgufArray tokens = m.getArray("tokenizer.ggml.tokens");
            GgufArray scores = m.getArray("tokenizer.ggml.scores");
            GgufArray types = m.getArray("tokenizer.ggml.token_type");
            assertEquals(GgufValueType.STRING, tokens.elementType());
            assertEquals(GgufValueType.FLOAT32, scores.elementType());
            assertEquals(GgufValueType.INT32, types.elementType());
            assertEquals(512, tokens.size());
            assertEquals(List.of("<unk>", "<s>", "</s>", "<0x00>"), tokens.toStringList().subList(0, 4));
            assertEquals("<0xFF>", tokens.getString(258));
            assertTrue(tokens.toStringList().stream().anyMatch(t -> t.startsWith("\u2581")), "spaces are escaped as U+2581");
            for (int id = 0; id < 512; id++) {
                int expectedType = id == 0 ? 2 : id <= 2 ? 3 : id <= 258 ? 6 : 1;
                assertEquals(expectedType, types.getLong(id), "type of token " + id);
                assertEquals(id <= 258 ? 0f : -(id - 259), scores.getFloat(id), 0f, "score of token " + id); // 259 is -0.0
            }
        }
    }

    @Test
    void stories260KTensors() throws Exception {
        try (GgufFile gguf = GgufFile.open(stories())) {
            List<GgufTensorInfo> tensors = gguf.tensors();
            assertEquals(3 + 5 * 9, tensors.size());
            assertEquals(List.of("token_embd.weight", "output_norm.weight", "output.weight", "blk.0.attn_q.weight",
                    "blk.0.attn_k.weight", "blk.0.attn_v.weight", "blk.0.attn_output.weight", "blk.0.attn_norm.weight",
                    "blk.0.ffn_gate.weight", "blk.0.ffn_down.weight", "blk.0.ffn_up.weight", "blk.0.ffn_norm.weight"),
                    tensors.subList(0, 12).stream().map(GgufTensorInfo::name).toList());
            for (GgufTensorInfo t : tensors) {
                assertEquals(GgmlType.F32, t.type(), t.name());
                assertEquals(t.elementCount() * 4, t.byteSize(), t.name());
                assertEquals(0, t.offset() % 32, t.name());
            }
            GgufTensorInfo embd = gguf.tensor("token_embd.weight");
            assertArrayEquals(new long[] {64, 512}, embd.shape());
            assertEquals(64, embd.rowLength());
            assertEquals(512, embd.rowCount());
            assertArrayEquals(new long[] {64, 32}, gguf.tensor("blk.4.attn_k.weight").shape());
            assertArrayEquals(new long[] {172, 64}, gguf.tensor("blk.4.ffn_down.weight").shape());
            // the converter copied the shared classifier: output equals the embeddings byte for byte
            assertEquals(-1, embd.data().mismatch(gguf.tensor("output.weight").data()));
            float[] row = new float[64];
            embd.decodeRow(7, row);
            float[] all = embd.toFloatArray();
            for (int i = 0; i < 64; i++) assertEquals(all[7 * 64 + i], row[i]);
            assertTrue(gguf.findTensor("nope").isEmpty());
            var missing = assertThrows(BadInputException.class, () -> gguf.tensor("nope"));
            assertTrue(missing.getMessage().contains("nope"));
        }
    }

    @Test
    void quantFixturesMatchTheirManifest() throws Exception {
        Path dir = Fixtures.require("quant");
        JsonNode manifest = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
        checkAgainstManifest(dir, manifest.get("input"));
        for (JsonNode output : manifest.get("outputs")) {
            checkAgainstManifest(dir, output);
            try (GgufFile gguf = GgufFile.open(dir.resolve(output.get("file").asText()))) {
                assertEquals(output.get("general.file_type").asInt(), gguf.metadata().getInt("general.file_type"));
                assertEquals(2, gguf.metadata().getInt("general.quantization_version"));
            }
        }
    }

    private static void checkAgainstManifest(Path dir, JsonNode entry) throws Exception {
        String file = entry.get("file").asText();
        assertEquals(entry.get("size").asLong(), Files.size(dir.resolve(file)));
        try (GgufFile gguf = GgufFile.open(dir.resolve(file))) {
            JsonNode tensors = entry.get("tensors");
            assertEquals(tensors.size(), gguf.tensors().size(), file);
            for (JsonNode expected : tensors) {
                GgufTensorInfo t = gguf.tensor(expected.get("name").asText());
                String what = file + " " + t.name();
                assertEquals(expected.get("type").asText(), t.type().name(), what);
                long[] ne = new long[expected.get("ne").size()];
                for (int i = 0; i < ne.length; i++) ne[i] = expected.get("ne").get(i).asLong();
                assertArrayEquals(ne, t.shape(), what);
                assertEquals(expected.get("n_bytes").asLong(), t.byteSize(), what);
                assertEquals(expected.get("data_offset").asLong(), gguf.dataOffset() + t.offset(), what);
                assertEquals(expected.get("data_sha256").asText(), sha256(t.data()), what);
            }
        }
    }

    @Test
    void rewritingLlamaCppFilesGivesTheSameBytes() throws Exception {
        for (Path original : List.of(stories(), Fixtures.require("quant/rand-Q4_K_M.gguf"), Fixtures.require("quant/rand-Q3_K_S-pure.gguf"))) {
            Path copy = tmp.resolve("copy-" + original.getFileName());
            try (GgufFile gguf = GgufFile.open(original)) {
                GgufWriter writer = new GgufWriter().putAll(gguf.metadata());
                for (GgufTensorInfo t : gguf.tensors()) writer.addTensor(t.name(), t.type(), t.shape(), t.data());
                writer.write(copy);
            }
            assertEquals(-1, Files.mismatch(original, copy), "rewritten " + original.getFileName() + " differs");
        }
    }

    @Test
    void filesLargerThan2GbAreMappedWithLongOffsets() throws Exception {
        long elements = 3L << 30; // a 3 GiB I8 tensor in a sparse file
        Path big = tmp.resolve("big.gguf");
        ByteBuffer header = ByteBuffer.allocate(96).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        header.putInt(GgufReader.MAGIC).putInt(3).putLong(1).putLong(0);
        byte[] name = "huge".getBytes();
        header.putLong(name.length).put(name).putInt(2).putLong(elements / 2).putLong(2).putInt(GgmlType.I8.id()).putLong(0);
        long dataStart = GgufReader.alignUp(header.position(), 32);
        try (var raf = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            raf.write(header.array(), 0, header.position());
            raf.setLength(dataStart + elements);
            raf.seek(dataStart + elements - 1);
            raf.write(42);
        }
        try (GgufFile gguf = GgufFile.open(big)) {
            GgufTensorInfo t = gguf.tensor("huge");
            assertEquals(elements, t.byteSize());
            assertEquals(42, t.data().get(LittleEndian.I8, elements - 1));
            assertEquals(0, t.data().get(LittleEndian.I8, (1L << 31) + 5));
        }
    }

    @Test
    void tensorDataIsUnreadableAfterClose() throws Exception {
        MemorySegment data;
        GgufMetadata metadata;
        try (GgufFile gguf = GgufFile.open(stories())) {
            data = gguf.tensor("output_norm.weight").data();
            metadata = gguf.metadata();
        }
        assertThrows(IllegalStateException.class, () -> data.get(LittleEndian.F32, 0));
        assertEquals(512, metadata.getArray("tokenizer.ggml.tokens").size()); // metadata lives on the heap
    }

    static String sha256(MemorySegment data) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(data.asByteBuffer());
        return HexFormat.of().formatHex(digest.digest());
    }
}
