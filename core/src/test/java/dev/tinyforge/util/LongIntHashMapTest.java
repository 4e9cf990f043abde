package dev.tinyforge.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LongIntHashMapTest {
    /** Random operations agree with java.util.HashMap, through several resizes and with colliding keys. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void behavesLikeAHashMap(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        LongIntHashMap map = new LongIntHashMap(4);
        Map<Long, Integer> reference = new HashMap<>();
        for (int i = 0; i < 50_000; i++) {
            // Keys from a small range collide often; some are multiples of 2^32 to stress the mixing.
            long key = random.nextBoolean() ? random.nextLong(2_000) : random.nextLong(64) << 32;
            int value = random.nextInt(1_000_000);
            switch (random.nextInt(3)) {
                case 0 -> assertEquals(reference.putIfAbsent(key, value) == null ? -1 : reference.get(key),
                        map.putIfAbsent(key, value, -1));
                case 1 -> assertEquals((int) reference.merge(key, value, Integer::sum), map.add(key, value));
                default -> assertEquals(reference.getOrDefault(key, -7), map.get(key, -7));
            }
        }
        assertEquals(reference.size(), map.size());
        Map<Long, Integer> copy = new HashMap<>();
        map.forEach(copy::put);
        assertEquals(reference, copy);
    }
}
