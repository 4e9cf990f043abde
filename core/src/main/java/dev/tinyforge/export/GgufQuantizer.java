package dev.tinyforge.export;

import dev.tinyforge.io.LittleEndianOutput;
import dev.tinyforge.io.gguf.GgufArray;
import dev.tinyforge.io.gguf.GgufFile;
import dev.tinyforge.io.gguf.GgufMetadata;
import dev.tinyforge.io.gguf.GgufTensorInfo;
import dev.tinyforge.io.gguf.GgufWriter;
import dev.tinyforge.quant.Dequantizer;
import dev.tinyforge.quant.FileType;
import dev.tinyforge.quant.GgmlType;
import dev.tinyforge.quant.QuantMix;
import dev.tinyforge.quant.QuantizationException;
import dev.tinyforge.quant.Quantizer;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Quantizes a GGUF model (F32, F16 or BF16 tensors) to a {@link FileType} the way llama.cpp's
 * {@code llama-quantize} does without an importance matrix, so that for the same input and type the
 * output is the same file, byte for byte:
 *
 * <ul>
 *   <li>metadata copied in order, {@code general.quantization_version} (2) and {@code general.file_type}
 *       then moved to the end (gguf's setters remove a key and append it), split keys dropped;</li>
 *   <li>tensors in llama-quantize's order ({@link QuantMix#LLAMA_QUANTIZE_ORDER}), each with the type
 *       {@link QuantMix} chooses, encoded by {@link Quantizer}; tensors that keep their type are copied;</li>
 *   <li>shapes written without trailing 1-sized dimensions (gguf stores {@code ggml_n_dims});</li>
 *   <li>the input's alignment.</li>
 * </ul>
 *
 * Tensors are streamed a slice of rows at a time (about {@value #SLICE_VALUES} values), so memory use
 * does not grow with the model; the file appears only when complete.
 */
public final class GgufQuantizer {
    private GgufQuantizer() {}

    /** llama.cpp's GGML_QNT_VERSION, written as {@code general.quantization_version}. */
    public static final int QUANTIZATION_VERSION = 2;

    /** Values decoded and encoded at a time: 4 MiB of floats, enough to keep every thread busy. */
    static final int SLICE_VALUES = 1 << 20;

    /** Hears about each tensor as it is written (e.g. to print llama-quantize's per-tensor lines). */
    @FunctionalInterface
    public interface Listener {
        /** Tensor {@code index} (0-based) of {@code count} has been written as {@code choice.type()}. */
        void tensorWritten(int index, int count, QuantMix.Choice choice, long bytesIn, long bytesOut);

        Listener NONE = (index, count, choice, in, out) -> { };
    }

    /**
     * What was done.
     *
     * @param fallbacks tensors whose rows forced a type other than the mixture's
     */
    public record Summary(int tensors, int converted, int fallbacks, long elements, long bytesIn, long bytesOut) {
        /** Bits per weight of the output's tensor data, as llama-quantize reports it. */
        public double bitsPerWeight() {
            return elements == 0 ? 0 : bytesOut * 8.0 / elements;
        }
    }

    /** Quantizes {@code input} into {@code output} (replaced if present; never the input itself). */
    public static Summary quantize(Path input, Path output, FileType fileType, boolean pure, Listener listener) throws IOException {
        Objects.requireNonNull(fileType);
        if (Files.exists(output) && Files.isSameFile(input, output)) {
            throw new BadInputException(output + ": is the input file; write the quantized model elsewhere");
        }
        try (GgufFile in = GgufFile.open(input)) {
            GgufMetadata metadata = in.metadata();
            if (metadata.getLong("split.count", 1) > 1) {
                throw new BadInputException(input + ": is one part of a split GGUF (split.count "
                        + metadata.getLong("split.count") + "); merge the parts first");
            }
            List<QuantMix.Tensor> tensors = new ArrayList<>();
            for (GgufTensorInfo t : in.tensors()) tensors.add(new QuantMix.Tensor(t.name(), t.type(), t.shape()));
            boolean mixed = fileType.defaultType().isQuantized() && !pure;
            List<QuantMix.Choice> choices = QuantMix.choose(fileType, pure, mixed ? modelOf(metadata, input) : NO_MODEL, tensors);

            GgufWriter writer = withQuantizationKeys(new GgufWriter().putAll(metadata), fileType);
            long elements = 0, bytesIn = 0, bytesOut = 0;
            int converted = 0, fallbacks = 0;
            for (int i = 0; i < choices.size(); i++) {
                QuantMix.Choice choice = choices.get(i);
                GgufTensorInfo source = in.tensor(choice.name());
                if (choice.converts()) {
                    requireConvertible(input, source, choice.type());
                    converted++;
                }
                if (choice.fallback()) fallbacks++;
                long size = choice.type().byteSize(source.elementCount());
                elements += source.elementCount();
                bytesIn += source.byteSize();
                bytesOut += size;

                int index = i;
                GgufWriter.TensorBytes data = choice.converts()
                        ? out -> convert(input, source, choice.type(), out)
                        : out -> new LittleEndianOutput(out).segment(source.data()); // kept tensors are copied as they are
                writer.addTensor(choice.name(), choice.type(), withoutTrailingOnes(source.shape()), out -> {
                    data.writeTo(out);
                    listener.tensorWritten(index, choices.size(), choice, source.byteSize(), size);
                });
            }
            writer.write(output);
            return new Summary(choices.size(), converted, fallbacks, elements, bytesIn, bytesOut);
        }
    }

    /**
     * llama-quantize's metadata changes: gguf's setters remove a key and append it, so the
     * quantization version and then the file type end up last; split keys are dropped.
     */
    private static GgufWriter withQuantizationKeys(GgufWriter writer, FileType fileType) {
        for (String key : List.of("general.quantization_version", "general.file_type", "split.no", "split.count",
                "split.tensors.count")) {
            writer.remove(key);
        }
        return writer.putUInt32("general.quantization_version", QUANTIZATION_VERSION)
                .putUInt32("general.file_type", fileType.id());
    }

    /** For pure and float file types the rules read nothing from the model. */
    private static final QuantMix.Model NO_MODEL = new QuantMix.Model("", 0, 0, 0, 0);

    /** The hyperparameters the mixture rules use, from the file's {@code <arch>.*} keys. */
    static QuantMix.Model modelOf(GgufMetadata metadata, Path input) {
        String arch = metadata.getString("general.architecture");
        int layers = metadata.getInt(arch + ".block_count");
        int heads = firstInt(metadata, arch + ".attention.head_count", 0);
        int kvHeads = firstInt(metadata, arch + ".attention.head_count_kv", heads);
        int experts = firstInt(metadata, arch + ".expert_count", 0);
        if (layers <= 0) throw new BadInputException(input + ": " + arch + ".block_count is " + layers + "; expected a positive count");
        return new QuantMix.Model(arch, layers, heads, kvHeads, experts);
    }

    /** An integer key, or the first element of a per-layer array (llama.cpp's hparams for layer 0). */
    private static int firstInt(GgufMetadata metadata, String key, int absent) {
        if (!metadata.contains(key)) return absent;
        if (metadata.get(key).orElseThrow() instanceof GgufArray array) {
            if (array.size() == 0) return absent;
            long value = array.getLong(0);
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
        }
        return metadata.getInt(key);
    }

    private static void requireConvertible(Path input, GgufTensorInfo source, GgmlType target) {
        GgmlType type = source.type();
        if (type != GgmlType.F32 && type != GgmlType.F16 && type != GgmlType.BF16) {
            throw new BadInputException(input + ": tensor '" + source.name() + "' is " + type + "; it would have to become "
                    + target + ", and only F32, F16 and BF16 tensors can be quantized (requantizing loses precision; "
                    + "start from the F32/F16/BF16 model)");
        }
        if (source.rowLength() > SLICE_VALUES) {
            throw new BadInputException(input + ": tensor '" + source.name() + "' has rows of " + source.rowLength()
                    + " values; at most " + SLICE_VALUES + " are supported");
        }
    }

    /** Decodes the source a slice of rows at a time, encodes each slice as {@code target} and writes it. */
    private static void convert(Path input, GgufTensorInfo source, GgmlType target, OutputStream out) throws IOException {
        int cols = (int) source.rowLength();
        long rows = source.rowCount();
        long inRowBytes = source.type().byteSize(cols);
        int outRowBytes = (int) target.byteSize(cols);
        int sliceRows = (int) Math.max(1, Math.min(rows, SLICE_VALUES / Math.max(1, cols)));
        float[] values = new float[sliceRows * cols];
        byte[] encoded = new byte[sliceRows * outRowBytes];
        for (long first = 0; first < rows; first += sliceRows) {
            int count = (int) Math.min(sliceRows, rows - first);
            Dequantizer.decode(source.type(), source.data(), first * inRowBytes, values, 0, count * cols);
            try {
                Quantizer.quantize(target, values, 0, count, cols, encoded, 0);
            } catch (QuantizationException e) {
                throw new BadInputException(input + ": tensor '" + source.name() + "' cannot be " + target + " at "
                        + e.shiftedBy(first).getMessage(), e);
            }
            out.write(encoded, 0, count * outRowBytes);
        }
    }

    /** ggml_n_dims: gguf writes a tensor's shape without trailing dimensions of size 1 (but at least one). */
    static long[] withoutTrailingOnes(long[] shape) {
        if (shape.length == 0) return shape;
        int n = shape.length;
        while (n > 1 && shape[n - 1] == 1) n--;
        return Arrays.copyOf(shape, n);
    }
}
