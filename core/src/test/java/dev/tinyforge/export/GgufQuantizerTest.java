package dev.tinyforge.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.io.gguf.GgufFile;
import dev.tinyforge.io.gguf.GgufTensorInfo;
import dev.tinyforge.io.gguf.GgufWriter;
import dev.tinyforge.model.KvCache;
import dev.tinyforge.model.LoadedModel;
import dev.tinyforge.model.ModelLoader;
import dev.tinyforge.model.Transformer;
import dev.tinyforge.quant.FileType;
import dev.tinyforge.quant.GgmlType;
import dev.tinyforge.testing.QuantFixtures;
import dev.tinyforge.quant.Quantizer;
import dev.tinyforge.tensor.Float16;
import dev.tinyforge.util.BadInputException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole files: our output for rand-f32.gguf equals llama-quantize's, byte for byte, and loads in our
 * engine with logits close to the F32 model's. Plus streaming over several slices, and refusals that
 * leave no file behind.
 */
class GgufQuantizerTest {
    private static final int[] PROMPT = {1, 300, 17, 42, 511, 260, 3};

    @TempDir
    Path dir;

    static List<QuantFixtures.Output> outputs() {
        return QuantFixtures.outputs();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outputs")
    void writesTheSameFileAsLlamaQuantizeAndItRuns(QuantFixtures.Output expected) throws IOException {
        Path out = dir.resolve(expected.file());
        GgufQuantizer.Summary summary = GgufQuantizer.quantize(QuantFixtures.input(), out, FileType.parse(expected.ftype()),
                expected.pure(), GgufQuantizer.Listener.NONE);
        assertEquals(39, summary.tensors());
        assertEquals(30, summary.converted());
        assertEquals(expected.size(), Files.size(out), "file size");
        assertEquals(expected.sha256(), QuantFixtures.sha256(Files.readAllBytes(out)), "file sha256");
        assertLogitsClose(out, expected.ftype());
    }

    @ParameterizedTest
    @ValueSource(strings = {"F16", "BF16", "F32"})
    void floatFileTypesConvertMatricesAndRun(String name) throws IOException {
        FileType fileType = FileType.parse(name);
        Path out = dir.resolve(name + ".gguf");
        GgufQuantizer.quantize(QuantFixtures.input(), out, fileType, false, GgufQuantizer.Listener.NONE);
        try (GgufFile in = GgufFile.open(QuantFixtures.input()); GgufFile gguf = GgufFile.open(out)) {
            assertEquals(fileType.id(), gguf.metadata().getInt("general.file_type"));
            assertEquals(2, gguf.metadata().getInt("general.quantization_version"));
            for (GgufTensorInfo t : gguf.tensors()) {
                assertEquals(t.shape().length == 1 ? GgmlType.F32 : fileType.defaultType(), t.type(), t.name());
                float[] source = in.tensor(t.name()).toFloatArray();
                byte[] expected = Quantizer.quantize(t.type(), source, (int) t.rowCount(), (int) t.rowLength());
                assertArrayEquals(expected, t.data().toArray(ValueLayout.JAVA_BYTE), t.name());
            }
        }
        assertLogitsClose(out, name);
    }

    @Test
    void largeTensorsAreStreamedInSlicesWithTheSameBytes() throws IOException {
        // 2048 rows of 1024 F16 values: two slices of 2^20 values
        int rows = 2048, cols = 1024;
        SplittableRandom random = new SplittableRandom(5);
        float[] values = new float[rows * cols];
        MemorySegment f16 = MemorySegment.ofArray(new short[rows * cols]);
        for (int i = 0; i < values.length; i++) {
            short h = Float16.fromFloat((float) random.nextGaussian());
            f16.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, h);
            values[i] = Float16.toFloat(h);
        }
        Path in = dir.resolve("big.gguf");
        new GgufWriter().putString("general.architecture", "llama")
                .addTensor("blk.0.ffn_up.weight", GgmlType.F16, new long[] {cols, rows}, f16)
                .write(in);
        assertTrue((long) rows * cols > GgufQuantizer.SLICE_VALUES);
        Path out = dir.resolve("big-q4k.gguf");
        GgufQuantizer.quantize(in, out, FileType.Q4_K_S, true, GgufQuantizer.Listener.NONE);
        try (GgufFile gguf = GgufFile.open(out)) {
            byte[] expected = Quantizer.quantize(GgmlType.Q4_K, values, rows, cols);
            assertArrayEquals(expected, gguf.tensor("blk.0.ffn_up.weight").data().toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void aNonFiniteValueNamesTensorRowAndColumnAndLeavesNoFile() throws IOException {
        float[] values = new float[4 * 256];
        values[3 * 256 + 17] = Float.NaN;
        Path in = dir.resolve("nan.gguf");
        new GgufWriter().putString("general.architecture", "llama")
                .addTensor("blk.0.attn_q.weight", GgmlType.F32, new long[] {256, 4}, MemorySegment.ofArray(values))
                .write(in);
        Path out = dir.resolve("nan-q8.gguf");
        BadInputException e = assertThrows(BadInputException.class,
                () -> GgufQuantizer.quantize(in, out, FileType.Q8_0, true, GgufQuantizer.Listener.NONE));
        assertEquals(in + ": tensor 'blk.0.attn_q.weight' cannot be Q8_0 at row 3, column 17: value NaN is not finite", e.getMessage());
        assertEquals(List.of("nan.gguf"), files());
    }

    @Test
    void quantizedTensorsAreNotRequantized() {
        Path out = dir.resolve("requant.gguf");
        Path quantized = QuantFixtures.dir().resolve("rand-Q4_K_M.gguf"); // outside the lambda: skipped without ../shared
        BadInputException e = assertThrows(BadInputException.class, () -> GgufQuantizer.quantize(
                quantized, out, FileType.Q8_0, false, GgufQuantizer.Listener.NONE));
        assertTrue(e.getMessage().contains("tensor 'output.weight' is Q6_K") && e.getMessage().contains("F32, F16 and BF16"),
                e.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void theInputIsNeverTheOutput() throws IOException {
        Path copy = dir.resolve("model.gguf");
        Files.copy(QuantFixtures.input(), copy);
        BadInputException e = assertThrows(BadInputException.class,
                () -> GgufQuantizer.quantize(copy, dir.resolve(".").resolve("model.gguf"), FileType.Q8_0, false, GgufQuantizer.Listener.NONE));
        assertTrue(e.getMessage().contains("is the input file"), e.getMessage());
    }

    private List<String> files() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Logits of the quantized model are finite and within the type's error of the F32 model's. */
    private static void assertLogitsClose(Path quantized, String label) throws IOException {
        if (referenceLogits == null) referenceLogits = logits(QuantFixtures.input());
        float[] reference = referenceLogits;
        float[] logits = logits(quantized);
        double diff = 0, norm = 0;
        for (int i = 0; i < logits.length; i++) {
            assertTrue(Float.isFinite(logits[i]), label + ": logit " + i + " is " + logits[i]);
            diff += (logits[i] - reference[i]) * (double) (logits[i] - reference[i]);
            norm += reference[i] * (double) reference[i];
        }
        double relative = Math.sqrt(diff / norm);
        double bound = LOGIT_BOUNDS.get(label);
        assertTrue(relative <= bound, label + ": logits differ from the F32 model's by " + relative + " (relative L2), bound " + bound);
    }

    /**
     * Relative L2 distance of the logits from the F32 model's, per file type: about 1.5x what the
     * llama.cpp-identical files give (this random model's logits are small, so low-bit types move them
     * a lot; the order follows the bits per weight).
     */
    private static final Map<String, Double> LOGIT_BOUNDS = Map.ofEntries(
            Map.entry("F32", 0.0), Map.entry("F16", 1e-3), Map.entry("BF16", 8e-3),
            Map.entry("Q8_0", 0.045), Map.entry("Q6_K", 0.16), Map.entry("Q5_K_M", 0.26),
            Map.entry("Q5_K_S", 0.26), Map.entry("Q5_1", 0.3), Map.entry("Q5_0", 0.31),
            Map.entry("Q4_K_M", 0.42), Map.entry("Q4_K_S", 0.48), Map.entry("Q4_1", 0.58),
            Map.entry("Q4_0", 0.68), Map.entry("Q3_K_M", 0.63), Map.entry("Q3_K_S", 1.2),
            Map.entry("Q2_K", 1.3));

    /** The F32 model's logits, computed once. */
    private static float[] referenceLogits;

    private static float[] logits(Path model) throws IOException {
        try (LoadedModel loaded = ModelLoader.load(model)) {
            Transformer transformer = loaded.transformer(64);
            KvCache cache = transformer.newCache();
            return transformer.forward(PROMPT, 0, PROMPT.length, cache, false);
        }
    }
}
