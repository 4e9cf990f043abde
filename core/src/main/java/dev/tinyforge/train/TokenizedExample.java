package dev.tinyforge.train;

/**
 * One training row: token ids and which of them the loss covers ({@code target[t]}: token t is
 * predicted from the tokens before it). A row is one sequence, or several packed ones
 * ({@link Packing}) that start at {@code sequenceStarts}; a token sees only its own sequence.
 *
 * @param truncated      whether a sequence was cut to the length limit
 * @param sequenceStarts where each sequence begins: {0} for one sequence
 */
public record TokenizedExample(int[] ids, boolean[] target, boolean truncated, int[] sequenceStarts) {
    /** One sequence. */
    public TokenizedExample(int[] ids, boolean[] target, boolean truncated) {
        this(ids, target, truncated, new int[] {0});
    }

    public int length() {
        return ids.length;
    }

    public int targetCount() {
        int n = 0;
        for (boolean b : target) if (b) n++;
        return n;
    }

    /** How many sequences the row holds. */
    public int sequences() {
        return sequenceStarts.length;
    }
}
