package io.leakwatch.report;

import io.leakwatch.detect.baseline.BaselineRule;
import io.leakwatch.detect.baseline.RevenueHistory;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * One panel per account: monthly revenue (solid line) against its rolling baseline (dashed: mean of the previous
 * months, as the rule computes it) and the normal range around it (shaded: mean - z_threshold · std floored for a
 * fall .. mean + z_threshold · std floored for a rise),
 * with anomalies marked where they occur: red ▼ drop, orange ▲ spike, purple band over an eroding run.
 * Java2D, headless; no dependency.
 */
public final class AnomalyChart {
    private static final int PANEL_W = 620;
    private static final int PANEL_H = 300;
    private static final int COLUMNS = 2;
    private static final int HEADER = 64;
    private static final Color REVENUE = new Color(0x1f, 0x3b, 0x73);
    private static final Color BASELINE = new Color(0x6b, 0x6b, 0x6b);
    private static final Color BAND = new Color(0x9e, 0xb7, 0xd6, 70);
    private static final Color DROP = new Color(0xc6, 0x28, 0x28);
    private static final Color SPIKE = new Color(0xef, 0x8a, 0x00);
    private static final Color EROSION = new Color(0x7b, 0x1f, 0xa2);

    /** An account to draw: its revenue history and its anomalies. */
    /** @param through last month to draw (the end of the data: silent months after the last invoice are zeros) */
    public record Panel(String accountId, RevenueHistory history, List<Anomaly> anomalies, YearMonth through) {
    }

    private AnomalyChart() {
    }

    public static Path write(List<Panel> panels, BaselineRule rule, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int rows = Math.max(1, (panels.size() + COLUMNS - 1) / COLUMNS);
        int width = COLUMNS * PANEL_W;
        int height = HEADER + rows * PANEL_H;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            header(g, width, rule);
            for (int i = 0; i < panels.size(); i++) {
                int x = (i % COLUMNS) * PANEL_W;
                int y = HEADER + (i / COLUMNS) * PANEL_H;
                panel(g, panels.get(i), rule, x, y);
            }
        } finally {
            g.dispose();
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    private static void header(Graphics2D g, int width, BaselineRule rule) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
        g.drawString("Revenue anomalies: monthly revenue against each account's own baseline", 16, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int x = 16;
        int y = 48;
        g.setColor(REVENUE);
        g.setStroke(new BasicStroke(2.2f));
        g.drawLine(x, y - 4, x + 26, y - 4);
        x = legendText(g, "monthly revenue", x + 32, y);
        g.setColor(BASELINE);
        g.setStroke(dashed());
        g.drawLine(x, y - 4, x + 26, y - 4);
        x = legendText(g, "baseline (mean of previous " + rule.settings().window() + " months)", x + 32, y);
        g.setColor(BAND);
        g.fillRect(x, y - 11, 26, 12);
        x = legendText(g, "normal range", x + 32, y);
        g.setColor(DROP);
        g.fillPolygon(triangle(x + 8, y - 5, false));
        x = legendText(g, "drop", x + 20, y);
        g.setColor(SPIKE);
        g.fillPolygon(triangle(x + 8, y - 5, true));
        x = legendText(g, "spike", x + 20, y);
        g.setColor(new Color(EROSION.getRed(), EROSION.getGreen(), EROSION.getBlue(), 50));
        g.fillRect(x, y - 11, 26, 12);
        legendText(g, "slow erosion", x + 32, y);
    }

    private static int legendText(Graphics2D g, String text, int x, int y) {
        g.setColor(Color.DARK_GRAY);
        g.drawString(text, x, y);
        return x + g.getFontMetrics().stringWidth(text) + 22;
    }

    private static void panel(Graphics2D g, Panel panel, BaselineRule rule, int px, int py) {
        RevenueHistory h = panel.history();
        YearMonth first = h.first();
        YearMonth last = panel.through().isAfter(h.last()) ? panel.through() : h.last();
        List<YearMonth> months = new ArrayList<>();
        for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
            months.add(m);
        }
        int n = months.size();
        double[] revenue = new double[n];
        double[] mean = new double[n];
        double[] lo = new double[n];
        double[] hi = new double[n];
        double max = 0;
        for (int i = 0; i < n; i++) {
            revenue[i] = h.revenue(months.get(i)).doubleValue();
            BaselineRule.Baseline b = rule.baseline(h, months.get(i));
            if (b == null) {
                mean[i] = Double.NaN;
            } else {
                mean[i] = b.mean().doubleValue();
                lo[i] = Math.max(0, mean[i] - rule.settings().zThreshold() * b.effectiveDropStd());
                hi[i] = mean[i] + rule.settings().zThreshold() * b.effectiveStd();
            }
            max = Math.max(max, Math.max(revenue[i], Double.isNaN(mean[i]) ? 0 : hi[i]));
        }
        double top = niceCeiling(max <= 0 ? 1 : max * 1.2);     // headroom for the markers and their labels

        int left = px + 70;
        int right = px + PANEL_W - 20;
        int plotTop = py + 38;
        int bottom = py + PANEL_H - 40;
        java.util.function.IntToDoubleFunction xs = i -> n == 1 ? (left + right) / 2.0 : left + (right - left) * i / (double) (n - 1);
        java.util.function.DoubleUnaryOperator ys = v -> bottom - (bottom - plotTop) * Math.max(0, v) / top;

        // title
        Anomaly lead = panel.anomalies().isEmpty() ? null : panel.anomalies().get(0);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        String title = panel.accountId() + "  (" + h.currency() + ")";
        g.drawString(title, px + 16, py + 22);
        if (lead != null) {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(Color.DARK_GRAY);
            g.drawString(describe(lead), px + 24 + g.getFontMetrics(g.getFont().deriveFont(Font.BOLD, 14f)).stringWidth(title), py + 22);
        }

        // erosion bands under everything
        for (Anomaly a : panel.anomalies()) {
            if (a.type().equals("REVENUE_EROSION")) {
                int i0 = months.indexOf(a.firstMonth());
                int i1 = months.indexOf(a.period());
                if (i0 >= 0 && i1 >= 0) {
                    int x0 = (int) (xs.applyAsDouble(i0) - 4);
                    int x1 = (int) (xs.applyAsDouble(i1) + 4);
                    g.setColor(new Color(EROSION.getRed(), EROSION.getGreen(), EROSION.getBlue(), 40));
                    g.fillRect(x0, plotTop, x1 - x0, bottom - plotTop);
                }
            }
        }

        // axes and grid
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        FontMetrics fm = g.getFontMetrics();
        for (int t = 0; t <= 4; t++) {
            double v = top * t / 4;
            int y = (int) ys.applyAsDouble(v);
            g.setColor(new Color(0xe6, 0xe6, 0xe6));
            g.setStroke(new BasicStroke(1f));
            g.drawLine(left, y, right, y);
            g.setColor(Color.GRAY);
            String label = compact(v);
            g.drawString(label, left - 8 - fm.stringWidth(label), y + 4);
        }
        for (int i = 0; i < n; i++) {
            YearMonth m = months.get(i);
            if (m.getMonthValue() % 3 == 1 || n <= 8) {
                int x = (int) xs.applyAsDouble(i);
                g.setColor(Color.GRAY);
                g.drawLine(x, bottom, x, bottom + 4);
                String label = m.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH)
                        + (m.getMonthValue() == 1 || i == 0 ? " " + m.getYear() : "");
                g.drawString(label, x - fm.stringWidth(label) / 2, bottom + 17);
            }
        }
        g.setColor(Color.GRAY);
        g.drawLine(left, bottom, right, bottom);

        // normal range band and baseline
        Path2D band = new Path2D.Double();
        Path2D baseline = new Path2D.Double();
        boolean started = false;
        int firstBase = -1;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(mean[i])) {
                continue;
            }
            if (!started) {
                band.moveTo(xs.applyAsDouble(i), ys.applyAsDouble(hi[i]));
                baseline.moveTo(xs.applyAsDouble(i), ys.applyAsDouble(mean[i]));
                firstBase = i;
                started = true;
            } else {
                band.lineTo(xs.applyAsDouble(i), ys.applyAsDouble(hi[i]));
                baseline.lineTo(xs.applyAsDouble(i), ys.applyAsDouble(mean[i]));
            }
        }
        if (started) {
            for (int i = n - 1; i >= firstBase; i--) {
                band.lineTo(xs.applyAsDouble(i), ys.applyAsDouble(lo[i]));
            }
            band.closePath();
            g.setColor(BAND);
            g.fill(band);
            g.setColor(BASELINE);
            g.setStroke(dashed());
            g.draw(baseline);
        }

        // revenue
        Path2D line = new Path2D.Double();
        for (int i = 0; i < n; i++) {
            if (i == 0) {
                line.moveTo(xs.applyAsDouble(i), ys.applyAsDouble(revenue[i]));
            } else {
                line.lineTo(xs.applyAsDouble(i), ys.applyAsDouble(revenue[i]));
            }
        }
        g.setColor(REVENUE);
        g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(line);
        for (int i = 0; i < n; i++) {
            g.fillOval((int) xs.applyAsDouble(i) - 2, (int) ys.applyAsDouble(revenue[i]) - 2, 5, 5);
        }

        // point anomalies
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
        List<Rectangle> placed = new ArrayList<>();
        for (Anomaly a : panel.anomalies()) {
            int i = months.indexOf(a.period());
            if (i < 0) {
                continue;
            }
            int x = (int) xs.applyAsDouble(i);
            int y = (int) ys.applyAsDouble(revenue[i]);
            String pct = (a.percentVsBaseline().signum() > 0 ? "+" : "") + a.percentVsBaseline().setScale(0, java.math.RoundingMode.HALF_EVEN) + "%";
            switch (a.type()) {
                case "REVENUE_DROP" -> {
                    g.setColor(DROP);
                    g.fillPolygon(triangle(x, y - 11, false));
                    label(g, "drop " + pct, x, y - 22, px, right, plotTop, placed);
                }
                case "REVENUE_SPIKE" -> {
                    g.setColor(SPIKE);
                    g.fillPolygon(triangle(x, y - 11, true));
                    label(g, "spike " + pct, x, y - 22, px, right, plotTop, placed);
                }
                default -> {
                    g.setColor(EROSION);
                    g.fillOval(x - 5, y - 5, 11, 11);
                    label(g, "erosion " + pct, x, Math.min(y + 26, bottom - 6), px, right, plotTop, placed);
                }
            }
        }
        g.setStroke(new BasicStroke(1f));
    }

    /** Draws a marker's label centred over it, moved up a line at a time while it would overlap one already drawn. */
    private static void label(Graphics2D g, String text, int x, int y, int px, int right, int plotTop,
                              List<Rectangle> placed) {
        FontMetrics fm = g.getFontMetrics();
        int w = fm.stringWidth(text);
        int lx = Math.max(px + 72, Math.min(right - w, x - w / 2));
        int ly = Math.max(y, plotTop);
        Rectangle box = new Rectangle(lx - 2, ly - fm.getAscent(), w + 4, fm.getHeight());
        for (int tries = 0; tries < 4 && placed.stream().anyMatch(box::intersects); tries++) {
            // up while there is room above the plot's top, else down
            box.translate(0, box.y + fm.getAscent() - fm.getHeight() >= plotTop ? -fm.getHeight() : fm.getHeight());
        }
        placed.add(box);
        g.drawString(text, lx, box.y + fm.getAscent());
    }

    private static String describe(Anomaly a) {
        String pct = (a.percentVsBaseline().signum() > 0 ? "+" : "") + a.percentVsBaseline().toPlainString() + "%";
        return a.shortType().toLowerCase(Locale.ROOT) + " in " + a.period() + ": " + pct + " vs baseline";
    }

    private static Polygon triangle(int x, int y, boolean up) {
        return up ? new Polygon(new int[] {x - 7, x + 7, x}, new int[] {y + 6, y + 6, y - 7}, 3)
                : new Polygon(new int[] {x - 7, x + 7, x}, new int[] {y - 6, y - 6, y + 7}, 3);
    }

    private static BasicStroke dashed() {
        return new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f);
    }

    private static double niceCeiling(double v) {
        double mag = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (step * mag >= v) {
                return step * mag;
            }
        }
        return 10 * mag;
    }

    private static String compact(double v) {
        if (v >= 1_000_000) {
            return trim(v / 1_000_000) + "M";
        }
        if (v >= 1_000) {
            return trim(v / 1_000) + "k";
        }
        return trim(v);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.1f", v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
