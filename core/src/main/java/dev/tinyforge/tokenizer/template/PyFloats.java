package dev.tinyforge.tokenizer.template;

import java.math.BigDecimal;

/**
 * Python's {@code repr(float)} (also what {@code str()} and {@code json.dumps} print): the shortest
 * digits that read back as the same double, fixed notation when the decimal exponent is in
 * [-4, 16), otherwise {@code 1e+16} style with at least two exponent digits.
 */
final class PyFloats {
    private PyFloats() {}

    static String repr(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        if (d == 0) return (1 / d < 0) ? "-0.0" : "0.0";
        String sign = d < 0 ? "-" : "";
        double abs = Math.abs(d);
        // JDK 19+ Double.toString gives the shortest round-tripping digits, except that it may prefer a
        // closer 2-digit form where a 1-digit one exists (4.9E-324); Python takes the 1-digit one.
        BigDecimal shortest = new BigDecimal(Double.toString(abs)).stripTrailingZeros();
        if (shortest.precision() == 2) shortest = oneDigitIfRoundTrips(abs, shortest);
        String digits = shortest.unscaledValue().toString();
        int point = digits.length() - shortest.scale(); // value = 0.DIGITS * 10^point
        return sign + (point > -4 && point <= 16 ? fixed(digits, point) : scientific(digits, point));
    }

    private static BigDecimal oneDigitIfRoundTrips(double x, BigDecimal twoDigits) {
        BigDecimal best = null;
        BigDecimal exact = new BigDecimal(x);
        for (java.math.RoundingMode mode : new java.math.RoundingMode[] {java.math.RoundingMode.FLOOR,
                java.math.RoundingMode.CEILING}) {
            BigDecimal candidate = twoDigits.round(new java.math.MathContext(1, mode));
            if (candidate.doubleValue() != x) continue;
            if (best == null || candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0) best = candidate;
        }
        return best == null ? twoDigits : best.stripTrailingZeros();
    }

    private static String fixed(String digits, int point) {
        if (point <= 0) return "0." + "0".repeat(-point) + digits;
        if (point >= digits.length()) return digits + "0".repeat(point - digits.length()) + ".0";
        return digits.substring(0, point) + "." + digits.substring(point);
    }

    private static String scientific(String digits, int point) {
        int exponent = point - 1;
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String exp = Integer.toString(Math.abs(exponent));
        return mantissa + "e" + (exponent < 0 ? "-" : "+") + (exp.length() < 2 ? "0" + exp : exp);
    }
}
