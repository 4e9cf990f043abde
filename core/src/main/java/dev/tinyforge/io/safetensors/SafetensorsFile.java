package dev.tinyforge.io.safetensors;

import dev.tinyforge.io.MappedFile;
import dev.tinyforge.tensor.LittleEndian;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * A safetensors file opened for reading: mapped into memory, its header validated, each tensor a
 * slice of the mapping (no copy). Layout: a uint64 little-endian header length N, N bytes of JSON
 * (padded with spaces), then the data section that the header's {@code data_offsets} point into.
 *
 * <p>A malformed, truncated or hostile file is a {@link BadInputException} naming the file.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** The reference library refuses larger headers; so do we. */
    public static final long MAX_HEADER_BYTES = 100_000_000;

    private final MappedFile mapped;
    private final long dataOffset;
    private final SequencedMap<String, String> metadata;
    private final List<SafetensorsTensor> tensors;
    private final Map<String, SafetensorsTensor> byName = new HashMap<>();

    private SafetensorsFile(MappedFile mapped, long dataOffset, SequencedMap<String, String> metadata, List<SafetensorsTensor> tensors) {
        this.mapped = mapped;
        this.dataOffset = dataOffset;
        this.metadata = Collections.unmodifiableSequencedMap(metadata);
        this.tensors = tensors;
        for (SafetensorsTensor t : tensors) byName.put(t.name(), t);
    }

    public static SafetensorsFile open(Path path) throws IOException {
        MappedFile mapped = MappedFile.map(path);
        try {
            return read(mapped);
        } catch (RuntimeException e) {
            mapped.close();
            throw e;
        }
    }

    private static SafetensorsFile read(MappedFile mapped) {
        String source = mapped.path().toString();
        MemorySegment file = mapped.segment();
        long size = file.byteSize();
        if (size < 8) throw new BadInputException(source + ": " + size + " bytes is too short for a safetensors file (8-byte header length first)");
        long headerLength = file.get(LittleEndian.I64, 0);
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new BadInputException(source + ": header length " + Long.toUnsignedString(headerLength)
                    + " is over the format's limit of " + MAX_HEADER_BYTES + " bytes (not a safetensors file?)");
        }
        if (headerLength > size - 8) {
            throw new BadInputException(source + ": header length " + headerLength + " is larger than the rest of the file ("
                    + (size - 8) + " bytes; truncated or not a safetensors file?)");
        }
        byte[] json = file.asSlice(8, headerLength).toArray(LittleEndian.I8);
        long dataOffset = 8 + headerLength;
        var parsed = SafetensorsHeader.parse(json, source, size - dataOffset);
        List<SafetensorsTensor> tensors = new ArrayList<>(parsed.entries().size());
        for (var e : parsed.entries()) {
            tensors.add(new SafetensorsTensor(e.name(), e.dtype(), e.shape(), file.asSlice(dataOffset + e.begin(), e.end() - e.begin())));
        }
        return new SafetensorsFile(mapped, dataOffset, parsed.metadata(), List.copyOf(tensors));
    }

    public Path path() {
        return mapped.path();
    }

    /** The {@code __metadata__} entries (empty if the file has none). */
    public SequencedMap<String, String> metadata() {
        return metadata;
    }

    /** All tensors in the order of their data in the file. */
    public List<SafetensorsTensor> tensors() {
        return tensors;
    }

    public List<String> names() {
        return tensors.stream().map(SafetensorsTensor::name).toList();
    }

    public Optional<SafetensorsTensor> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The tensor called {@code name}; a {@link BadInputException} if the file has none. */
    public SafetensorsTensor tensor(String name) {
        SafetensorsTensor t = byName.get(name);
        if (t == null) throw new BadInputException(path() + ": no tensor named '" + name + "'");
        return t;
    }

    /** Byte position where the data section starts (8 + header length). */
    public long dataOffset() {
        return dataOffset;
    }

    @Override
    public void close() {
        mapped.close();
    }
}
