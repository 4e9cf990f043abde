package dev.tinyforge.io.gguf;

import dev.tinyforge.io.MappedFile;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A GGUF file opened for reading: the file is memory-mapped, its header parsed and validated, and
 * each tensor exposed as a slice of the mapping (no copy). Metadata lives on the heap and outlives
 * the file; tensor data is valid until {@link #close}.
 *
 * <pre>{@code
 * try (GgufFile gguf = GgufFile.open(path)) {
 *     String arch = gguf.metadata().getString("general.architecture");
 *     float[] embeddings = gguf.tensor("token_embd.weight").toFloatArray();
 * }
 * }</pre>
 *
 * A malformed, truncated or hostile file is a {@link BadInputException} naming the file and the entry.
 */
public final class GgufFile implements AutoCloseable {
    public static final int DEFAULT_ALIGNMENT = 32;

    private final MappedFile mapped;
    private final GgufReader.Parsed parsed;
    private final Map<String, GgufTensorInfo> byName = new HashMap<>();

    private GgufFile(MappedFile mapped, GgufReader.Parsed parsed) {
        this.mapped = mapped;
        this.parsed = parsed;
        for (GgufTensorInfo t : parsed.tensors()) byName.put(t.name(), t);
    }

    public static GgufFile open(Path path) throws IOException {
        MappedFile mapped = MappedFile.map(path);
        try {
            return new GgufFile(mapped, GgufReader.parse(mapped.segment(), path.toString()));
        } catch (RuntimeException e) {
            mapped.close();
            throw e;
        }
    }

    public Path path() {
        return mapped.path();
    }

    /** The GGUF version of the file (2 or 3). */
    public int version() {
        return parsed.version();
    }

    /** Alignment of tensor data in bytes ({@code general.alignment}, default 32). */
    public int alignment() {
        return parsed.alignment();
    }

    /** Byte position in the file where the data section (tensor offset 0) starts. */
    public long dataOffset() {
        return parsed.dataOffset();
    }

    public GgufMetadata metadata() {
        return parsed.metadata();
    }

    /** All tensors in file order. */
    public List<GgufTensorInfo> tensors() {
        return parsed.tensors();
    }

    public Optional<GgufTensorInfo> findTensor(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The tensor called {@code name}; a {@link BadInputException} if the file has none. */
    public GgufTensorInfo tensor(String name) {
        GgufTensorInfo t = byName.get(name);
        if (t == null) throw new BadInputException(path() + ": no tensor named '" + name + "'");
        return t;
    }

    /** Unmaps the file; tensor segments obtained from it can no longer be read. */
    @Override
    public void close() {
        mapped.close();
    }
}
