package io.leakwatch.report;

import io.leakwatch.detect.baseline.BaselineRule;
import io.leakwatch.detect.baseline.RevenueHistory;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.text.SimpleDateFormat;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.DateTickUnit;
import org.jfree.chart.axis.DateTickUnitType;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.TickUnits;
import org.jfree.chart.block.RectangleConstraint;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.title.Title;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.Size2D;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.Range;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * One panel per account: monthly revenue (solid line) against its rolling baseline (dashed: the level of the
 * previous months, as the rule computes it, at each month's contract prices) and the normal range around it (shaded:
 * level - z_threshold · deviation floored for a fall .. level + z_threshold · deviation floored for a rise), months
 * the data does not close yet dotted and without a baseline,
 * with anomalies marked where they occur: red ▼ drop, orange ▲ spike, purple band over an eroding run.
 * Each panel is a JFreeChart XY plot (months on a UTC date axis, revenue in the account's currency); the panels sit
 * two to a row under one title and legend, in one PNG drawn headless.
 */
public final class AnomalyChart {
    /** The image: a header (title and legend) over rows of {@value #COLUMNS} panels, each the same size. */
    public static final int PANEL_WIDTH = 620;
    public static final int PANEL_HEIGHT = 300;
    public static final int COLUMNS = 2;
    public static final int HEADER_HEIGHT = 64;
    static final Color REVENUE = new Color(0x1f, 0x3b, 0x73);
    static final Color PARTIAL = new Color(0x8f, 0x9d, 0xb8);
    static final Color BASELINE = new Color(0x6b, 0x6b, 0x6b);
    static final Color BAND = new Color(0x9e, 0xb7, 0xd6);
    static final float BAND_ALPHA = 0.27f;
    static final Color DROP = new Color(0xc6, 0x28, 0x28);
    static final Color SPIKE = new Color(0xef, 0x8a, 0x00);
    static final Color EROSION = new Color(0x7b, 0x1f, 0xa2);
    static final float EROSION_ALPHA = 0.16f;

    /** The datasets of a panel's plot, in drawing order (later ones on top). */
    private static final int BASELINE_DATASET = 0;
    private static final int REVENUE_DATASET = 1;
    private static final int MARKER_DATASET = 2;
    private static final int PARTIAL_DATASET = 3;
    /** The series of the marker dataset. */
    private static final int DROP_SERIES = 0;
    private static final int SPIKE_SERIES = 1;
    private static final int EROSION_SERIES = 2;

    private static final TimeZone UTC = TimeZone.getTimeZone(ZoneOffset.UTC);
    /** How far a point marker sits above its month's revenue point, in pixels, so the point stays visible. */
    private static final int MARKER_LIFT = 11;
    /** How far an erosion band reaches past the first and the last month of its run. */
    private static final long EROSION_BAND_MARGIN = Duration.ofDays(7).toMillis();

    /**
     * An account to draw: its revenue history and its anomalies.
     *
     * @param through      last month to draw (the end of the data: silent months after the last invoice are zeros)
     * @param closedThrough last month the data closes (its end plus the close grace lies before the data's end);
     *                     later months are partial: drawn apart, with no baseline, as the rule has not judged them
     */
    public record Panel(String accountId, RevenueHistory history, List<Anomaly> anomalies, YearMonth through,
                        YearMonth closedThrough) {
        /** A panel whose months are all closed. */
        public Panel(String accountId, RevenueHistory history, List<Anomaly> anomalies, YearMonth through) {
            this(accountId, history, anomalies, through, through);
        }
    }

    /** A drawn panel: its chart, and where the chart put its parts in the image ({@code info}, in image pixels). */
    public record DrawnPanel(Panel panel, JFreeChart chart, ChartRenderingInfo info) {
        public XYPlot plot() {
            return chart.getXYPlot();
        }
    }

    /** The whole image and its panels, in the order given. */
    public record Drawing(BufferedImage image, List<DrawnPanel> panels) {
        public Path writePng(Path file) throws IOException {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ImageIO.write(image, "png", file.toFile());
            return file;
        }
    }

    private AnomalyChart() {
    }

    public static Path write(List<Panel> panels, BaselineRule rule, Path file) throws IOException {
        return draw(panels, rule).writePng(file);
    }

    /** Draws the title, the legend and the panels, {@value #COLUMNS} to a row, into one image. */
    public static Drawing draw(List<Panel> panels, BaselineRule rule) {
        System.setProperty("java.awt.headless", "true");     // no display needed (takes effect before AWT's first use)
        int rows = Math.max(1, (panels.size() + COLUMNS - 1) / COLUMNS);
        int width = COLUMNS * PANEL_WIDTH;
        int height = HEADER_HEIGHT + rows * PANEL_HEIGHT;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        List<DrawnPanel> drawn = new ArrayList<>();
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            header(g, width, rule);
            for (int i = 0; i < panels.size(); i++) {
                JFreeChart chart = chart(panels.get(i), rule);
                ChartRenderingInfo info = new ChartRenderingInfo();
                chart.draw(g, new Rectangle2D.Double((i % COLUMNS) * PANEL_WIDTH,
                        HEADER_HEIGHT + (i / COLUMNS) * PANEL_HEIGHT, PANEL_WIDTH, PANEL_HEIGHT), info);
                drawn.add(new DrawnPanel(panels.get(i), chart, info));
            }
        } finally {
            g.dispose();
        }
        return new Drawing(image, List.copyOf(drawn));
    }

    /** The x value of a month on a panel's date axis: its first instant, UTC. */
    static double x(YearMonth month) {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    private static void header(Graphics2D g, int width, BaselineRule rule) {
        TextTitle title = new TextTitle("Revenue anomalies: monthly revenue against each account's own baseline",
                new Font(Font.SANS_SERIF, Font.BOLD, 17));
        place(g, title, 16, 8, width - 32);

        LegendItemCollection items = new LegendItemCollection();
        items.add(line("monthly revenue", REVENUE, new BasicStroke(2.2f)));
        items.add(line("baseline (level of the previous " + rule.settings().window() + " months)", BASELINE, dashed()));
        items.add(new LegendItem("normal range", null, null, null, new Rectangle2D.Double(-13, -6, 26, 12),
                translucent(BAND, BAND_ALPHA)));
        items.add(line("month not closed yet (partial)", PARTIAL, new BasicStroke(2.2f, BasicStroke.CAP_ROUND,
                BasicStroke.JOIN_ROUND, 1f, new float[] {3f, 5f}, 0f)));
        items.add(new LegendItem("drop", null, null, null, ShapeUtils.createDownTriangle(7f), DROP));
        items.add(new LegendItem("spike", null, null, null, ShapeUtils.createUpTriangle(7f), SPIKE));
        items.add(new LegendItem("slow erosion", null, null, null, new Rectangle2D.Double(-13, -6, 26, 12),
                translucent(EROSION, EROSION_ALPHA)));
        LegendTitle legend = new LegendTitle(() -> items);
        legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        legend.setItemPaint(Color.DARK_GRAY);
        legend.setItemLabelPadding(new RectangleInsets(2, 4, 2, 18));
        place(g, legend, 16, 34, width - 32);
    }

    /** Lays a title out at most {@code maxWidth} wide and draws it with its top left corner at (x, y). */
    private static void place(Graphics2D g, Title title, double x, double y, double maxWidth) {
        Size2D size = title.arrange(g, new RectangleConstraint(new Range(0, maxWidth), new Range(0, HEADER_HEIGHT)));
        title.draw(g, new Rectangle2D.Double(x, y, size.getWidth(), size.getHeight()));
    }

    private static LegendItem line(String label, Color color, BasicStroke stroke) {
        return new LegendItem(label, null, null, null, new Line2D.Double(-13, 0, 13, 0), stroke, color);
    }

    private static JFreeChart chart(Panel panel, BaselineRule rule) {
        RevenueHistory h = panel.history();
        YearMonth first = h.first();
        YearMonth last = panel.through().isAfter(h.last()) ? panel.through() : h.last();

        XYSeries revenue = new XYSeries("monthly revenue", true, false);
        XYSeries partial = new XYSeries("not closed yet", true, false);
        YIntervalSeries baseline = new YIntervalSeries("baseline");
        double z = rule.settings().zThreshold();
        YearMonth closed = panel.closedThrough();
        for (YearMonth m = first; !m.isAfter(last); m = m.plusMonths(1)) {
            boolean open = closed == null || m.isAfter(closed);
            if (open) {
                if (partial.getItemCount() == 0 && revenue.getItemCount() > 0) {
                    partial.add(x(m.minusMonths(1)), h.revenue(m.minusMonths(1)).doubleValue());     // joins the line
                }
                partial.add(x(m), h.revenue(m).doubleValue());
                continue;
            }
            revenue.add(x(m), h.revenue(m).doubleValue());
            // the band the rule judged by: the past restated at the month's contract prices, as the rule sees it
            BaselineRule.Baseline b = rule.baseline(h.repricedTo(m), m);
            if (b != null) {
                // the band the rule judges by: its level ± z_threshold deviations
                double level = b.median().doubleValue();
                baseline.add(x(m), level, Math.max(0, level - z * b.effectiveDropStd()), level + z * b.effectiveStd());
            }
        }

        XYPlot plot = new XYPlot();
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setRangeGridlinePaint(new Color(0xe6, 0xe6, 0xe6));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setDomainGridlinesVisible(false);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        plot.setDomainAxis(monthAxis());
        plot.setRangeAxis(moneyAxis(h.currency()));

        YIntervalSeriesCollection band = new YIntervalSeriesCollection();
        band.addSeries(baseline);
        DeviationRenderer bandRenderer = new DeviationRenderer(true, false);
        bandRenderer.setSeriesPaint(0, BASELINE);
        bandRenderer.setSeriesStroke(0, dashed());
        bandRenderer.setSeriesFillPaint(0, BAND);
        bandRenderer.setAlpha(BAND_ALPHA);
        plot.setDataset(BASELINE_DATASET, band);
        plot.setRenderer(BASELINE_DATASET, bandRenderer);

        XYLineAndShapeRenderer revenueRenderer = new XYLineAndShapeRenderer(true, true);
        revenueRenderer.setSeriesPaint(0, REVENUE);
        revenueRenderer.setSeriesStroke(0, new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        revenueRenderer.setSeriesShape(0, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
        plot.setDataset(REVENUE_DATASET, new XYSeriesCollection(revenue));
        plot.setRenderer(REVENUE_DATASET, revenueRenderer);

        XYLineAndShapeRenderer partialRenderer = new XYLineAndShapeRenderer(true, true);
        partialRenderer.setSeriesPaint(0, PARTIAL);
        partialRenderer.setSeriesStroke(0, new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
                new float[] {3f, 5f}, 0f));
        partialRenderer.setSeriesShape(0, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
        partialRenderer.setSeriesShapesFilled(0, false);
        plot.setDataset(PARTIAL_DATASET, new XYSeriesCollection(partial));
        plot.setRenderer(PARTIAL_DATASET, partialRenderer);

        markAnomalies(plot, panel, revenue);

        JFreeChart chart = new JFreeChart(panel.accountId() + "  (" + h.currency() + ")",
                new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(8, 16, 8, 20));
        chart.getTitle().setHorizontalAlignment(HorizontalAlignment.LEFT);
        TextTitle lead = new TextTitle(panel.anomalies().isEmpty() ? "no revenue anomalies"
                : describe(panel.anomalies().get(0)), new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        lead.setPaint(Color.DARK_GRAY);
        lead.setHorizontalAlignment(HorizontalAlignment.LEFT);
        lead.setPadding(new RectangleInsets(2, 0, 6, 0));
        chart.addSubtitle(lead);
        return chart;
    }

    /**
     * Drops and spikes as triangles just above their month's revenue point, erosion as a dot on its last month and
     * a band over the run; each marker labelled above with its type and its change against the baseline, the label
     * centred over its marker except in the first and last two months, where it runs inwards so the plot's edge does
     * not cut it off.
     */
    private static void markAnomalies(XYPlot plot, Panel panel, XYSeries revenue) {
        List<XYSeries> series = List.of(new XYSeries("drop", false, true), new XYSeries("spike", false, true),
                new XYSeries("erosion", false, true));
        List<List<String>> labels = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<List<ItemLabelPosition>> positions = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (Anomaly a : panel.anomalies()) {
            int item = revenue.indexOf(x(a.period()));
            if (item < 0) {
                continue;
            }
            int s = switch (a.type()) {
                case "REVENUE_DROP" -> DROP_SERIES;
                case "REVENUE_SPIKE" -> SPIKE_SERIES;
                default -> EROSION_SERIES;
            };
            series.get(s).add(x(a.period()), revenue.getY(item));
            labels.get(s).add(a.shortType().toLowerCase(Locale.ROOT) + " " + (a.percentVsBaseline().signum() > 0 ? "+" : "")
                    + a.percentVsBaseline().setScale(0, RoundingMode.HALF_EVEN) + "%");
            TextAnchor text = item < 2 ? TextAnchor.BOTTOM_LEFT
                    : item >= revenue.getItemCount() - 2 ? TextAnchor.BOTTOM_RIGHT : TextAnchor.BOTTOM_CENTER;
            positions.get(s).add(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, text));
            if (s == EROSION_SERIES) {
                plot.addDomainMarker(new IntervalMarker(x(a.firstMonth()) - EROSION_BAND_MARGIN,
                        x(a.period()) + EROSION_BAND_MARGIN, EROSION, new BasicStroke(1f), null, null, EROSION_ALPHA),
                        Layer.BACKGROUND);
            }
        }
        XYSeriesCollection markers = new XYSeriesCollection();
        series.forEach(markers::addSeries);

        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true) {
            @Override
            public ItemLabelPosition getPositiveItemLabelPosition(int row, int column) {
                return positions.get(row).get(column);
            }

            @Override
            public ItemLabelPosition getNegativeItemLabelPosition(int row, int column) {
                return positions.get(row).get(column);
            }
        };
        AffineTransform lift = AffineTransform.getTranslateInstance(0, -MARKER_LIFT);
        renderer.setSeriesShape(DROP_SERIES, lift.createTransformedShape(ShapeUtils.createDownTriangle(7f)));
        renderer.setSeriesShape(SPIKE_SERIES, lift.createTransformedShape(ShapeUtils.createUpTriangle(7f)));
        renderer.setSeriesShape(EROSION_SERIES, new Ellipse2D.Double(-5.5, -5.5, 11, 11));
        Color[] colors = {DROP, SPIKE, EROSION};
        for (int s = 0; s < colors.length; s++) {
            renderer.setSeriesPaint(s, colors[s]);
            renderer.setSeriesItemLabelPaint(s, colors[s]);
        }
        renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
        renderer.setDefaultItemLabelGenerator((dataset, row, column) -> labels.get(row).get(column));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setItemLabelAnchorOffset(MARKER_LIFT);     // an OUTSIDE label sits twice this above its point
        plot.setDataset(MARKER_DATASET, markers);
        plot.setRenderer(MARKER_DATASET, renderer);
    }

    private static DateAxis monthAxis() {
        DateAxis axis = new DateAxis(null, UTC, Locale.ENGLISH);
        TickUnits units = new TickUnits();
        for (int months : new int[] {1, 3, 6, 12}) {
            SimpleDateFormat format = new SimpleDateFormat("MMM yyyy", Locale.ENGLISH);
            format.setTimeZone(UTC);
            units.add(new DateTickUnit(DateTickUnitType.MONTH, months, format));
        }
        axis.setStandardTickUnits(units);
        axis.setLowerMargin(0.02);
        axis.setUpperMargin(0.02);
        axis.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        axis.setTickLabelPaint(Color.GRAY);
        axis.setAxisLinePaint(Color.GRAY);
        return axis;
    }

    private static NumberAxis moneyAxis(String currency) {
        NumberAxis axis = new NumberAxis(currency);
        axis.setAutoRangeIncludesZero(true);
        axis.setUpperMargin(0.3);     // headroom for the markers and their labels
        axis.setTickLabelInsets(new RectangleInsets(8, 4, 8, 4));     // fewer, wider-spaced ticks
        NumberFormat compact = NumberFormat.getCompactNumberInstance(Locale.ENGLISH, NumberFormat.Style.SHORT);
        compact.setMaximumFractionDigits(1);
        axis.setNumberFormatOverride(compact);
        axis.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        axis.setLabelPaint(Color.GRAY);
        axis.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        axis.setTickLabelPaint(Color.GRAY);
        axis.setAxisLineVisible(false);
        axis.setTickMarksVisible(false);
        return axis;
    }

    private static String describe(Anomaly a) {
        String pct = (a.percentVsBaseline().signum() > 0 ? "+" : "") + a.percentVsBaseline().toPlainString() + "%";
        return a.shortType().toLowerCase(Locale.ROOT) + " in " + a.period() + ": " + pct + " vs baseline";
    }

    private static BasicStroke dashed() {
        return new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f);
    }

    private static Color translucent(Color c, float alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), Math.round(alpha * 255));
    }
}
