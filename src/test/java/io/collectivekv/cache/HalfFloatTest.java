package io.collectivekv.cache;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HalfFloatTest {

    @Test
    void exactValuesConvertBothWays() {
        assertExact(0x0000, 0f);
        assertExact(0x8000, -0f);
        assertExact(0x3c00, 1f);
        assertExact(0xbc00, -1f);
        assertExact(0x7bff, 65504f);
        assertExact(0x0400, 0x1p-14f);   // smallest normal
        assertExact(0x03ff, 0x3ffp-24f); // largest subnormal
        assertExact(0x0001, 0x1p-24f);   // smallest subnormal
        assertExact(0x7c00, Float.POSITIVE_INFINITY);
        assertExact(0xfc00, Float.NEGATIVE_INFINITY);
    }

    @Test
    void nanStaysNan() {
        short h = HalfFloat.fromFloat(Float.NaN);
        assertEquals(0x7c00, h & 0x7c00);
        assertTrue((h & 0x3ff) != 0);
        assertTrue(Float.isNaN(HalfFloat.toFloat(h)));
    }

    @Test
    void everyHalfValueRoundTripsExactly() {
        for (int bits = 0; bits <= 0xffff; bits++) {
            float value = HalfFloat.toFloat((short) bits);
            if (Float.isNaN(value)) {
                assertTrue(Float.isNaN(HalfFloat.toFloat(HalfFloat.fromFloat(value))));
            } else {
                assertEquals(bits, HalfFloat.fromFloat(value) & 0xffff, "0x" + Integer.toHexString(bits));
            }
        }
    }

    @Test
    void tiesRoundToTheEvenNeighbour() {
        assertBits(0x3c00, 1f + 0x1p-11f);                  // between 0x3c00 (even) and 0x3c01
        assertBits(0x3c02, 1f + 0x3p-11f);                  // between 0x3c01 and 0x3c02 (even)
        assertBits(0x6800, 2047.5f);                        // between 0x67ff and 0x6800 (even): carries into the exponent
        assertBits(0x0000, 0x1p-25f);                       // between 0 (even) and the smallest subnormal
        assertBits(0x0002, 0x3p-25f);                       // between subnormals 1 and 2 (even)
        assertBits(0x8000, -0x1p-25f);
    }

    @Test
    void valuesOffATieRoundToTheNearest() {
        assertBits(0x3c01, 1f + 0x1p-11f + 0x1p-23f);
        assertBits(0x3c00, 1f + 0x1p-11f - 0x1p-23f);
        assertBits(0x0001, 0x1p-25f + 0x1p-40f);
        assertBits(0x0000, 0x1p-26f);
    }

    @Test
    void overflowBecomesInfinity() {
        assertBits(0x7bff, 65519f);                         // below the midpoint to 2^16: still the largest finite
        assertBits(0x7c00, 65520f);                         // the midpoint rounds to even, which is infinity
        assertBits(0x7c00, 1e6f);
        assertBits(0xfc00, -1e6f);
        assertBits(0x7c00, Float.MAX_VALUE);
    }

    @Test
    void roundTripErrorIsWithinHalfAnUlp() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            float x = (float) ((random.nextBoolean() ? 1 : -1) * Math.exp(random.nextDouble(Math.log(0x1p-14), Math.log(65504))));
            float back = HalfFloat.toFloat(HalfFloat.fromFloat(x));
            assertTrue(Math.abs(back - x) <= Math.abs(x) * 0x1p-11f, x + " came back as " + back);
        }
    }

    /** Both directions; assertEquals on floats tells -0 from 0. */
    private static void assertExact(int bits, float value) {
        assertBits(bits, value);
        assertEquals(value, HalfFloat.toFloat((short) bits));
    }

    private static void assertBits(int expected, float value) {
        assertEquals(expected, HalfFloat.fromFloat(value) & 0xffff,
                value + " → 0x" + Integer.toHexString(HalfFloat.fromFloat(value) & 0xffff));
    }
}
