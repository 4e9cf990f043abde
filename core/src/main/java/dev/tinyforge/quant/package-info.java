/**
 * ggml's tensor types: {@link dev.tinyforge.quant.GgmlType} (ids and block geometry) and one
 * {@link dev.tinyforge.quant.BlockDecoder} per block family that turns blocks back into floats with
 * ggml's arithmetic, reading straight from a {@link java.lang.foreign.MemorySegment}; and one
 * {@link dev.tinyforge.quant.DotKernel} per weight type that multiplies rows with activations in the
 * Vector API for {@code dev.tinyforge.model.QuantizedMatrix}.
 *
 * <p>Encoding: {@link dev.tinyforge.quant.Quantizer} turns float rows into any of these types with
 * the bytes of llama.cpp's reference quantizers (one {@code BlockEncoder} per type),
 * {@link dev.tinyforge.quant.FileType} names llama.cpp's file types, and
 * {@link dev.tinyforge.quant.QuantMix} picks each tensor's type within one as llama-quantize does.
 */
package dev.tinyforge.quant;
