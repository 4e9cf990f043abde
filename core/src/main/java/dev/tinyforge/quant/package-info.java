/**
 * ggml's tensor types: {@link dev.tinyforge.quant.GgmlType} (ids and block geometry) and one
 * {@link dev.tinyforge.quant.BlockDecoder} per block family that turns blocks back into floats with
 * ggml's arithmetic, reading straight from a {@link java.lang.foreign.MemorySegment}. Encoders and dot
 * kernels come later.
 */
package dev.tinyforge.quant;
