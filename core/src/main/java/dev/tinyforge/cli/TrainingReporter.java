package dev.tinyforge.cli;

import dev.tinyforge.eval.LossPlot;
import dev.tinyforge.train.FineTune;
import dev.tinyforge.train.Packing;
import dev.tinyforge.train.Trainer;
import dev.tinyforge.util.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Shows a fine-tuning run as it goes (a progress line every few seconds, each validation, the data
 * report) and keeps the loss curves for {@code loss.png}. Shared by {@code train} and {@code quickstart}.
 */
final class TrainingReporter implements FineTune.Listener {
    private final PrintWriter out, err;
    private final String indent;
    private final long intervalNanos;
    private final int maxLength;
    private final long start = System.nanoTime();
    private final List<LossPlot.Point> train = new ArrayList<>(), validation = new ArrayList<>();
    private long lastPrint;
    private int resumedAt;

    /** @param maxLength the run's max_length, named in the truncation warning */
    TrainingReporter(PrintWriter out, PrintWriter err, String indent, double intervalSeconds, int maxLength) {
        this.out = out;
        this.err = err;
        this.indent = indent;
        this.intervalNanos = (long) (intervalSeconds * 1e9);
        this.maxLength = maxLength;
    }

    @Override
    public void data(FineTune.DataReport d) {
        out.printf(Locale.ROOT, "%sdata: %d training sequences, %d validation, %d tokens, %.1f%% supervised, longest %d, "
                + "format %s%n", indent, d.trainSequences(), d.valSequences(), d.tokens(), 100 * d.supervisedShare(),
                d.longest(), d.promptFormat());
        if (d.packing() != null) {
            Packing.Stats p = d.packing();
            double perRow = (double) p.sequences() / p.rows(); // rows per step stay: tokens per step grow as much
            out.printf(Locale.ROOT, "%spacking: %d sequences in %d rows of up to %d tokens, %.1f per row (%.1fx the tokens "
                    + "per step); rows padded to %d would be %.1f%% padding without packing, %.1f%% with: %.1f%% of the "
                    + "padding saved%n", indent, p.sequences(), p.rows(), p.rowLength(), perRow, perRow, p.rowLength(),
                    100 * p.paddingShareUnpacked(), 100 * p.paddingSharePacked(), 100 * p.paddingSaved());
        }
        if (d.truncated() > 0) {
            err.printf("warning: %d sequences were cut to max_length %d%s%n", d.truncated(), maxLength,
                    d.withoutTargets() > 0 ? ", " + d.withoutTargets() + " lost their whole answer and are skipped" : "");
        }
        out.flush();
    }

    @Override
    public void resumed(int step, int total, Path checkpoint, List<Trainer.StepMetrics> history) {
        for (Trainer.StepMetrics m : history) {
            train.add(new LossPlot.Point(m.step(), m.trainLoss()));
            if (m.valLoss() != null) validation.add(new LossPlot.Point(m.step(), m.valLoss()));
        }
        resumedAt = step;
        out.printf(Locale.ROOT, "%sresuming at step %d/%d from %s%n", indent, step, total, checkpoint);
        out.flush();
    }

    @Override
    public void step(Trainer.StepMetrics m, int total) {
        train.add(new LossPlot.Point(m.step(), m.trainLoss()));
        long now = System.nanoTime();
        if (now - lastPrint > intervalNanos || m.step() == total || m.step() == resumedAt + 1) {
            lastPrint = now;
            double elapsed = (now - start) / 1e9;
            out.printf(Locale.ROOT, "%sstep %d/%d  epoch %.2f  loss %.4f  lr %.3g  grad %.3f  %.0f tok/s  ETA %s%n", indent,
                    m.step(), total, m.epoch(), m.trainLoss(), m.lr(), m.gradNorm(), m.tokensPerSecond(),
                    Progress.formatDuration(elapsed / (m.step() - resumedAt) * (total - m.step())));
            out.flush();
        }
    }

    @Override
    public void validation(int step, double valLoss, boolean best) {
        validation.add(new LossPlot.Point(step, valLoss));
        out.printf(Locale.ROOT, "%sstep %d  validation loss %.4f%s%n", indent, step, valLoss, best ? " (best)" : "");
        out.flush();
    }

    /** Draws the train and validation curves seen so far. */
    void writePlot(Path file) throws IOException {
        LossPlot.write(file, train, validation);
    }
}
