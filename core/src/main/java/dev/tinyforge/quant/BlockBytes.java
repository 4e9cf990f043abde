package dev.tinyforge.quant;

import dev.tinyforge.tensor.Float16;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little-endian fields inside encoded blocks, which are built in byte arrays. */
final class BlockBytes {
    private BlockBytes() {}

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    static void putShort(byte[] dst, int at, short value) {
        SHORT.set(dst, at, value);
    }

    static short getShort(byte[] src, int at) {
        return (short) SHORT.get(src, at);
    }

    static void putInt(byte[] dst, int at, int value) {
        INT.set(dst, at, value);
    }

    static void putFloat(byte[] dst, int at, float value) {
        FLOAT.set(dst, at, value);
    }

    /** Stores {@code value} as an F16 field, rounded as ggml's {@code GGML_FP32_TO_FP16}. */
    static void putHalf(byte[] dst, int at, float value) {
        putShort(dst, at, Float16.fromFloat(value));
    }

    /** The F16 field at {@code at} as a float (exact), as ggml's {@code GGML_FP16_TO_FP32}. */
    static float getHalf(byte[] src, int at) {
        return Float16.toFloat(getShort(src, at));
    }
}
