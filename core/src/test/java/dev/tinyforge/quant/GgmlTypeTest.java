package dev.tinyforge.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyforge.util.BadInputException;
import org.junit.jupiter.api.Test;

class GgmlTypeTest {

    @Test
    void idsAndBlockGeometryMatchGgml() {
        // (id, block size, bytes per block) from ggml.h / ggml-common.h
        Object[][] expected = {
            {GgmlType.F32, 0, 1, 4}, {GgmlType.F16, 1, 1, 2}, {GgmlType.Q4_0, 2, 32, 18}, {GgmlType.Q4_1, 3, 32, 20},
            {GgmlType.Q5_0, 6, 32, 22}, {GgmlType.Q5_1, 7, 32, 24}, {GgmlType.Q8_0, 8, 32, 34}, {GgmlType.Q8_1, 9, 32, 36},
            {GgmlType.Q2_K, 10, 256, 84}, {GgmlType.Q3_K, 11, 256, 110}, {GgmlType.Q4_K, 12, 256, 144},
            {GgmlType.Q5_K, 13, 256, 176}, {GgmlType.Q6_K, 14, 256, 210}, {GgmlType.Q8_K, 15, 256, 292},
            {GgmlType.IQ4_NL, 20, 32, 18}, {GgmlType.I8, 24, 1, 1}, {GgmlType.F64, 28, 1, 8}, {GgmlType.BF16, 30, 1, 2},
            {GgmlType.TQ2_0, 35, 256, 66}, {GgmlType.MXFP4, 39, 32, 17},
        };
        for (Object[] row : expected) {
            GgmlType t = (GgmlType) row[0];
            assertEquals(row[1], t.id(), t.name());
            assertEquals(row[2], t.blockSize(), t.name());
            assertEquals(row[3], t.typeSize(), t.name());
            assertEquals(t, GgmlType.byId(t.id()).orElseThrow());
        }
    }

    @Test
    void removedAndUnknownIdsAreEmpty() {
        for (long id : new long[] {4, 5, 31, 32, 33, 36, 37, 38, 40, 63, 64, -1, 1L << 40}) {
            assertTrue(GgmlType.byId(id).isEmpty(), "id " + id);
        }
    }

    @Test
    void byteSizeNeedsWholeBlocksAndDoesNotOverflow() {
        assertEquals(144 * 2, GgmlType.Q4_K.byteSize(512));
        assertEquals(-1, GgmlType.Q4_K.byteSize(100));
        assertEquals(-1, GgmlType.F32.byteSize(Long.MAX_VALUE / 2));
        assertEquals(0, GgmlType.Q8_0.byteSize(0));
    }

    @Test
    void decodableTypes() {
        assertTrue(Dequantizer.supports(GgmlType.Q6_K));
        assertFalse(Dequantizer.supports(GgmlType.IQ2_XXS));
        var e = assertThrows(BadInputException.class, () -> Dequantizer.decoderFor(GgmlType.IQ2_XXS));
        assertTrue(e.getMessage().contains("IQ2_XXS") && e.getMessage().contains("Q4_K"), e.getMessage());
    }
}
