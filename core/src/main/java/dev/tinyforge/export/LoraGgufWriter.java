package dev.tinyforge.export;

import dev.tinyforge.io.gguf.GgufWriter;
import dev.tinyforge.model.FloatMatrix;
import dev.tinyforge.model.ModelConfig;
import dev.tinyforge.model.Rope;
import dev.tinyforge.model.TensorNames;
import dev.tinyforge.quant.GgmlType;
import dev.tinyforge.train.LoraAdapter;
import dev.tinyforge.train.LoraConfig;
import dev.tinyforge.train.LoraTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.IntUnaryOperator;

/**
 * A LoRA adapter in llama.cpp's adapter GGUF format ({@code llama-cli --lora FILE}, Ollama's ADAPTER):
 * {@code general.type "adapter"}, {@code adapter.type "lora"}, {@code adapter.lora.alpha}, and per
 * adapted weight {@code blk.N.<name>.weight.lora_a} (ggml shape [in, r], PEFT's A) and {@code .lora_b}
 * ([r, out], PEFT's B). llama.cpp scales the product by alpha / r, r read from lora_b; rsLoRA's
 * alpha / √r is written as the alpha that gives it. For the llama architecture the rows of q/k B
 * follow the base GGUF's RoPE order, as llama.cpp's convert_lora_to_gguf.py permutes them.
 */
public final class LoraGgufWriter {
    private LoraGgufWriter() {}

    public static void write(LoraAdapter adapter, ModelConfig c, String name, Path target) throws IOException {
        build(adapter, c, name).write(target);
    }

    static GgufWriter build(LoraAdapter adapter, ModelConfig c, String name) {
        LoraConfig lora = adapter.config();
        GgufWriter out = new GgufWriter();
        out.putString("general.architecture", c.family().ggufArchitecture());
        out.putString("general.type", "adapter");
        out.putString("general.name", name);
        out.putString("adapter.type", "lora");
        out.putFloat32("adapter.lora.alpha", effectiveAlpha(lora));
        Rope.Layout ggufLayout = c.family().ggufPermutesQk() ? Rope.Layout.ADJACENT : Rope.Layout.HALVES;
        IntUnaryOperator qk = ModelTensors.rowMove(adapter.base().ropeLayout(), ggufLayout, c.headDim());
        for (LoraAdapter.Slot s : adapter.slots()) {
            String weight = TensorNames.hfToGguf("model.layers." + s.layer() + "." + s.target().hfPath() + ".weight");
            FloatMatrix a = s.matrix().a(), b = s.matrix().b();
            boolean permuted = s.target() == LoraTarget.Q_PROJ || s.target() == LoraTarget.K_PROJ;
            IntUnaryOperator bRows = permuted ? qk : IntUnaryOperator.identity();
            out.addTensor(weight + ".lora_a", GgmlType.F32, new long[] {a.cols(), a.rows()},
                    stream -> TensorEncoder.write(stream, weight + ".lora_a", GgmlType.F32, a.rows(), a.cols(),
                            (r, row) -> a.row(r, row, 0)));
            out.addTensor(weight + ".lora_b", GgmlType.F32, new long[] {b.cols(), b.rows()},
                    stream -> TensorEncoder.write(stream, weight + ".lora_b", GgmlType.F32, b.rows(), b.cols(),
                            (r, row) -> b.row(bRows.applyAsInt(r), row, 0)));
        }
        return out;
    }

    /** The alpha that makes llama.cpp's alpha / r equal the adapter's scale. */
    static float effectiveAlpha(LoraConfig lora) {
        return lora.rsLora() ? (float) (lora.alpha() * Math.sqrt(lora.rank())) : (float) lora.alpha();
    }
}
