package dev.tinyforge.io.safetensors;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * The weights of a Hugging Face checkpoint: one {@code model.safetensors}, or shards listed by
 * {@code model.safetensors.index.json} ({@code {"metadata": {...}, "weight_map": {tensor: shard file}}}).
 * Tensors of every shard are reachable by name; closing closes every shard.
 */
public final class SafetensorsCheckpoint implements AutoCloseable {
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";
    private static final long MAX_INDEX_BYTES = 64L << 20;
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final List<SafetensorsFile> shards;
    private final SequencedMap<String, SafetensorsTensor> tensors;

    private SafetensorsCheckpoint(List<SafetensorsFile> shards, SequencedMap<String, SafetensorsTensor> tensors) {
        this.shards = List.copyOf(shards);
        this.tensors = Collections.unmodifiableSequencedMap(tensors);
    }

    /**
     * Opens a folder (its index if present, else {@code model.safetensors}), an index file, or a
     * single {@code .safetensors} file.
     */
    public static SafetensorsCheckpoint open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            if (Files.exists(path.resolve(INDEX_FILE))) return openIndex(path.resolve(INDEX_FILE));
            if (Files.exists(path.resolve(SINGLE_FILE))) return openSingle(path.resolve(SINGLE_FILE));
            throw new BadInputException(path + ": no " + SINGLE_FILE + " or " + INDEX_FILE + " in this folder");
        }
        if (path.getFileName() != null && path.getFileName().toString().endsWith(".json")) return openIndex(path);
        return openSingle(path);
    }

    private static SafetensorsCheckpoint openSingle(Path file) throws IOException {
        SafetensorsFile f = SafetensorsFile.open(file);
        SequencedMap<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
        for (SafetensorsTensor t : f.tensors()) tensors.put(t.name(), t);
        return new SafetensorsCheckpoint(List.of(f), tensors);
    }

    private static SafetensorsCheckpoint openIndex(Path index) throws IOException {
        SequencedMap<String, String> weightMap = readWeightMap(index);
        Path dir = index.toAbsolutePath().getParent();
        Map<String, SafetensorsFile> opened = new LinkedHashMap<>();
        SequencedMap<String, SafetensorsTensor> tensors = new LinkedHashMap<>();
        try {
            for (var e : weightMap.entrySet()) {
                String shardName = e.getValue();
                checkShardName(index, e.getKey(), shardName);
                SafetensorsFile shard = opened.get(shardName);
                if (shard == null) {
                    shard = SafetensorsFile.open(dir.resolve(shardName));
                    opened.put(shardName, shard);
                }
                SafetensorsFile inShard = shard;
                SafetensorsTensor t = shard.find(e.getKey()).orElseThrow(() -> new BadInputException(index
                        + ": weight_map puts tensor '" + e.getKey() + "' in " + shardName + ", which has no such tensor ("
                        + inShard.tensors().size() + " tensors there)"));
                tensors.put(e.getKey(), t);
            }
        } catch (IOException | RuntimeException failure) {
            opened.values().forEach(SafetensorsFile::close);
            throw failure;
        }
        return new SafetensorsCheckpoint(new ArrayList<>(opened.values()), tensors);
    }

    /** Shard names must be plain file names beside the index: no folders, no way out of it. */
    private static void checkShardName(Path index, String tensor, String shard) {
        if (shard.isEmpty() || shard.equals(".") || shard.equals("..") || shard.contains("/") || shard.contains("\\")
                || shard.indexOf('\0') >= 0 || shard.contains(":")) {
            throw new BadInputException(index + ": weight_map entry for tensor '" + tensor + "' names shard \"" + shard
                    + "\"; expected a file name in the same folder");
        }
    }

    private static SequencedMap<String, String> readWeightMap(Path index) throws IOException {
        if (!Files.isRegularFile(index)) throw new BadInputException(index + ": no such file");
        long size = Files.size(index);
        if (size > MAX_INDEX_BYTES) throw new BadInputException(index + ": " + size + " bytes is too large for an index file");
        SequencedMap<String, String> weightMap = null;
        try (JsonParser p = JSON.createParser(Files.readAllBytes(index))) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new BadInputException(index + ": not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("weight_map")) {
                    weightMap = readStringMap(p, index);
                } else {
                    p.skipChildren();
                }
            }
        } catch (JacksonException e) {
            throw new BadInputException(index + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (weightMap == null) throw new BadInputException(index + ": no \"weight_map\" object; expected {\"weight_map\": {tensor: file}}");
        return weightMap;
    }

    private static SequencedMap<String, String> readStringMap(JsonParser p, Path index) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) throw new BadInputException(index + ": \"weight_map\" is not an object");
        SequencedMap<String, String> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw new BadInputException(index + ": weight_map entry '" + key + "' is not a file name string");
            }
            map.put(key, p.getText());
        }
        return map;
    }

    /** The shard files, in the order first named by the index. */
    public List<SafetensorsFile> shards() {
        return shards;
    }

    /** All tensors by name (index order, or file order for a single file). */
    public SequencedMap<String, SafetensorsTensor> tensors() {
        return tensors;
    }

    public Optional<SafetensorsTensor> find(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    public SafetensorsTensor tensor(String name) {
        SafetensorsTensor t = tensors.get(name);
        if (t == null) throw new BadInputException(shards.getFirst().path().getParent() + ": checkpoint has no tensor named '" + name + "'");
        return t;
    }

    @Override
    public void close() {
        for (SafetensorsFile shard : shards) shard.close();
    }
}
