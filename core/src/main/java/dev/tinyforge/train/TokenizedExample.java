package dev.tinyforge.train;

/**
 * One training sequence: token ids and which of them the loss covers ({@code target[t]}: token t
 * is predicted from the tokens before it).
 *
 * @param truncated whether the sequence was cut to the length limit
 */
public record TokenizedExample(int[] ids, boolean[] target, boolean truncated) {
    public int length() {
        return ids.length;
    }

    public int targetCount() {
        int n = 0;
        for (boolean b : target) if (b) n++;
        return n;
    }
}
