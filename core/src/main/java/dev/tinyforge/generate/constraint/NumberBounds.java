package dev.tinyforge.generate.constraint;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The range of {@code minimum}, {@code maximum}, {@code exclusiveMinimum} and {@code exclusiveMaximum}.
 * The automaton asks whether a number it has started can still end inside the range, among the numbers
 * it may write: those on the grid of its longest fraction ({@code scale} digits, 0 for integers). Asking
 * about reachable grid points rather than real intervals is what keeps it from starting a number it
 * could not finish.
 *
 * @param min null for none
 * @param max null for none
 */
record NumberBounds(BigDecimal min, boolean minExclusive, BigDecimal max, boolean maxExclusive) {
    static final NumberBounds NONE = new NumberBounds(null, false, null, false);

    boolean isNone() {
        return min == null && max == null;
    }

    boolean contains(BigDecimal v) {
        if (min != null) {
            int c = v.compareTo(min);
            if (c < 0 || (c == 0 && minExclusive)) return false;
        }
        if (max != null) {
            int c = v.compareTo(max);
            if (c > 0 || (c == 0 && maxExclusive)) return false;
        }
        return true;
    }

    /** Whether some multiple of 10^-scale in [from, to] lies within the bounds; from and to are such multiples. */
    boolean meets(BigDecimal from, BigDecimal to, int scale) {
        BigDecimal low = from, high = to;
        if (min != null) {
            BigDecimal m = min.setScale(scale, RoundingMode.CEILING);
            if (minExclusive && m.compareTo(min) == 0) m = m.add(BigDecimal.ONE.movePointLeft(scale));
            if (m.compareTo(low) > 0) low = m;
        }
        if (max != null) {
            BigDecimal m = max.setScale(scale, RoundingMode.FLOOR);
            if (maxExclusive && m.compareTo(max) == 0) m = m.subtract(BigDecimal.ONE.movePointLeft(scale));
            if (m.compareTo(high) < 0) high = m;
        }
        return low.compareTo(high) <= 0;
    }
}
