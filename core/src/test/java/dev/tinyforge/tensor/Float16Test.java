package dev.tinyforge.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Float16Test {

    @Test
    void decodesEveryNonNanHalfExactly() {
        for (int h = 0; h < 0x10000; h++) {
            float ours = Float16.toFloat((short) h);
            if ((h & 0x7C00) == 0x7C00 && (h & 0x3FF) != 0) continue; // NaNs: see below
            // the JDK's conversion is exact for every non-NaN value; ours must give the same bits
            assertEquals(Float.floatToRawIntBits(Float.float16ToFloat((short) h)), Float.floatToRawIntBits(ours), "half 0x" + Integer.toHexString(h));
        }
    }

    @Test
    void knownValues() {
        assertEquals(0x1p-24f, Float16.toFloat((short) 0x0001));            // smallest subnormal
        assertEquals(0x3FFp-24f, Float16.toFloat((short) 0x03FF));          // largest subnormal
        assertEquals(0x1p-14f, Float16.toFloat((short) 0x0400));            // smallest normal
        assertEquals(65504f, Float16.toFloat((short) 0x7BFF));              // largest finite
        assertEquals(1f, Float16.toFloat((short) 0x3C00));
        assertEquals(-2f, Float16.toFloat((short) 0xC000));
        assertEquals(Float.POSITIVE_INFINITY, Float16.toFloat((short) 0x7C00));
        assertEquals(Float.NEGATIVE_INFINITY, Float16.toFloat((short) 0xFC00));
        assertEquals(0x8000_0000, Float.floatToRawIntBits(Float16.toFloat((short) 0x8000))); // -0
    }

    @Test
    void nanKeepsSignAndPayloadAndBecomesQuietAsGgmlDoes() {
        assertEquals(0x7FC0_2000, Float.floatToRawIntBits(Float16.toFloat((short) 0x7C01)));  // signalling -> quiet
        assertEquals(0x7FC0_0000, Float.floatToRawIntBits(Float16.toFloat((short) 0x7E00)));
        assertEquals(0xFFFF_E000, Float.floatToRawIntBits(Float16.toFloat((short) 0xFFFF)));
    }

    @Test
    void everyHalfRoundTrips() {
        for (int h = 0; h < 0x10000; h++) {
            if ((h & 0x7C00) == 0x7C00 && (h & 0x3FF) != 0) continue;
            assertEquals((short) h, Float16.fromFloat(Float16.toFloat((short) h)));
        }
    }

    @Test
    void encodingRoundsToNearestEvenAndNanIsCanonical() {
        assertEquals((short) 0x3C00, Float16.fromFloat(1f + 0x1p-11f));           // tie -> even (down)
        assertEquals((short) 0x3C02, Float16.fromFloat(1f + 3 * 0x1p-11f));       // tie -> even (up)
        assertEquals((short) 0x3C01, Float16.fromFloat(1f + 0x1p-11f + 0x1p-20f)); // above the tie
        assertEquals((short) 0x7C00, Float16.fromFloat(65520f));                   // rounds to infinity
        assertEquals((short) 0x0001, Float16.fromFloat(0x1p-24f));
        assertEquals((short) 0x0000, Float16.fromFloat(0x1p-25f));                 // tie with 0 -> even
        assertEquals((short) 0x7E00, Float16.fromFloat(Float.intBitsToFloat(0x7F80_0001)));
        assertEquals((short) 0xFE00, Float16.fromFloat(Float.intBitsToFloat(0xFFC1_2345)));
    }

    @Test
    void encodingPicksTheNearestHalf() {
        SplittableRandom random = new SplittableRandom(16);
        for (int i = 0; i < 100_000; i++) {
            float f = Float.intBitsToFloat(random.nextInt());
            if (Float.isNaN(f) || Math.abs(f) > 65504f) continue;
            int h = Float16.fromFloat(f) & 0xFFFF;
            double err = Math.abs(Float16.toFloat((short) h) - (double) f);
            for (int step : new int[] {-1, 1}) {
                int n = h + step;
                if (n < 0 || n > 0xFFFF || ((n ^ h) & 0x8000) != 0) continue; // stay on the same side of zero
                float neighbour = Float16.toFloat((short) n);
                if (Float.isNaN(neighbour) || Float.isInfinite(neighbour)) continue;
                assertTrue(err <= Math.abs(neighbour - (double) f), "f=" + f + " h=0x" + Integer.toHexString(h));
            }
        }
    }

    @Test
    void bfloat16IsTheTopHalfWithRoundToNearestEven() {
        for (int b = 0; b < 0x10000; b++) {
            assertEquals(b << 16, Float.floatToRawIntBits(BFloat16.toFloat((short) b)));
            boolean nan = (b & 0x7F80) == 0x7F80 && (b & 0x7F) != 0;
            if (!nan) assertEquals((short) b, BFloat16.fromFloat(BFloat16.toFloat((short) b)));
        }
        assertEquals((short) 0x3F80, BFloat16.fromFloat(Float.intBitsToFloat(0x3F80_8000))); // tie -> even (down)
        assertEquals((short) 0x3F82, BFloat16.fromFloat(Float.intBitsToFloat(0x3F81_8000))); // tie -> even (up)
        assertEquals((short) 0x3F81, BFloat16.fromFloat(Float.intBitsToFloat(0x3F80_8001)));
        assertEquals((short) 0x0001, BFloat16.fromFloat(Float.intBitsToFloat(0x0000_8001))); // subnormals kept
        assertEquals((short) 0x7FC1, BFloat16.fromFloat(Float.intBitsToFloat(0x7F81_0000))); // NaN made quiet
        assertEquals((short) 0x7F80, BFloat16.fromFloat(Float.POSITIVE_INFINITY));
    }
}
