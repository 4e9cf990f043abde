package dev.tinyforge.quant;

/**
 * Shared activation preparations of the {@link DotKernel}s: the row itself, followed by the sum of
 * each group of values. Types whose values carry an offset or a min ((q - 8)·d, d·q + m, d·sc·q − dmin·m)
 * multiply that part with the group sum once instead of adding it to every weight.
 */
final class Activations {
    private Activations() {}

    /** act = x[xOff .. xOff + cols), then cols / group sums. */
    static void copyWithSums(float[] x, int xOff, int cols, int group, float[] act, int actOff) {
        System.arraycopy(x, xOff, act, actOff, cols);
        for (int g = 0; g < cols / group; g++) {
            double sum = 0;
            for (int i = xOff + g * group; i < xOff + (g + 1) * group; i++) sum += x[i];
            act[actOff + cols + g] = (float) sum;
        }
    }

    static int lengthWithSums(int cols, int group) {
        return cols + cols / group;
    }
}
