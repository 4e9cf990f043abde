package dev.tinyforge.io.gguf;

import dev.tinyforge.util.BadInputException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * The key-value metadata of a GGUF file, in file order, with typed getters. A getter that finds the
 * key missing or of the wrong type throws a {@link BadInputException} naming the file, the key and
 * what was expected; the getters with a default return it only when the key is absent.
 */
public final class GgufMetadata {
    private final String source;
    private final SequencedMap<String, GgufValue> values;

    /** {@code source} names where the values came from, for error messages (usually the file path). */
    public GgufMetadata(String source, Map<String, GgufValue> values) {
        this.source = source;
        this.values = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(values));
    }

    /** All entries in file order. */
    public SequencedMap<String, GgufValue> asMap() {
        return values;
    }

    public int size() {
        return values.size();
    }

    public boolean contains(String key) {
        return values.containsKey(key);
    }

    public Optional<GgufValue> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public String getString(String key) {
        return switch (require(key, "a string")) {
            case GgufValue.Str s -> s.value();
            case GgufValue other -> throw wrongType(key, other, "a string");
        };
    }

    public String getString(String key, String defaultValue) {
        return contains(key) ? getString(key) : defaultValue;
    }

    /** Any integer type whose value fits in an int. */
    public int getInt(String key) {
        long value = getLong(key);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw bad(key, "is " + value + ", outside the range of an int");
        }
        return (int) value;
    }

    public int getInt(String key, int defaultValue) {
        return contains(key) ? getInt(key) : defaultValue;
    }

    /** Any integer type whose value fits in a signed long. */
    public long getLong(String key) {
        return switch (require(key, "an integer")) {
            case GgufValue.Int n when n.type() == GgufValueType.UINT64 && n.value() < 0 ->
                    throw bad(key, "is " + Long.toUnsignedString(n.value()) + ", too large for a signed 64-bit integer");
            case GgufValue.Int n -> n.value();
            case GgufValue other -> throw wrongType(key, other, "an integer");
        };
    }

    public long getLong(String key, long defaultValue) {
        return contains(key) ? getLong(key) : defaultValue;
    }

    /** A float or integer value, as a double. */
    public double getDouble(String key) {
        return switch (require(key, "a number")) {
            case GgufValue.F32 f -> f.value();
            case GgufValue.F64 f -> f.value();
            case GgufValue.Int n when n.type() == GgufValueType.UINT64 -> GgufArray.unsignedToDouble(n.value());
            case GgufValue.Int n -> n.value();
            case GgufValue other -> throw wrongType(key, other, "a number");
        };
    }

    public double getDouble(String key, double defaultValue) {
        return contains(key) ? getDouble(key) : defaultValue;
    }

    public float getFloat(String key) {
        return get(key).orElse(null) instanceof GgufValue.F32 f ? f.value() : (float) getDouble(key);
    }

    public float getFloat(String key, float defaultValue) {
        return contains(key) ? getFloat(key) : defaultValue;
    }

    public boolean getBoolean(String key) {
        return switch (require(key, "a bool")) {
            case GgufValue.Bool b -> b.value();
            case GgufValue other -> throw wrongType(key, other, "a bool");
        };
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        return contains(key) ? getBoolean(key) : defaultValue;
    }

    public GgufArray getArray(String key) {
        return switch (require(key, "an array")) {
            case GgufArray a -> a;
            case GgufValue other -> throw wrongType(key, other, "an array");
        };
    }

    private GgufValue require(String key, String expected) {
        GgufValue value = values.get(key);
        if (value == null) throw bad(key, "is missing; expected " + expected);
        return value;
    }

    private BadInputException wrongType(String key, GgufValue value, String expected) {
        return bad(key, "has type " + value.type() + "; expected " + expected);
    }

    private BadInputException bad(String key, String problem) {
        return new BadInputException(source + ": metadata key '" + key + "' " + problem);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufMetadata other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
