package dev.tinyforge.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Packs short sequences into rows of up to a maximum length, best fit decreasing (longest first,
 * each into the fullest row it still fits, as TRL's "bfd" packing). Nothing crosses between the
 * sequences of a row: {@link Backprop} gives each its own causal attention and RoPE positions from
 * 0, and the first token of each is no target. Deterministic: rows depend on the data alone.
 */
public final class Packing {
    private Packing() {}

    /**
     * What packing did to a data set, against rows padded to {@code rowLength} as a fixed-shape
     * batch would be: the padding share without and with packing.
     */
    public record Stats(int sequences, int rows, long tokens, int rowLength) {
        public double paddingShareUnpacked() {
            return 1 - (double) tokens / ((long) sequences * rowLength);
        }

        public double paddingSharePacked() {
            return 1 - (double) tokens / ((long) rows * rowLength);
        }

        /** The share of the unpacked padding that packing removes. */
        public double paddingSaved() {
            double before = paddingShareUnpacked();
            return before == 0 ? 0 : 1 - paddingSharePacked() / before;
        }
    }

    /** Rows of up to {@code maxLength} tokens holding every sequence once (each must fit). */
    public static List<TokenizedExample> pack(List<TokenizedExample> sequences, int maxLength) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < sequences.size(); i++) {
            int n = sequences.get(i).length();
            if (n > maxLength) throw new IllegalArgumentException("a sequence of " + n + " tokens, rows of " + maxLength);
            if (n > 0) order.add(i);
        }
        order.sort(Comparator.comparingInt((Integer i) -> -sequences.get(i).length()).thenComparingInt(i -> i));
        List<List<TokenizedExample>> rows = new ArrayList<>();
        List<Integer> used = new ArrayList<>();
        // Free room -> rows with that much room, earliest row first.
        TreeMap<Integer, TreeSet<Integer>> byRoom = new TreeMap<>();
        for (int i : order) {
            TokenizedExample e = sequences.get(i);
            var fit = byRoom.ceilingEntry(e.length());
            int row;
            if (fit == null) {
                row = rows.size();
                rows.add(new ArrayList<>());
                used.add(0);
            } else {
                row = fit.getValue().pollFirst();
                if (fit.getValue().isEmpty()) byRoom.remove(fit.getKey());
            }
            rows.get(row).add(e);
            used.set(row, used.get(row) + e.length());
            int room = maxLength - used.get(row);
            if (room > 0) byRoom.computeIfAbsent(room, k -> new TreeSet<>()).add(row);
        }
        List<TokenizedExample> out = new ArrayList<>(rows.size());
        for (int r = 0; r < rows.size(); r++) out.add(concatenate(rows.get(r), used.get(r)));
        return out;
    }

    public static Stats stats(List<TokenizedExample> sequences, List<TokenizedExample> rows, int rowLength) {
        long tokens = 0;
        for (TokenizedExample e : sequences) tokens += e.length();
        return new Stats(sequences.size(), rows.size(), tokens, rowLength);
    }

    private static TokenizedExample concatenate(List<TokenizedExample> parts, int length) {
        int[] ids = new int[length];
        boolean[] target = new boolean[length];
        int[] starts = new int[parts.stream().mapToInt(TokenizedExample::sequences).sum()];
        boolean truncated = false;
        int at = 0, n = 0;
        for (TokenizedExample e : parts) {
            System.arraycopy(e.ids(), 0, ids, at, e.length());
            System.arraycopy(e.target(), 0, target, at, e.length());
            for (int start : e.sequenceStarts()) {
                starts[n++] = at + start;
                target[at + start] = false; // nothing in the row predicts a sequence's first token
            }
            truncated |= e.truncated();
            at += e.length();
        }
        return new TokenizedExample(ids, target, truncated, starts);
    }
}
