package dev.tinyforge.tokenizer.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Python's float repr and json.dumps, checked on fixed values from CPython and on seeded random data. */
class PythonFormattingPropertyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @CsvSource({"1.0, 1.0", "0.1, 0.1", "1e16, 1e+16", "1e15, 1000000000000000.0", "0.0001, 0.0001", "0.00001, 1e-05",
        "1.5e-7, 1.5e-07", "123456789012345678.0, 1.2345678901234568e+17", "5e-324, 5e-324", "-2.5, -2.5",
        "1.7976931348623157e308, 1.7976931348623157e+308", "0.30000000000000004, 0.30000000000000004"})
    void floatReprMatchesCPython(double value, String python) {
        assertEquals(python, PyFloats.repr(value));
    }

    static LongStream seeds() {
        return LongStream.range(0, 20);
    }

    /** repr reads back as the same double, uses Python's notation switch, and no shorter digits exist. */
    @ParameterizedTest
    @MethodSource("seeds")
    void floatReprRoundTripsAndIsShortest(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 2000; i++) {
            double d = i % 2 == 0 ? Double.longBitsToDouble(random.nextLong())
                    : random.nextDouble() * Math.pow(10, random.nextInt(-30, 30));
            if (Double.isNaN(d) || Double.isInfinite(d)) continue;
            String repr = PyFloats.repr(d);
            assertEquals(d, Double.parseDouble(repr), repr);
            int exponent = d == 0 ? 0 : new java.math.BigDecimal(repr).precision() - new java.math.BigDecimal(repr).scale() - 1;
            assertEquals(exponent < -4 || exponent >= 16, repr.contains("e"), repr);
            String digits = new java.math.BigDecimal(repr).unscaledValue().abs().toString().replaceAll("0+$", "");
            if (digits.length() > 1) {
                java.math.BigDecimal shorter = new java.math.BigDecimal(repr).round(new java.math.MathContext(digits.length() - 1));
                assertTrue(shorter.doubleValue() != d, "a shorter form of " + repr + " reads back too");
            }
        }
    }

    /** tojson output is JSON that reads back as the input, with Python's separators. */
    @ParameterizedTest
    @MethodSource("seeds")
    void tojsonRoundTrips(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        Object value = randomJson(random, 0);
        String oneLine = Render.render("{{ v|tojson }}", "v", value);
        String indented = Render.render("{{ v|tojson(indent=2) }}", "v", value);
        assertEquals(JSON.readTree(JSON.writeValueAsString(value)), JSON.readTree(oneLine));
        assertEquals(JSON.readTree(oneLine), JSON.readTree(indented));
        assertTrue(!oneLine.contains("\n"), oneLine);
        if (value instanceof Map<?, ?> m && m.size() > 1) assertTrue(oneLine.contains(", \""), oneLine);
    }

    private static Object randomJson(SplittableRandom random, int depth) {
        int kind = depth > 3 ? random.nextInt(5) : random.nextInt(7);
        return switch (kind) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextLong(-1_000_000, 1_000_000);
            case 3 -> random.nextDouble() * 1000;
            case 4 -> randomString(random);
            case 5 -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) list.add(randomJson(random, depth + 1));
                yield list;
            }
            default -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(4); i > 0; i--) map.put(randomString(random), randomJson(random, depth + 1));
                yield map;
            }
        };
    }

    private static String randomString(SplittableRandom random) {
        String alphabet = "ab \"\\\n\t\u0001é😀<>&'/";
        StringBuilder sb = new StringBuilder();
        for (int i = random.nextInt(6); i > 0; i--) sb.appendCodePoint(alphabet.codePoints().toArray()[random.nextInt((int) alphabet.codePoints().count())]);
        return sb.toString();
    }
}
