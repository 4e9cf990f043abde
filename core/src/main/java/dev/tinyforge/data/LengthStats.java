package dev.tinyforge.data;

import java.util.Arrays;

/** Collects lengths and reports min, mean, median, 95th percentile and max (nearest-rank percentiles). */
public final class LengthStats {
    private int[] values = new int[1024];
    private int count;
    private long sum;

    public void add(int length) {
        if (count == values.length) values = Arrays.copyOf(values, values.length * 2);
        values[count++] = length;
        sum += length;
    }

    /** The five figures; all zero when nothing was added. */
    public record Summary(long count, int min, double mean, int p50, int p95, int max) {}

    public Summary summary() {
        if (count == 0) return new Summary(0, 0, 0, 0, 0, 0);
        int[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        return new Summary(count, sorted[0], (double) sum / count, percentile(sorted, 50), percentile(sorted, 95),
                sorted[count - 1]);
    }

    private static int percentile(int[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
