package dev.tinyforge.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.testing.Fixtures;
import dev.tinyforge.util.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsCheckpointTest {
    @TempDir
    Path tmp;

    private void shards() throws Exception {
        new SafetensorsWriter().addFloats("model.a", new long[] {2}, new float[] {1, 2})
                .addFloats("model.b", new long[] {1}, new float[] {3}).write(tmp.resolve("model-00001-of-00002.safetensors"));
        new SafetensorsWriter().addFloats("model.c", new long[] {2, 2}, new float[] {4, 5, 6, 7})
                .write(tmp.resolve("model-00002-of-00002.safetensors"));
    }

    private void index(String weightMap) throws Exception {
        Files.writeString(tmp.resolve(SafetensorsCheckpoint.INDEX_FILE),
                "{\"metadata\": {\"total_size\": 28}, \"weight_map\": {" + weightMap + "}}");
    }

    @Test
    void shardedCheckpointThroughItsIndex() throws Exception {
        shards();
        index("\"model.a\": \"model-00001-of-00002.safetensors\", \"model.c\": \"model-00002-of-00002.safetensors\","
                + " \"model.b\": \"model-00001-of-00002.safetensors\"");
        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(tmp)) {
            assertEquals(2, ckpt.shards().size());
            assertEquals(List.of("model.a", "model.c", "model.b"), List.copyOf(ckpt.tensors().keySet()));
            assertArrayEquals(new float[] {4, 5, 6, 7}, ckpt.tensor("model.c").toFloatArray());
            assertArrayEquals(new float[] {3}, ckpt.tensor("model.b").toFloatArray());
            assertThrows(BadInputException.class, () -> ckpt.tensor("model.d"));
        }
        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(tmp.resolve(SafetensorsCheckpoint.INDEX_FILE))) {
            assertEquals(3, ckpt.tensors().size());
        }
    }

    @Test
    void singleFileFolder() throws Exception {
        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(Fixtures.require("models/stories260K/hf"))) {
            assertEquals(1, ckpt.shards().size());
            assertEquals(47, ckpt.tensors().size());
        }
    }

    private void rejects(String fragment) {
        var e = assertThrows(BadInputException.class, () -> SafetensorsCheckpoint.open(tmp).close());
        assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' missing from: " + e.getMessage());
    }

    @Test
    void badIndexes() throws Exception {
        rejects("no model.safetensors or model.safetensors.index.json");
        shards();
        index("\"model.a\": \"../outside.safetensors\"");
        rejects("names shard \"../outside.safetensors\"; expected a file name in the same folder");
        index("\"model.a\": \"/etc/passwd\"");
        rejects("expected a file name in the same folder");
        index("\"model.x\": \"model-00001-of-00002.safetensors\"");
        rejects("puts tensor 'model.x' in model-00001-of-00002.safetensors, which has no such tensor");
        index("\"model.a\": \"model-00009-of-00009.safetensors\"");
        rejects("no such file");
        index("\"model.a\": 7");
        rejects("is not a file name string");
        index("\"model.a\": \"x\", \"model.a\": \"y\"");
        rejects("not valid JSON");
        Files.writeString(tmp.resolve(SafetensorsCheckpoint.INDEX_FILE), "{\"metadata\": {}}");
        rejects("no \"weight_map\"");
        Files.writeString(tmp.resolve(SafetensorsCheckpoint.INDEX_FILE), "{\"weight_map\": {");
        rejects("not valid JSON");
    }
}
