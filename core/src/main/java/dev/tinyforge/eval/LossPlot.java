package dev.tinyforge.eval;

import dev.tinyforge.util.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Draws training and validation loss against the step as a PNG (headless AWT, no plotting library). */
public final class LossPlot {
    /** One point of a curve. */
    public record Point(double step, double loss) {}

    private static final int WIDTH = 800, HEIGHT = 450, MARGIN = 60;

    private LossPlot() {}

    public static void write(Path file, List<Point> train, List<Point> val) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        double maxStep = 1, minLoss = Double.MAX_VALUE, maxLoss = -Double.MAX_VALUE;
        for (List<Point> curve : List.of(train, val)) {
            for (Point p : curve) {
                if (!Double.isFinite(p.loss())) continue;
                maxStep = Math.max(maxStep, p.step());
                minLoss = Math.min(minLoss, p.loss());
                maxLoss = Math.max(maxLoss, p.loss());
            }
        }
        if (minLoss > maxLoss) {
            minLoss = 0;
            maxLoss = 1;
        }
        if (maxLoss - minLoss < 1e-9) maxLoss = minLoss + 1;
        g.setColor(Color.DARK_GRAY);
        g.drawRect(MARGIN, MARGIN / 2, WIDTH - MARGIN - MARGIN / 2, HEIGHT - MARGIN - MARGIN / 2);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= 4; i++) {
            double loss = minLoss + (maxLoss - minLoss) * i / 4;
            int y = y(loss, minLoss, maxLoss);
            g.drawString(String.format(Locale.ROOT, "%.3f", loss), 8, y + 4);
            int x = x(maxStep * i / 4, maxStep);
            g.drawString(String.format(Locale.ROOT, "%.0f", maxStep * i / 4), x - 8, HEIGHT - MARGIN / 2 + 18);
        }
        g.drawString("step", WIDTH - MARGIN, HEIGHT - 4);
        draw(g, train, new Color(0x1f77b4), maxStep, minLoss, maxLoss);
        draw(g, val, new Color(0xd62728), maxStep, minLoss, maxLoss);
        g.setColor(new Color(0x1f77b4));
        g.drawString("train loss", WIDTH - 200, MARGIN / 2 + 20);
        g.setColor(new Color(0xd62728));
        if (!val.isEmpty()) g.drawString("validation loss", WIDTH - 200, MARGIN / 2 + 36);
        g.dispose();
        AtomicFiles.write(file, out -> ImageIO.write(image, "png", out));
    }

    private static void draw(Graphics2D g, List<Point> curve, Color color, double maxStep, double min, double max) {
        g.setColor(color);
        g.setStroke(new BasicStroke(2f));
        Point previous = null;
        for (Point p : curve) {
            if (!Double.isFinite(p.loss())) continue;
            if (previous != null) {
                g.drawLine(x(previous.step(), maxStep), y(previous.loss(), min, max), x(p.step(), maxStep), y(p.loss(), min, max));
            }
            g.fillOval(x(p.step(), maxStep) - 2, y(p.loss(), min, max) - 2, 4, 4);
            previous = p;
        }
    }

    private static int x(double step, double maxStep) {
        return MARGIN + (int) Math.round(step / maxStep * (WIDTH - MARGIN - MARGIN / 2));
    }

    private static int y(double loss, double min, double max) {
        int top = MARGIN / 2, height = HEIGHT - MARGIN - MARGIN / 2;
        return top + (int) Math.round((max - loss) / (max - min) * height);
    }
}
