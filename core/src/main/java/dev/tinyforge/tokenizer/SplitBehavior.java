package dev.tinyforge.tokenizer;

/**
 * What a Split does with the matches, as HF's {@code SplitDelimiterBehavior}: drop them, keep them as
 * pieces of their own, glue each to the piece before or after it, or join runs of matches.
 */
enum SplitBehavior {
    REMOVED, ISOLATED, MERGED_WITH_PREVIOUS, MERGED_WITH_NEXT, CONTIGUOUS;

    static SplitBehavior fromHf(String name) {
        return switch (name) {
            case "Removed" -> REMOVED;
            case "Isolated" -> ISOLATED;
            case "MergedWithPrevious" -> MERGED_WITH_PREVIOUS;
            case "MergedWithNext" -> MERGED_WITH_NEXT;
            case "Contiguous" -> CONTIGUOUS;
            default -> null;
        };
    }

    /**
     * Cuts {@code s} given its matches ((start, end) pairs from {@link SplitPattern#matches}) and sends the
     * non-empty pieces to {@code sink}; {@code offset} is where {@code s} starts in its segment.
     */
    void split(String s, int offset, IntList matches, boolean invert, PieceSink sink) {
        // The partition of s into alternating non-match / match spans: bounds[k] .. bounds[k+1], flag[k].
        int spans = matches.size() + 1;
        int[] from = new int[spans];
        int[] to = new int[spans];
        boolean[] isMatch = new boolean[spans];
        int count = 0, prev = 0;
        for (int k = 0; k < matches.size(); k += 2) {
            int a = matches.get(k), b = matches.get(k + 1);
            if (a > prev) {
                from[count] = prev;
                to[count] = a;
                isMatch[count++] = invert;
            }
            from[count] = a;
            to[count] = b;
            isMatch[count++] = !invert;
            prev = b;
        }
        if (prev < s.length()) {
            from[count] = prev;
            to[count] = s.length();
            isMatch[count++] = invert;
        }
        switch (this) {
            case REMOVED -> {
                for (int k = 0; k < count; k++) if (!isMatch[k]) emit(s, offset, from[k], to[k], sink);
            }
            case ISOLATED -> {
                for (int k = 0; k < count; k++) emit(s, offset, from[k], to[k], sink);
            }
            case MERGED_WITH_PREVIOUS -> {
                // A match extends the piece before it, unless that piece was itself a match.
                int start = -1, end = -1;
                boolean previousMatch = false;
                for (int k = 0; k < count; k++) {
                    if (isMatch[k] && !previousMatch && start >= 0) {
                        end = to[k];
                    } else {
                        if (start >= 0) emit(s, offset, start, end, sink);
                        start = from[k];
                        end = to[k];
                    }
                    previousMatch = isMatch[k];
                }
                if (start >= 0) emit(s, offset, start, end, sink);
            }
            case MERGED_WITH_NEXT -> {
                // Mirror image, decided from the right as HF does, then emitted left to right.
                int[] pieceStart = new int[count];
                int[] pieceEnd = new int[count];
                int pieces = 0;
                boolean previousMatch = false;
                for (int k = count - 1; k >= 0; k--) {
                    if (isMatch[k] && !previousMatch && pieces > 0) {
                        pieceStart[pieces - 1] = from[k];
                    } else {
                        pieceStart[pieces] = from[k];
                        pieceEnd[pieces++] = to[k];
                    }
                    previousMatch = isMatch[k];
                }
                for (int p = pieces - 1; p >= 0; p--) emit(s, offset, pieceStart[p], pieceEnd[p], sink);
            }
            case CONTIGUOUS -> {
                int start = -1, end = -1;
                boolean previousMatch = false;
                for (int k = 0; k < count; k++) {
                    if (isMatch[k] == previousMatch && start >= 0) {
                        end = to[k];
                    } else {
                        if (start >= 0) emit(s, offset, start, end, sink);
                        start = from[k];
                        end = to[k];
                    }
                    previousMatch = isMatch[k];
                }
                if (start >= 0) emit(s, offset, start, end, sink);
            }
        }
    }

    private static void emit(String s, int offset, int a, int b, PieceSink sink) {
        if (b > a) sink.accept(a == 0 && b == s.length() ? s : s.substring(a, b), offset + a);
    }
}
