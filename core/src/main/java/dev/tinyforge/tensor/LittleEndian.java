package dev.tinyforge.tensor;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Value layouts for the file formats we read and write: GGUF and safetensors are little-endian and
 * do not promise natural alignment (a safetensors header can end anywhere, a GGUF string can have any
 * length), so every access goes through an unaligned, explicitly little-endian layout.
 */
public final class LittleEndian {
    private LittleEndian() {}

    public static final ValueLayout.OfByte I8 = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
}
