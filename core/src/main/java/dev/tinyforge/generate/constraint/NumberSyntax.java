package dev.tinyforge.generate.constraint;

import static dev.tinyforge.generate.constraint.JsonAutomaton.MAX_EXPONENT_DIGITS;
import static dev.tinyforge.generate.constraint.JsonAutomaton.MAX_FRACTION_DIGITS;
import static dev.tinyforge.generate.constraint.JsonAutomaton.MAX_INTEGRAL_DIGITS;

import dev.tinyforge.generate.constraint.Frame.NumberBody;
import java.math.BigDecimal;

/**
 * JSON's number grammar, {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}, a byte at a time, with the
 * automaton's digit limits; and, for bounded numbers, whether a started number can still end in bounds.
 */
final class NumberSyntax {
    private NumberSyntax() {}

    /** The frame after byte {@code b} as part of the number, or null when {@code b} is not part of it. */
    static NumberBody next(NumberBody n, int b, boolean bounded) {
        Schema.NumberType t = n.type();
        int d = b >= '0' && b <= '9' ? b - '0' : -1;
        boolean exponent = (b == 'e' || b == 'E') && !t.integer && !bounded;
        boolean dot = b == '.' && !t.integer;
        return switch (n.phase()) {
            case NumberBody.START -> b == '-' ? with(n, NumberBody.MINUS, 0, true, 0, 0, bounded) : firstDigit(n, d, bounded);
            case NumberBody.MINUS -> firstDigit(n, d, bounded);
            case NumberBody.ZERO, NumberBody.INTEGRAL -> {
                if (d >= 0 && n.phase() == NumberBody.INTEGRAL && n.digits() < MAX_INTEGRAL_DIGITS) {
                    yield with(n, NumberBody.INTEGRAL, n.digits() + 1, n.negative(), n.integral() * 10 + d, 0, bounded);
                }
                if (dot) yield with(n, NumberBody.DOT, 0, n.negative(), n.integral(), 0, bounded);
                yield exponent ? with(n, NumberBody.EXPONENT, 0, false, 0, 0, false) : null;
            }
            case NumberBody.DOT -> d >= 0 ? with(n, NumberBody.FRACTION, 1, n.negative(), n.integral(), d, bounded) : null;
            case NumberBody.FRACTION -> {
                if (d >= 0 && n.digits() < MAX_FRACTION_DIGITS) {
                    yield with(n, NumberBody.FRACTION, n.digits() + 1, n.negative(), n.integral(), n.fraction() * 10 + d, bounded);
                }
                yield exponent ? with(n, NumberBody.EXPONENT, 0, false, 0, 0, false) : null;
            }
            case NumberBody.EXPONENT -> b == '+' || b == '-' ? with(n, NumberBody.EXPONENT_SIGN, 0, false, 0, 0, false)
                    : d >= 0 ? with(n, NumberBody.EXPONENT_DIGITS, 1, false, 0, 0, false) : null;
            case NumberBody.EXPONENT_SIGN -> d >= 0 ? with(n, NumberBody.EXPONENT_DIGITS, 1, false, 0, 0, false) : null;
            case NumberBody.EXPONENT_DIGITS -> d >= 0 && n.digits() < MAX_EXPONENT_DIGITS
                    ? with(n, NumberBody.EXPONENT_DIGITS, n.digits() + 1, false, 0, 0, false) : null;
            default -> throw new IllegalStateException("number phase " + n.phase());
        };
    }

    private static NumberBody firstDigit(NumberBody n, int d, boolean bounded) {
        if (d < 0) return null;
        return with(n, d == 0 ? NumberBody.ZERO : NumberBody.INTEGRAL, 1, n.negative(), d, 0, bounded);
    }

    /** The value is kept only when bounded, so unbounded numbers reach few distinct states. */
    private static NumberBody with(NumberBody n, int phase, int digits, boolean negative, long integral, long fraction,
                                   boolean bounded) {
        return bounded ? new NumberBody(n.type(), phase, digits, negative, integral, fraction)
                : new NumberBody(n.type(), phase, digits, false, 0, 0);
    }

    /** The value of a bounded number written so far (no exponent: bounded numbers have none). */
    static BigDecimal value(NumberBody n) {
        BigDecimal v = BigDecimal.valueOf(n.integral());
        if (n.phase() == NumberBody.FRACTION) v = v.add(BigDecimal.valueOf(n.fraction(), n.digits()));
        return n.negative() ? v.negate() : v;
    }

    /** Whether some number that starts like {@code n} (within the digit limits) lies within its bounds. */
    static boolean canFinish(NumberBody n) {
        Schema.NumberType t = n.type();
        int scale = t.integer ? 0 : MAX_FRACTION_DIGITS;
        BigDecimal grid = BigDecimal.ONE.movePointLeft(scale);
        switch (n.phase()) {
            case NumberBody.MINUS -> {
                return meets(t, true, BigDecimal.ZERO, BigDecimal.TEN.pow(MAX_INTEGRAL_DIGITS).subtract(grid), scale);
            }
            case NumberBody.ZERO -> {
                return meets(t, n.negative(), BigDecimal.ZERO, BigDecimal.ONE.subtract(t.integer ? BigDecimal.ONE : grid), scale);
            }
            case NumberBody.INTEGRAL -> {
                // j more integral digits, then perhaps a fraction: [v·10^j, (v+1)·10^j − grid].
                BigDecimal v = BigDecimal.valueOf(n.integral());
                for (int j = 0; j <= MAX_INTEGRAL_DIGITS - n.digits(); j++) {
                    BigDecimal from = v.movePointRight(j), span = BigDecimal.ONE.movePointRight(j);
                    BigDecimal to = from.add(span).subtract(t.integer ? BigDecimal.ONE : grid);
                    if (meets(t, n.negative(), from, to, scale)) return true;
                }
                return false;
            }
            case NumberBody.DOT, NumberBody.FRACTION -> {
                int m = n.phase() == NumberBody.DOT ? 0 : n.digits();
                BigDecimal from = BigDecimal.valueOf(n.integral());
                if (m > 0) from = from.add(BigDecimal.valueOf(n.fraction(), m));
                BigDecimal to = from.add(BigDecimal.ONE.movePointLeft(m)).subtract(grid);
                return meets(t, n.negative(), from, to, scale);
            }
            default -> {
                return true;
            }
        }
    }

    /** Whether a grid point with absolute value in [from, to], of the given sign, lies within bounds. */
    private static boolean meets(Schema.NumberType t, boolean negative, BigDecimal from, BigDecimal to, int scale) {
        return negative ? t.bounds.meets(to.negate(), from.negate(), scale) : t.bounds.meets(from, to, scale);
    }
}
