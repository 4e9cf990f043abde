package dev.tinyforge.io.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tinyforge.quant.GgmlType;
import dev.tinyforge.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decodes every tensor of llama-quantize's outputs in ../shared/fixtures/quant and compares it with
 * the F32 original. Bounds per block (32 values, or a 256-value super-block for the K types) of
 * max|x - decoded| / max|x|: for the legacy types they are the formats' worst cases (half a step, a
 * whole step where the quantizer clamps, plus the F16 rounding of the scale); for the K types, whose
 * sub-block scales are themselves quantized, the observed maximum with a margin of about 20%. A wrong
 * bit layout gives errors of order 1. The fixture's edge-case rows must come out exact.
 */
class QuantFixtureTest {

    /** (max group error / group max|x|, max relative RMS error per tensor). */
    private static final Map<GgmlType, double[]> BOUNDS = Map.of(
            GgmlType.Q8_0, new double[] {0.5 / 127 * 1.13, 0.0095},
            GgmlType.Q4_0, new double[] {1.0 / 8 * 1.01, 0.145},
            GgmlType.Q4_1, new double[] {1.0 / 15 * 1.01, 0.105},
            GgmlType.Q5_0, new double[] {1.0 / 16 * 1.01, 0.075},
            GgmlType.Q5_1, new double[] {1.0 / 31 * 1.03, 0.052},
            GgmlType.Q2_K, new double[] {0.45, 0.37},
            GgmlType.Q3_K, new double[] {0.24, 0.21},
            GgmlType.Q4_K, new double[] {0.115, 0.095},
            GgmlType.Q5_K, new double[] {0.052, 0.049},
            GgmlType.Q6_K, new double[] {0.02, 0.027});

    static List<String> quantizedFiles() throws Exception {
        if (!dev.tinyforge.testing.Fixtures.available()) return List.of("(fixtures absent)");
        JsonNode manifest = new ObjectMapper().readTree(Fixtures.require("quant/manifest.json").toFile());
        List<String> files = new ArrayList<>();
        for (JsonNode output : manifest.get("outputs")) files.add(output.get("file").asText());
        return files;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quantizedFiles")
    void decodedTensorsStayWithinTheQuantizationError(String file) throws Exception {
        Path dir = Fixtures.require("quant");
        try (GgufFile original = GgufFile.open(dir.resolve("rand-f32.gguf"));
             GgufFile quantized = GgufFile.open(dir.resolve(file))) {
            assertEquals(original.tensors().size(), quantized.tensors().size());
            for (GgufTensorInfo t : quantized.tensors()) {
                float[] x = original.tensor(t.name()).toFloatArray();
                float[] y = t.toFloatArray();
                assertEquals(x.length, y.length, t.name());
                if (t.type() == GgmlType.F32) {
                    for (int i = 0; i < x.length; i++) assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]));
                    continue;
                }
                checkError(t, x, y);
                checkEdgeRows(t, y);
            }
        }
    }

    private static void checkError(GgufTensorInfo t, float[] x, float[] y) {
        double[] bound = BOUNDS.get(t.type());
        int block = t.type().blockSize();
        double sumErr = 0, sumX = 0;
        for (int g = 0; g < x.length; g += block) {
            double amax = 0, maxErr = 0;
            for (int i = g; i < g + block; i++) {
                double err = Math.abs((double) x[i] - y[i]);
                amax = Math.max(amax, Math.abs(x[i]));
                maxErr = Math.max(maxErr, err);
                sumErr += err * err;
                sumX += (double) x[i] * x[i];
            }
            if (amax > 0) {
                double ratio = maxErr / amax;
                int at = g;
                assertTrue(ratio <= bound[0], () -> t + ": values [" + at + ", " + (at + block) + ") err/max " + ratio + " > " + bound[0]);
            }
        }
        double rms = Math.sqrt(sumErr / sumX);
        assertTrue(rms <= bound[1], () -> t + ": relative RMS error " + rms + " > " + bound[1]);
    }

    /** The fixture's rows 0 and 3 start with an all-zero group / super-block: every format stores exact zeros. */
    private static void checkEdgeRows(GgufTensorInfo t, float[] y) {
        int row = (int) t.rowLength();
        for (int i = 0; i < 32; i++) assertEquals(0f, Math.abs(y[i]), t + " row 0 value " + i);
        for (int i = 0; i < 256; i++) assertEquals(0f, Math.abs(y[3 * row + i]), t + " row 3 value " + i);
        if (t.type() == GgmlType.Q8_0 || t.type() == GgmlType.Q4_0 || t.type() == GgmlType.Q5_0) {
            // symmetric formats: the lone -0.05 in an otherwise zero block is the block's scale point
            for (int i = 64; i < 96; i++) {
                float want = i == 77 ? -0.05f : 0f;
                assertEquals(want, y[2 * row + i], 0.05 / 1024, t + " row 2 value " + i);
            }
        }
    }
}
