package dev.tinyforge.quant;

import java.lang.foreign.MemorySegment;

/**
 * Turns one block of a ggml tensor type back into floats, with the arithmetic of ggml's
 * {@code dequantize_row_*} (same operations, same order, float32 throughout), so results are
 * bit-identical to llama.cpp's reference path. Blocks are read straight from the segment
 * (mapped file or heap); nothing is copied first.
 */
public sealed interface BlockDecoder
        permits FloatBlock, Q4_0Block, Q4_1Block, Q5_0Block, Q5_1Block, Q8_0Block,
                Q2KBlock, Q3KBlock, Q4KBlock, Q5KBlock, Q6KBlock {

    GgmlType type();

    /** Decodes the block at byte {@code offset} of {@code src} into {@code dst[at .. at + blockSize)}. */
    void decodeBlock(MemorySegment src, long offset, float[] dst, int at);

    /**
     * Decodes {@code count} consecutive values (a whole number of blocks) starting at byte
     * {@code offset} of {@code src} into {@code dst[at .. at + count)}.
     */
    default void decode(MemorySegment src, long offset, float[] dst, int at, int count) {
        GgmlType type = type();
        int blockSize = type.blockSize();
        if (count % blockSize != 0) {
            throw new IllegalArgumentException(count + " values is not a whole number of " + type + " blocks of " + blockSize);
        }
        for (int done = 0; done < count; done += blockSize) {
            decodeBlock(src, offset, dst, at + done);
            offset += type.typeSize();
        }
    }
}
