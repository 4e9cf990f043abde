package dev.tinyforge.io.safetensors;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * Parses and validates the JSON header of a safetensors file:
 * {@code {"__metadata__": {str: str}, "<name>": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...}}.
 *
 * <p>Read with Jackson's streaming parser, never as a tree: a header is at most 100 MB, and a tree of
 * a hostile header (millions of numbers) could take gigabytes. Validation is the reference
 * library's: every size must match dtype and shape, and the tensors' byte ranges must tile the data
 * section exactly, from 0 to its end, without gaps or overlaps.
 */
final class SafetensorsHeader {
    static final String METADATA_KEY = "__metadata__";
    private static final int MAX_DIMS = 64;
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    record Entry(String name, SafetensorsDtype dtype, long[] shape, long begin, long end) {}

    record Parsed(SequencedMap<String, String> metadata, List<Entry> entries) {}

    private final String source;

    private SafetensorsHeader(String source) {
        this.source = source;
    }

    /** Parses {@code json} and checks its entries against a data section of {@code dataSize} bytes. */
    static Parsed parse(byte[] json, String source, long dataSize) {
        return new SafetensorsHeader(source).parse(json, dataSize);
    }

    private Parsed parse(byte[] json, long dataSize) {
        SequencedMap<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw bad("the header is not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals(METADATA_KEY)) {
                    readMetadata(p, metadata);
                } else {
                    entries.add(readEntry(p, name));
                }
            }
            if (p.nextToken() != null) throw bad("the header has data after its JSON object");
        } catch (JacksonException e) {
            // Jackson's parse errors (bad JSON, invalid UTF-8, duplicate keys, limits) all land here
            String at = e.getLocation() == null ? "" : " (header byte " + e.getLocation().getByteOffset() + ")";
            throw bad("the header is not valid JSON: " + firstLine(e.getOriginalMessage()) + at);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // cannot happen: the parser reads a byte array
        }
        return new Parsed(metadata, validate(entries, dataSize));
    }

    private void readMetadata(JsonParser p, SequencedMap<String, String> metadata) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) throw bad("\"__metadata__\" is not an object of strings");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw bad("\"__metadata__\" entry '" + key + "' is not a string (the format allows only string values)");
            }
            metadata.put(key, p.getText());
        }
    }

    private Entry readEntry(JsonParser p, String name) throws IOException {
        String what = "tensor '" + name + "'";
        if (p.currentToken() != JsonToken.START_OBJECT) throw bad(what + " is not described by a JSON object");
        SafetensorsDtype dtype = null;
        long[] shape = null;
        long[] offsets = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "dtype" -> {
                    if (p.currentToken() != JsonToken.VALUE_STRING) throw bad(what + " has a non-string dtype");
                    String text = p.getText();
                    dtype = SafetensorsDtype.byName(text).orElseThrow(() -> bad(what + " has unknown dtype \"" + text
                            + "\"; expected one of " + Arrays.toString(SafetensorsDtype.values())));
                }
                case "shape" -> shape = longs(p, what + " shape", MAX_DIMS);
                case "data_offsets" -> {
                    offsets = longs(p, what + " data_offsets", 2);
                    if (offsets.length != 2) throw bad(what + " data_offsets must be [begin, end]");
                }
                default -> p.skipChildren(); // the reference library ignores unknown fields too
            }
        }
        if (dtype == null) throw bad(what + " has no dtype");
        if (shape == null) throw bad(what + " has no shape");
        if (offsets == null) throw bad(what + " has no data_offsets");
        return new Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private long[] longs(JsonParser p, String what, int max) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) throw bad(what + " is not an array");
        long[] values = new long[max];
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) throw bad(what + " holds " + p.getText() + ", expected non-negative integers");
            if (n == max) throw bad(what + " has more than " + max + " entries");
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() < 0) {
                throw bad(what + " holds " + p.getText() + ", expected a non-negative 64-bit integer");
            }
            values[n++] = p.getLongValue();
        }
        return Arrays.copyOf(values, n);
    }

    private List<Entry> validate(List<Entry> entries, long dataSize) {
        for (Entry e : entries) {
            String what = "tensor '" + e.name + "' (" + e.dtype + " " + Arrays.toString(e.shape) + ")";
            long elements = 1;
            for (long d : e.shape) {
                try {
                    elements = Math.multiplyExact(elements, d);
                } catch (ArithmeticException overflow) {
                    throw bad(what + " has more elements than fit in 64 bits");
                }
            }
            long bytes = e.dtype.byteSize(elements);
            if (bytes < 0) throw bad(what + " does not take a whole number of bytes, or too many");
            if (e.end < e.begin) throw bad(what + " has data_offsets [" + e.begin + ", " + e.end + "] that end before they begin");
            if (e.end > dataSize) {
                throw bad(what + " has data_offsets [" + e.begin + ", " + e.end + "] past the end of the data section ("
                        + dataSize + " bytes; truncated file?)");
            }
            if (e.end - e.begin != bytes) {
                throw bad(what + " needs " + bytes + " bytes but its data_offsets [" + e.begin + ", " + e.end + "] span "
                        + (e.end - e.begin));
            }
        }
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.begin < expected) {
                throw bad("tensor '" + e.name + "' (bytes [" + e.begin + ", " + e.end + ")) overlaps tensor '"
                        + previous.name + "' ([" + previous.begin + ", " + previous.end + "))");
            }
            if (e.begin > expected) {
                throw bad("data bytes [" + expected + ", " + e.begin + ") belong to no tensor (before tensor '" + e.name + "')");
            }
            expected = e.end;
            previous = e;
        }
        if (expected != dataSize) {
            throw bad("the data section has " + dataSize + " bytes but the tensors cover only " + expected);
        }
        return List.copyOf(sorted);
    }

    private BadInputException bad(String problem) {
        return new BadInputException(source + ": " + problem);
    }

    private static String firstLine(String message) {
        if (message == null) return "unreadable";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
