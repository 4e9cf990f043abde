package dev.tinyforge.export;

import dev.tinyforge.io.gguf.GgufValue;
import dev.tinyforge.io.gguf.GgufWriter;
import dev.tinyforge.model.Family;
import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.ModelWeights;
import dev.tinyforge.model.Rope;
import dev.tinyforge.model.RopeScaling;
import dev.tinyforge.model.TensorNames;
import dev.tinyforge.quant.FileType;
import dev.tinyforge.quant.GgmlType;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Lays a model out as llama.cpp's converter does: {@code general.*}, the architecture's hyper-parameters
 * under {@code <arch>.*} with the value types llama.cpp reads, the tokenizer keys, then the tensors with
 * their GGUF names and q/k rows in the architecture's RoPE order; 2-D weights in the file type's float
 * type, 1-D tensors in F32. A quantized file type is made as with llama.cpp: an F32 file first, then
 * {@link GgufQuantizer} (llama-quantize's mixtures, byte for byte).
 */
public final class GgufModelWriter {
    private GgufModelWriter() {}

    /**
     * Writes {@code target} atomically.
     *
     * @param tokenizer the {@code tokenizer.*} keys (chat template included)
     */
    public static void write(ModelConfig c, ModelWeights w, Map<String, GgufValue> tokenizer, String name, FileType type,
                             Path target) throws IOException {
        if (!type.defaultType().isQuantized()) {
            build(c, w, tokenizer, name, type).write(target);
            return;
        }
        Path floats = Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName() + ".", ".f32.tmp");
        try {
            build(c, w, tokenizer, name, FileType.F32).write(floats);
            GgufQuantizer.quantize(floats, target, type, false, GgufQuantizer.Listener.NONE);
        } finally {
            Files.deleteIfExists(floats);
        }
    }

    /** The file for a float type (F32, F16, BF16). */
    static GgufWriter build(ModelConfig c, ModelWeights w, Map<String, GgufValue> tokenizer, String name, FileType type) {
        if (type.defaultType().isQuantized()) throw new IllegalArgumentException(type + " is written through GgufQuantizer");
        String arch = c.family().ggufArchitecture();
        GgufWriter out = new GgufWriter();
        out.putString("general.architecture", arch);
        out.putString("general.type", "model");
        out.putString("general.name", name);
        out.putUInt32("general.file_type", type.id());
        out.putUInt32("general.quantization_version", GgufQuantizer.QUANTIZATION_VERSION);
        architectureKeys(out, c, arch + ".");
        tokenizer.forEach(out::put);

        for (ModelTensors.Tensor t : ModelTensors.forGguf(c, w)) {
            String ggufName = TensorNames.hfToGguf(t.hfName());
            GgmlType tensorType = t.vector() ? GgmlType.F32 : type.defaultType();
            out.addTensor(ggufName, tensorType, t.ggufShape(),
                    stream -> TensorEncoder.write(stream, ggufName, tensorType, t.rows(), t.cols(), t.source()));
        }
        float[] freqFactors = ropeFreqFactors(c, w);
        if (freqFactors != null) {
            out.addTensor("rope_freqs.weight", GgmlType.F32, new long[] {freqFactors.length},
                    stream -> TensorEncoder.write(stream, "rope_freqs.weight", GgmlType.F32, 1, freqFactors.length,
                            (r, row) -> System.arraycopy(freqFactors, 0, row, 0, freqFactors.length)));
        }
        return out;
    }

    /** The keys llama.cpp's loader reads for the Llama family's architectures (llama, qwen2, gemma). */
    private static void architectureKeys(GgufWriter out, ModelConfig c, String k) {
        out.putUInt32(k + "vocab_size", c.vocabSize());
        out.putUInt32(k + "context_length", c.contextLength());
        out.putUInt32(k + "embedding_length", c.hiddenSize());
        out.putUInt32(k + "block_count", c.layers());
        out.putUInt32(k + "feed_forward_length", c.intermediateSize());
        out.putUInt32(k + "attention.head_count", c.heads());
        out.putUInt32(k + "attention.head_count_kv", c.kvHeads());
        if (c.headDim() * c.heads() != c.hiddenSize()) {
            // llama.cpp assumes hidden / heads unless told (Gemma 7B, Qwen3: 256 and 128 per head).
            out.putUInt32(k + "attention.key_length", c.headDim());
            out.putUInt32(k + "attention.value_length", c.headDim());
        }
        out.putUInt32(k + "rope.dimension_count", c.headDim());
        out.putFloat32(k + "rope.freq_base", (float) c.ropeTheta());
        out.putFloat32(k + "attention.layer_norm_rms_epsilon", (float) c.normEps());
        switch (c.ropeScaling()) {
            case RopeScaling.None none -> {}
            case RopeScaling.Linear linear -> {
                out.putString(k + "rope.scaling.type", "linear");
                out.putFloat32(k + "rope.scaling.factor", (float) linear.factor());
            }
            // Llama 3's scaling travels as the rope_freqs tensor, as llama.cpp's converter writes it.
            case RopeScaling.Llama3 llama3 -> {}
        }
        if (c.slidingWindow() > 0) {
            if (c.family() != Family.MISTRAL && c.family() != Family.LLAMA) {
                throw new BadInputException("a sliding window of " + c.slidingWindow() + " is not exportable for "
                        + c.family().hfModelType());
            }
            // GGUF writes Mistral as llama; llama.cpp's llama graph attends to the whole context and ignores
            // this key, which only matters past the window (4096 tokens for Mistral 7B v0.1).
            out.putUInt32(k + "attention.sliding_window", c.slidingWindow());
        }
    }

    /**
     * Per-frequency divisors for {@code rope_freqs.weight}: the file's own when the weights came from
     * a GGUF that had them, or Llama 3 scaling's (base frequency / scaled frequency), else none.
     */
    static float[] ropeFreqFactors(ModelConfig c, ModelWeights w) {
        if (w.ropeFreqFactors() != null) return w.ropeFreqFactors().clone();
        if (!(c.ropeScaling() instanceof RopeScaling.Llama3)) return null;
        double[] scaled = Rope.inverseFrequencies(c, null);
        double[] plain = Rope.inverseFrequencies(unscaled(c), null);
        float[] factors = new float[scaled.length];
        for (int i = 0; i < factors.length; i++) factors[i] = (float) (plain[i] / scaled[i]);
        return factors;
    }

    /** The config as a GGUF with a rope_freqs tensor describes it: no scaling of its own. */
    static ModelConfig unscaled(ModelConfig c) {
        return new ModelConfig(c.family(), c.vocabSize(), c.hiddenSize(), c.intermediateSize(), c.layers(), c.heads(),
                c.kvHeads(), c.headDim(), c.contextLength(), c.normEps(), c.ropeTheta(), RopeScaling.NONE, c.qkvBias(),
                c.tiedEmbeddings(), c.activation(), c.normWeightOffset(), c.scaleEmbeddings(), c.slidingWindow());
    }

}
