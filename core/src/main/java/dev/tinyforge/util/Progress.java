package dev.tinyforge.util;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Shows how far long work has come: on a terminal a single line redrawn in place with count, rate
 * and ETA; otherwise (logs, CI) a plain line every {@code logEverySeconds}. Cheap to call per item.
 */
public final class Progress implements AutoCloseable {
    private final String label;
    private final String unit;
    private final long total;
    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier clock;
    private final long start;
    private final long intervalNanos;
    private long lastShown;
    private long done;
    private boolean shownAny;

    /**
     * @param total the amount of work when known (for ETA), or {@code -1}
     * @param unit  what is counted, e.g. "lines" or "MB"
     */
    public Progress(String label, String unit, long total, PrintStream out, boolean terminal, LongSupplier clock) {
        this.label = label;
        this.unit = unit;
        this.total = total;
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
        this.start = clock.getAsLong();
        this.lastShown = start;
        this.intervalNanos = terminal ? 200_000_000L : 10_000_000_000L;
    }

    /** A progress display on stderr, redrawn in place when stderr is a terminal. */
    public static Progress onStderr(String label, String unit, long total) {
        var console = System.console();
        boolean terminal = console != null && console.isTerminal();
        return new Progress(label, unit, total, System.err, terminal, System::nanoTime);
    }

    /** Records that the work has reached {@code amount} in total. */
    public void update(long amount) {
        done = amount;
        long now = clock.getAsLong();
        if (now - lastShown >= intervalNanos) {
            lastShown = now;
            show(now, false);
        }
    }

    private void show(long now, boolean last) {
        double seconds = Math.max(1e-9, (now - start) / 1e9);
        double rate = done / seconds;
        StringBuilder line = new StringBuilder();
        line.append(label).append(": ").append(done);
        if (total > 0) {
            line.append('/').append(total).append(' ').append(unit)
                .append(String.format(Locale.ROOT, " (%.0f%%)", 100.0 * done / total));
        } else {
            line.append(' ').append(unit);
        }
        line.append(String.format(Locale.ROOT, ", %.1f %s/s", rate, unit));
        if (total > 0 && !last && rate > 0) {
            line.append(", ETA ").append(formatDuration((total - done) / rate));
        }
        if (last) line.append(", took ").append(formatDuration(seconds));
        if (terminal) {
            out.print("\r\033[2K" + line + (last ? "\n" : ""));
        } else {
            out.println(line);
        }
        out.flush();
        shownAny = true;
    }

    public static String formatDuration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) return s + "s";
        if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }

    /** Ends the display; prints a final line only if anything was shown, so short work stays quiet. */
    @Override
    public void close() {
        if (shownAny) show(clock.getAsLong(), true);
    }
}
