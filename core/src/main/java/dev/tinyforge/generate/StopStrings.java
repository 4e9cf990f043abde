package dev.tinyforge.generate;

import java.util.List;

/**
 * Streams generated text while watching for stop strings. Text that might be the start of a stop
 * string is held back until it is clear either way, so a client never sees part of a stop string.
 */
public final class StopStrings {
    private final List<String> stops;
    private final StringBuilder pending = new StringBuilder();
    private boolean stopped;

    public StopStrings(List<String> stops) {
        this.stops = stops.stream().filter(s -> !s.isEmpty()).toList();
    }

    /** Whether a stop string has been seen; nothing more is emitted after it. */
    public boolean stopped() {
        return stopped;
    }

    /** Adds newly generated text and returns what can be shown now (possibly empty). */
    public String accept(String text) {
        if (stopped) return "";
        pending.append(text);
        int earliest = -1;
        for (String stop : stops) {
            int at = pending.indexOf(stop);
            if (at >= 0 && (earliest < 0 || at < earliest)) earliest = at;
        }
        if (earliest >= 0) {
            stopped = true;
            String out = pending.substring(0, earliest);
            pending.setLength(0);
            return out;
        }
        int keep = longestStopPrefixSuffix();
        String out = pending.substring(0, pending.length() - keep);
        pending.delete(0, pending.length() - keep);
        return out;
    }

    /** The text held back at the end of generation (no stop string came). */
    public String flush() {
        String out = stopped ? "" : pending.toString();
        pending.setLength(0);
        return out;
    }

    /** Length of the longest end of {@code pending} that begins some stop string. */
    private int longestStopPrefixSuffix() {
        int best = 0;
        for (String stop : stops) {
            for (int len = Math.min(stop.length() - 1, pending.length()); len > best; len--) {
                if (pending.toString().regionMatches(pending.length() - len, stop, 0, len)) {
                    best = len;
                    break;
                }
            }
        }
        return best;
    }
}
