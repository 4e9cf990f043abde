package dev.tinyforge.io.safetensors;

import java.util.Optional;

/**
 * The element types of the safetensors format, declared in the reference library's order: that
 * order is also its layout rank (the writer puts tensors of later types first, so that every
 * tensor's data stays aligned to its element size).
 */
public enum SafetensorsDtype {
    BOOL(8),
    F4(4),
    F6_E2M3(6),
    F6_E3M2(6),
    U8(8),
    I8(8),
    F8_E5M2(8),
    F8_E4M3(8),
    F8_E8M0(8),
    F8_E4M3FNUZ(8),
    F8_E5M2FNUZ(8),
    I16(16),
    U16(16),
    F16(16),
    BF16(16),
    I32(32),
    U32(32),
    F32(32),
    C64(64),
    F64(64),
    I64(64),
    U64(64);

    private final int bits;

    SafetensorsDtype(int bits) {
        this.bits = bits;
    }

    /** Bits per element (sub-byte types are packed). */
    public int bits() {
        return bits;
    }

    /** Whether TinyForge can convert this type to floats (F64 narrows). */
    public boolean isFloat() {
        return this == F16 || this == BF16 || this == F32 || this == F64;
    }

    public boolean isInteger() {
        return switch (this) {
            case BOOL, U8, I8, I16, U16, I32, U32, I64, U64 -> true;
            default -> false;
        };
    }

    /** Bytes that {@code elements} values take, or -1 if that is not a whole number of bytes or overflows. */
    public long byteSize(long elements) {
        if (elements < 0 || elements > Long.MAX_VALUE / bits) return -1;
        long totalBits = elements * bits;
        return totalBits % 8 == 0 ? totalBits / 8 : -1;
    }

    /** The dtype spelled {@code name} in a header ("F32", "BF16", ...). */
    public static Optional<SafetensorsDtype> byName(String name) {
        for (SafetensorsDtype d : values()) if (d.name().equals(name)) return Optional.of(d);
        return Optional.empty();
    }
}
