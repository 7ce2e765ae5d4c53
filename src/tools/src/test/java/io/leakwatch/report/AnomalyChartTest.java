package io.leakwatch.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakwatch.detect.baseline.BaselineRule;
import io.leakwatch.detect.baseline.BaselineSettings;
import io.leakwatch.detect.baseline.RevenueHistory;
import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The anomaly chart as a user gets it: a PNG read back from disk, checked where the chart says a month is (its
 * data area and date axis), not at fixed pixels.
 */
class AnomalyChartTest {
    private static final BaselineRule RULE = new BaselineRule(BaselineSettings.defaults());
    private static final YearMonth FIRST = YearMonth.of(2024, 1);
    private static final YearMonth THROUGH = YearMonth.of(2025, 6);
    private static final YearMonth SPIKE_MONTH = YearMonth.of(2024, 9);
    private static final YearMonth DROP_MONTH = YearMonth.of(2025, 3);
    private static final YearMonth EROSION_FROM = YearMonth.of(2025, 1);

    @TempDir
    static Path dir;
    static AnomalyChart.Drawing drawing;
    static BufferedImage png;

    @BeforeAll
    static void drawThreePanels() throws IOException {
        // Given 18 months of about 1,000 a month: a spike to 3,000 in September 2024 and a fall to 200 in March
        // 2025 in one account; a quiet account; and one that erodes from January 2025 on
        RevenueHistory pointy = history(m -> m.equals(SPIKE_MONTH) ? "3000" : m.equals(DROP_MONTH) ? "200"
                : Integer.toString(1000 + 10 * (m.getMonthValue() % 3)));
        RevenueHistory quiet = history(m -> "1000");
        RevenueHistory eroding = history(m -> m.isBefore(EROSION_FROM) ? "1000"
                : Integer.toString(1000 - 120 * m.getMonthValue()));
        List<Anomaly> points = List.of(anomaly("REVENUE_DROP", DROP_MONTH, "-80.0", null),
                anomaly("REVENUE_SPIKE", SPIKE_MONTH, "200.0", null));
        List<AnomalyChart.Panel> panels = List.of(
                new AnomalyChart.Panel("acct-pointy", RevenueSeries.withPointAnomalies(pointy, points), points, THROUGH),
                new AnomalyChart.Panel("acct-quiet", quiet, List.of(), THROUGH),
                new AnomalyChart.Panel("acct-eroding", eroding,
                        List.of(anomaly("REVENUE_EROSION", THROUGH, "-72.0", EROSION_FROM + ".." + THROUGH)), THROUGH));

        // When the chart is drawn and written
        drawing = AnomalyChart.draw(panels, RULE);
        Path file = drawing.writePng(dir.resolve("charts").resolve("anomalies.png"));
        png = ImageIO.read(file.toFile());
    }

    @Test
    void shouldWriteAPngWithTheHeaderAndTwoPanelsToARow() throws IOException {
        Path file = dir.resolve("charts").resolve("anomalies.png");
        assertThat(Files.readAllBytes(file)).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        assertThat(png).isNotNull();
        // three panels: two rows of two
        assertThat(png.getWidth()).isEqualTo(AnomalyChart.COLUMNS * AnomalyChart.PANEL_WIDTH);
        assertThat(png.getHeight()).isEqualTo(AnomalyChart.HEADER_HEIGHT + 2 * AnomalyChart.PANEL_HEIGHT);
        assertThat(drawing.panels()).extracting(p -> p.panel().accountId())
                .containsExactly("acct-pointy", "acct-quiet", "acct-eroding");
        assertThat(dataArea(2).getMinY()).isGreaterThan(AnomalyChart.HEADER_HEIGHT + AnomalyChart.PANEL_HEIGHT);
        assertThat(dataArea(1).getMinX()).isGreaterThan(AnomalyChart.PANEL_WIDTH);
    }

    @Test
    void shouldTitleEachPanelWithItsAccountAndCurrencyAndLabelTheMoneyAxis() {
        XYPlot plot = drawing.panels().get(0).plot();

        assertThat(drawing.panels().get(0).chart().getTitle().getText()).isEqualTo("acct-pointy  (USD)");
        assertThat(plot.getRangeAxis().getLabel()).isEqualTo("USD");
        // revenue and marked points are inside the axis range: nothing drawn off the chart
        assertThat(plot.getRangeAxis().getRange().contains(3000)).isTrue();
    }

    @Test
    void shouldMarkTheDropMonthInRedAndTheSpikeMonthInOrangeAndNoOtherMonth() {
        assertThat(colorsInColumn(0, DROP_MONTH)).contains(AnomalyChart.DROP.getRGB());
        assertThat(colorsInColumn(0, SPIKE_MONTH)).contains(AnomalyChart.SPIKE.getRGB());
        // months at least two away from a marker (its label is wider than one month)
        for (YearMonth m = FIRST; !m.isAfter(THROUGH); m = m.plusMonths(1)) {
            if (monthsApart(m, DROP_MONTH) >= 2 && monthsApart(m, SPIKE_MONTH) >= 2) {
                assertThat(colorsInColumn(0, m)).as("marker colours in %s", m)
                        .doesNotContain(AnomalyChart.DROP.getRGB(), AnomalyChart.SPIKE.getRGB());
            }
        }
    }

    @Test
    void shouldMarkNothingInAPanelWithoutAnomalies() {
        for (YearMonth m = FIRST; !m.isAfter(THROUGH); m = m.plusMonths(1)) {
            assertThat(colorsInColumn(1, m)).as("marker colours in %s", m)
                    .doesNotContain(AnomalyChart.DROP.getRGB(), AnomalyChart.SPIKE.getRGB(), AnomalyChart.EROSION.getRGB());
        }
    }

    @Test
    void shouldShadeTheErodingRunAndMarkItsLastMonth() {
        assertThat(colorsInColumn(2, THROUGH)).contains(AnomalyChart.EROSION.getRGB());
        // the shade shows above the data, where nothing else is drawn: purple-tinted inside the run, not before it
        int y = (int) dataArea(2).getMinY() + 3;
        assertThat(purpleTinted(png.getRGB(x(2, YearMonth.of(2025, 3)), y))).isTrue();
        assertThat(purpleTinted(png.getRGB(x(2, YearMonth.of(2024, 10)), y))).isFalse();
    }

    @Test
    void shouldDrawMonthsTheDataDoesNotCloseApartAndWithoutABaseline() {
        YearMonth closed = THROUGH.minusMonths(2);
        RevenueHistory h = history(m -> m.isAfter(closed) ? "150" : "1000");

        XYPlot plot = AnomalyChart.draw(List.of(new AnomalyChart.Panel("acct-partial", h, List.of(), THROUGH, closed)),
                RULE).panels().get(0).plot();

        var revenue = plot.getDataset(1);
        var partial = plot.getDataset(3);
        var baseline = plot.getDataset(0);
        assertThat(revenue.getX(0, revenue.getItemCount(0) - 1).doubleValue()).isEqualTo(AnomalyChart.x(closed));
        assertThat(partial.getItemCount(0)).as("the last closed month, joining the line, and the two open ones")
                .isEqualTo(3);
        assertThat(partial.getX(0, 2).doubleValue()).isEqualTo(AnomalyChart.x(THROUGH));
        assertThat(baseline.getX(0, baseline.getItemCount(0) - 1).doubleValue()).isEqualTo(AnomalyChart.x(closed));
    }

    @Test
    void shouldDrawTheBaselineAtEachMonthsContractPrices() {
        // a steady account whose rates are cut by 30% from 2025-01 on: the band follows the new prices at once
        YearMonth step = YearMonth.of(2025, 1);
        RevenueHistory h = new RevenueHistory("USD", 10_000);
        for (YearMonth m = FIRST; !m.isAfter(THROUGH); m = m.plusMonths(1)) {
            BigDecimal billed = new BigDecimal(m.isBefore(step) ? "1000" : "700");
            h.add(m, billed, billed, m.equals(step) ? new BigDecimal("1000") : billed);
        }

        XYPlot plot = AnomalyChart.draw(List.of(new AnomalyChart.Panel("acct-amended", h, List.of(), THROUGH)), RULE)
                .panels().get(0).plot();

        var band = (org.jfree.data.xy.YIntervalSeriesCollection) plot.getDataset(0);
        int item = band.getSeries(0).indexOf(AnomalyChart.x(step));
        assertThat(band.getYValue(0, item)).as("the level at the step month, at its prices").isEqualTo(700.0);
    }

    private static RevenueHistory history(Function<YearMonth, String> revenue) {
        RevenueHistory h = new RevenueHistory("USD", 10_000);
        for (YearMonth m = FIRST; !m.isAfter(THROUGH); m = m.plusMonths(1)) {
            h.add(m, new BigDecimal(revenue.apply(m)));
        }
        return h;
    }

    private static Anomaly anomaly(String type, YearMonth period, String percent, String months) {
        return new Anomaly("acct", period, type, "HIGH", 5.0, BigDecimal.ONE, BigDecimal.ONE, new BigDecimal(percent),
                "-5.0", BigDecimal.ONE, "USD", period.toString(), months == null ? period.toString() : months);
    }

    private static Rectangle2D dataArea(int panel) {
        return drawing.panels().get(panel).info().getPlotInfo().getDataArea();
    }

    /** The pixel column of a month on a panel, from the panel's own axis and data area. */
    private static int x(int panel, YearMonth month) {
        XYPlot plot = drawing.panels().get(panel).plot();
        return (int) Math.round(plot.getDomainAxis().valueToJava2D(AnomalyChart.x(month), dataArea(panel),
                plot.getDomainAxisEdge()));
    }

    /** Every colour in a month's strip of a panel's data area: 0.3 of a month's width either side of its point. */
    private static Set<Integer> colorsInColumn(int panel, YearMonth month) {
        Rectangle2D area = dataArea(panel);
        int half = (int) Math.floor(0.3 * (x(panel, month.plusMonths(1)) - x(panel, month)));
        int center = x(panel, month);
        return IntStream.rangeClosed(center - half, center + half).boxed()
                .flatMap(px -> IntStream.range((int) area.getMinY(), (int) area.getMaxY()).mapToObj(py -> png.getRGB(px, py)))
                .collect(Collectors.toSet());
    }

    private static long monthsApart(YearMonth a, YearMonth b) {
        return Math.abs(ChronoUnit.MONTHS.between(a, b));
    }

    private static boolean purpleTinted(int rgb) {
        Color c = new Color(rgb);
        return c.getGreen() < c.getRed() - 8 && c.getGreen() < c.getBlue() - 8;
    }
}
