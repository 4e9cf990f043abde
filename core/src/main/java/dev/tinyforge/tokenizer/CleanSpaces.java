package dev.tinyforge.tokenizer;

/**
 * llama.cpp's {@code clean_spaces} detokenization step (HF's clean_up_tokenization_spaces in spirit, not
 * in detail), three passes over the text:
 * <ol>
 *   <li>a space before {@code ? ! . ,} is dropped;</li>
 *   <li>a lone apostrophe between two spaces loses both ({@code "a ' b"} becomes {@code "a'b"});</li>
 *   <li>a space before {@code 's 'm 're 've} is dropped ({@code 't 'd 'll} keep theirs).</li>
 * </ol>
 * The passes look only at ASCII characters, so running them on decoded chars is the same as llama.cpp
 * running them on UTF-8 bytes.
 */
final class CleanSpaces {
    private CleanSpaces() {}

    static String apply(String text) {
        if (text.indexOf(' ') < 0) return text;
        char[] c = text.toCharArray();
        int n = spaceBeforePunctuation(c, c.length);
        n = apostropheBetweenSpaces(c, n);
        n = spaceBeforeContraction(c, n);
        return new String(c, 0, n);
    }

    /**
     * Whether text ending like {@code text} could still change once more text follows: a final space
     * (punctuation may come), {@code " '"} (a space or contraction may come), {@code " 'r"} or {@code " 'v"}.
     */
    static boolean tailMayChange(String text) {
        return text.endsWith(" ") || text.endsWith(" '") || text.endsWith(" 'r") || text.endsWith(" 'v");
    }

    // Each pass compacts in place, reading position i and its neighbours in the input, which writes at
    // positions < i never disturb (a removal only ever moves the write position further behind).

    private static int spaceBeforePunctuation(char[] c, int n) {
        int out = Math.min(n, 1);
        for (int i = 1; i < n; i++) {
            char x = c[i];
            if (c[i - 1] == ' ' && (x == '?' || x == '!' || x == '.' || x == ',')) out--;
            c[out++] = x;
        }
        return out;
    }

    private static int apostropheBetweenSpaces(char[] c, int n) {
        int out = Math.min(n, 1);
        for (int i = 1; i < n; i++) {
            char x = c[i];
            if (x == '\'' && i + 1 < n && c[i - 1] == ' ' && c[i + 1] == ' ') {
                out--;
                c[++i] = '\0'; // the space after is skipped, and no longer counts as a space before the next char
            }
            c[out++] = x;
        }
        return out;
    }

    private static int spaceBeforeContraction(char[] c, int n) {
        int out = Math.min(n, 1);
        for (int i = 1; i < n; i++) {
            char x = c[i];
            if (c[i - 1] == ' ' && x == '\'' && i + 1 < n) {
                char x1 = c[i + 1];
                if (x1 == 's' || x1 == 'm') {
                    out--;
                } else if (x1 != 't' && x1 != 'd' && i + 2 < n) {
                    char x2 = c[i + 2];
                    if ((x1 == 'r' && x2 == 'e') || (x1 == 'v' && x2 == 'e')) out--;
                }
            }
            c[out++] = x;
        }
        return out;
    }
}
