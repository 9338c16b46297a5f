package io.collectivekv.quality;

import io.collectivekv.cache.Precision;
import io.collectivekv.train.BalanceLoss;
import io.collectivekv.train.LearningRateSchedule;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** NDCG@10 against cache bytes per token and layer for one data set: the trade-off the d_u / m settings make. */
public final class QualityPlot {
    private static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);

    private QualityPlot() {}

    public static void write(QualityLedger ledger, String dataset, Path png) throws IOException {
        List<QualityRow> rows = ledger.rows(dataset);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("the ledger has no row for data set " + dataset);
        }
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(1400).height(600)
                .title(dataset + ": test NDCG@10 (full ranking, seen masked) against what the cache costs")
                .xAxisTitle("cache bytes per token per layer in state (at the precision measured: fp32 unless marked, log scale)")
                .yAxisTitle("NDCG@10").build();
        var style = chart.getStyler();
        style.setXAxisLogarithmic(true);
        style.setLegendPosition(Styler.LegendPosition.OutsideE);
        style.setChartBackgroundColor(Color.WHITE);
        style.setPlotGridLinesColor(new Color(0xdddddd));
        style.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        style.setMarkerSize(10);
        double minX = Double.MAX_VALUE;
        double maxX = 0;
        for (QualityRow r : rows) {
            minX = Math.min(minX, r.measuredCacheBytesPerTokenPerLayer());
            maxX = Math.max(maxX, r.measuredCacheBytesPerTokenPerLayer());
            XYSeries s = chart.addSeries(label(r), new double[] {r.measuredCacheBytesPerTokenPerLayer()}, new double[] {r.ndcg10()});
            s.setMarker("full".equals(r.kvMode()) ? SeriesMarkers.SQUARE : SeriesMarkers.CIRCLE);
        }
        for (QualityLedger.PublishedResult p : ledger.published(dataset)) {
            if (p.ndcg10() <= 1.5 * maxNdcg(rows) && !p.protocol().contains("sampled")) {
                XYSeries line = chart.addSeries("published: " + p.model() + " " + fmt(p.ndcg10()),
                        new double[] {minX / 1.5, maxX * 1.5}, new double[] {p.ndcg10(), p.ndcg10()});
                line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                line.setMarker(SeriesMarkers.NONE);
                line.setLineStyle(DASHED);
            }
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        String name = png.toString();
        BitmapEncoder.saveBitmap(chart, name.endsWith(".png") ? name.substring(0, name.length() - 4) : name, BitmapEncoder.BitmapFormat.PNG);
    }

    private static double maxNdcg(List<QualityRow> rows) {
        return rows.stream().mapToDouble(QualityRow::ndcg10).max().orElse(0);
    }

    static String label(QualityRow r) {
        String shape = "collective".equals(r.kvMode())
                ? String.format(Locale.ROOT, "d_u=%d m=%d", r.userDim(), r.poolSize())
                : "full K/V";
        String schedule = LearningRateSchedule.COSINE.id().equals(r.lrSchedule()) ? ", cosine lr" : "";
        String balance = "collective".equals(r.kvMode()) && BalanceLoss.LOAD.id().equals(r.balanceLoss()) ? ", load balance" : "";
        String precision = Precision.FP32.id().equals(r.cachePrecision()) ? "" : ", " + r.cachePrecision() + " cache";
        if (r.fittedNotTrained()) {
            return String.format(Locale.ROOT, "%s %s, d=%d, fitted to its full model, not trained%s: %s", r.encoder(), shape, r.d(),
                    precision, fmt(r.ndcg10()));
        }
        String start = r.startSeconds() == null ? "" : " from the full model";
        return String.format(Locale.ROOT, "%s %s, d=%d, %d negatives, %d epochs%s%s%s%s: %s", r.encoder(), shape, r.d(), r.negatives(), r.epochs(),
                start, schedule, balance, precision, fmt(r.ndcg10()));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
