package dev.tinyforge.quant;

import dev.tinyforge.tensor.BFloat16;
import dev.tinyforge.tensor.Float16;
import dev.tinyforge.tensor.LittleEndian;
import java.lang.foreign.MemorySegment;

/** The unquantized float types, whose "blocks" are single values: F32, F16 and BF16. */
public final class FloatBlock implements BlockDecoder {
    public static final FloatBlock F32 = new FloatBlock(GgmlType.F32);
    public static final FloatBlock F16 = new FloatBlock(GgmlType.F16);
    public static final FloatBlock BF16 = new FloatBlock(GgmlType.BF16);

    private final GgmlType type;

    private FloatBlock(GgmlType type) {
        this.type = type;
    }

    @Override
    public GgmlType type() {
        return type;
    }

    @Override
    public void decodeBlock(MemorySegment src, long offset, float[] dst, int at) {
        dst[at] = switch (type) {
            case F32 -> src.get(LittleEndian.F32, offset);
            case F16 -> Float16.toFloat(src.get(LittleEndian.I16, offset));
            default -> BFloat16.toFloat(src.get(LittleEndian.I16, offset));
        };
    }

    @Override
    public void decode(MemorySegment src, long offset, float[] dst, int at, int count) {
        switch (type) {
            // raw bit copy: keeps NaN payloads exactly
            case F32 -> MemorySegment.copy(src, LittleEndian.F32, offset, dst, at, count);
            case F16 -> {
                for (int i = 0; i < count; i++) dst[at + i] = Float16.toFloat(src.get(LittleEndian.I16, offset + 2L * i));
            }
            default -> {
                for (int i = 0; i < count; i++) dst[at + i] = BFloat16.toFloat(src.get(LittleEndian.I16, offset + 2L * i));
            }
        }
    }
}
