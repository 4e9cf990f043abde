/**
 * From a model or a fine-tuning run to files other tools load: {@link dev.tinyforge.export.Merge}
 * (a LoRA run folded into an HF folder), {@link dev.tinyforge.export.GgufExport} (one GGUF for
 * llama.cpp and Ollama, a llama.cpp LoRA GGUF, Modelfiles, manifest.json, and the before/after
 * {@link dev.tinyforge.export.QualityGate}). Sources are resolved once by
 * {@link dev.tinyforge.export.ModelSource}; tensors are laid out by {@link dev.tinyforge.export.ModelTensors}
 * (names and q/k order from {@code model.TensorNames}) and encoded by {@link dev.tinyforge.export.TensorEncoder}
 * through {@code quant.Quantizer}; quantized file types go through {@link dev.tinyforge.export.GgufQuantizer}.
 */
package dev.tinyforge.export;
