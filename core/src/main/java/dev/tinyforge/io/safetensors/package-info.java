/**
 * safetensors: {@link dev.tinyforge.io.safetensors.SafetensorsFile} (one mapped file),
 * {@link dev.tinyforge.io.safetensors.SafetensorsCheckpoint} (a Hugging Face folder, sharded or not)
 * and {@link dev.tinyforge.io.safetensors.SafetensorsWriter}, which writes the reference library's bytes.
 */
package dev.tinyforge.io.safetensors;
