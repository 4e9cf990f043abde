package dev.tinyforge.io.gguf;

/**
 * One GGUF metadata value. Integers of every width share {@link Int} (the width is its type); a
 * {@code UINT64} above {@link Long#MAX_VALUE} is kept as its raw bits (read it with
 * {@link Long#toUnsignedString}). Values are plain heap objects, usable after the file is closed.
 */
public sealed interface GgufValue permits GgufValue.Int, GgufValue.F32, GgufValue.F64, GgufValue.Bool, GgufValue.Str, GgufArray {

    GgufValueType type();

    /** An integer of any of the eight integer types; {@code value} lies in that type's range. */
    record Int(GgufValueType type, long value) implements GgufValue {
        public Int {
            if (!type.isInteger()) throw new IllegalArgumentException(type + " is not an integer type");
            if (!fits(type, value)) throw new IllegalArgumentException(value + " is out of range for " + type);
        }

        static boolean fits(GgufValueType type, long value) {
            return switch (type) {
                case UINT8 -> value >= 0 && value <= 0xFF;
                case INT8 -> value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE;
                case UINT16 -> value >= 0 && value <= 0xFFFF;
                case INT16 -> value >= Short.MIN_VALUE && value <= Short.MAX_VALUE;
                case UINT32 -> value >= 0 && value <= 0xFFFF_FFFFL;
                case INT32 -> value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE;
                default -> true; // UINT64 (raw bits) and INT64
            };
        }
    }

    record F32(float value) implements GgufValue {
        @Override
        public GgufValueType type() {
            return GgufValueType.FLOAT32;
        }
    }

    record F64(double value) implements GgufValue {
        @Override
        public GgufValueType type() {
            return GgufValueType.FLOAT64;
        }
    }

    record Bool(boolean value) implements GgufValue {
        @Override
        public GgufValueType type() {
            return GgufValueType.BOOL;
        }
    }

    record Str(String value) implements GgufValue {
        public Str {
            if (value == null) throw new IllegalArgumentException("null string");
        }

        @Override
        public GgufValueType type() {
            return GgufValueType.STRING;
        }
    }

    static Int u8(int value) {
        return new Int(GgufValueType.UINT8, value);
    }

    static Int i8(int value) {
        return new Int(GgufValueType.INT8, value);
    }

    static Int u16(int value) {
        return new Int(GgufValueType.UINT16, value);
    }

    static Int i16(int value) {
        return new Int(GgufValueType.INT16, value);
    }

    static Int u32(long value) {
        return new Int(GgufValueType.UINT32, value);
    }

    static Int i32(int value) {
        return new Int(GgufValueType.INT32, value);
    }

    static Int u64(long rawBits) {
        return new Int(GgufValueType.UINT64, rawBits);
    }

    static Int i64(long value) {
        return new Int(GgufValueType.INT64, value);
    }

    static F32 f32(float value) {
        return new F32(value);
    }

    static F64 f64(double value) {
        return new F64(value);
    }

    static Bool bool(boolean value) {
        return new Bool(value);
    }

    static Str string(String value) {
        return new Str(value);
    }
}
