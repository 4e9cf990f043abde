/**
 * GGUF v3 (v2 read too): {@link dev.tinyforge.io.gguf.GgufFile} maps a file and exposes its metadata
 * and tensors without copying; {@link dev.tinyforge.io.gguf.GgufWriter} writes files that llama.cpp
 * loads, byte-identical to llama.cpp's own writer for the same content. Format reference: the GGUF
 * specification in ggml's docs/gguf.md.
 */
package dev.tinyforge.io.gguf;
