/**
 * ggml's tensor types: {@link dev.tinyforge.quant.GgmlType} (ids and block geometry) and one
 * {@link dev.tinyforge.quant.BlockDecoder} per block family that turns blocks back into floats with
 * ggml's arithmetic, reading straight from a {@link java.lang.foreign.MemorySegment}; and one
 * {@link dev.tinyforge.quant.DotKernel} per weight type that multiplies rows with activations in the
 * Vector API for {@code dev.tinyforge.model.QuantizedMatrix}. Encoders come later.
 */
package dev.tinyforge.quant;
