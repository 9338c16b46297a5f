package io.collectivekv.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The benchmark's two charts (PNG, XChart), drawn from its JSON alone so that --plot-only redraws them. */
public final class BenchPlots {
    public static final String LATENCY = "bench-latency-vs-throughput.png";
    public static final String STATE = "bench-state-bytes-vs-history.png";
    private static final Map<String, Color> COLORS = Map.of(
            "collective", new Color(0x1f77b4), "full", new Color(0xd62728), "none", new Color(0x2ca02c));
    private static final BasicStroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);
    private static final BasicStroke SOLID = new BasicStroke(2f);

    private BenchPlots() {}

    /** Writes both charts into {@code dir}; returns their paths. */
    public static List<Path> write(JsonNode report, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        Path latency = dir.resolve(LATENCY);
        Path state = dir.resolve(STATE);
        save(latencyChart(report), latency);
        save(stateChart(report), state);
        return List.of(latency, state);
    }

    private static void save(XYChart chart, Path file) throws IOException {
        String name = file.toString();
        BitmapEncoder.saveBitmap(chart, name.substring(0, name.length() - ".png".length()), BitmapEncoder.BitmapFormat.PNG);
    }

    private static Color color(String mode) {
        return COLORS.getOrDefault(mode, Color.DARK_GRAY);
    }

    static XYChart latencyChart(JsonNode report) {
        XYChart chart = new XYChartBuilder().width(1100).height(600)
                .title("End to end: latency vs achieved throughput (" + subtitle(report) + ")")
                .xAxisTitle("achieved events/s (each mode's rightmost point: full speed, a backlog drained, so its latency is queueing)")
                .yAxisTitle("latency, Kafka append → recommendation append (ms, log)").build();
        var s = chart.getStyler();
        chart.getStyler().setYAxisLogarithmic(true);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(0xdddddd));
        chart.getStyler().setYAxisDecimalPattern("#,##0.#");
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        for (JsonNode mode : report.path("modes")) {
            String name = mode.path("mode").asText();
            List<double[]> points = new ArrayList<>();
            for (JsonNode m : mode.path("measurements")) {
                JsonNode l = m.path("latency_ms");
                if (m.path("events_per_s").isNumber() && l.path("p99").isNumber()) {
                    points.add(new double[] {m.path("events_per_s").asDouble(), Math.max(0.5, l.path("p50").asDouble()),
                            Math.max(0.5, l.path("p99").asDouble())});
                }
            }
            if (points.isEmpty()) {
                continue;
            }
            points.sort(Comparator.comparingDouble(p -> p[0]));
            List<Double> x = points.stream().map(p -> p[0]).toList();
            XYSeries p99 = chart.addSeries(name + " p99", x, points.stream().map(p -> p[2]).toList());
            p99.setLineColor(color(name));
            p99.setMarkerColor(color(name));
            p99.setMarker(SeriesMarkers.CIRCLE);
            p99.setLineStyle(SOLID);
            XYSeries p50 = chart.addSeries(name + " p50", x, points.stream().map(p -> p[1]).toList());
            p50.setLineColor(color(name));
            p50.setMarkerColor(color(name));
            p50.setMarker(SeriesMarkers.DIAMOND);
            p50.setLineStyle(DASHED);
        }
        JsonNode target = report.path("targets_reference").path("p99_ms");
        if (target.isNumber() && !chart.getSeriesMap().isEmpty()) {
            double maxX = chart.getSeriesMap().values().stream().mapToDouble(se -> se.getXMax()).max().orElse(1);
            XYSeries t = chart.addSeries("target p99 " + target.asInt() + " ms", List.of(0.0, maxX), List.of(target.asDouble(), target.asDouble()));
            t.setLineColor(Color.GRAY);
            t.setMarker(SeriesMarkers.NONE);
            t.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {2f, 3f}, 0f));
        }
        return chart;
    }

    static XYChart stateChart(JsonNode report) {
        JsonNode curve = report.path("state_curve");
        XYChart chart = new XYChartBuilder().width(1100).height(600)
                .title("State per user vs history length (W = " + curve.path("assumptions").path("window").asInt() + ", "
                        + curve.path("assumptions").path("precision").asText() + ")")
                .xAxisTitle("events in the user's history").yAxisTitle("bytes per user in RocksDB (log)").build();
        var s = chart.getStyler();
        chart.getStyler().setYAxisLogarithmic(true);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(0xdddddd));
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        List<Double> history = new ArrayList<>();
        curve.path("history").forEach(h -> history.add(h.asDouble()));
        for (String mode : List.of("collective", "full", "none")) {
            if (!curve.has(mode + "_total")) {
                continue;
            }
            List<Double> total = new ArrayList<>();
            curve.path(mode + "_total").forEach(v -> total.add(Math.max(1, v.asDouble())));
            XYSeries t = chart.addSeries(mode + ": whole state (computed)", history, total);
            t.setLineColor(color(mode));
            t.setMarker(SeriesMarkers.NONE);
            t.setLineStyle(SOLID);
            if (!mode.equals("none")) {
                List<Double> cache = new ArrayList<>();
                curve.path(mode + "_cache").forEach(v -> cache.add(Math.max(1, v.asDouble())));
                XYSeries c = chart.addSeries(mode + ": cache only (CacheCodec)", history, cache);
                Color light = color(mode);
                c.setLineColor(new Color(light.getRed(), light.getGreen(), light.getBlue(), 110));
                c.setMarker(SeriesMarkers.NONE);
                c.setLineStyle(new BasicStroke(5f));
            }
        }
        for (JsonNode mode : report.path("modes")) {
            String name = mode.path("mode").asText();
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (JsonNode m : mode.path("measurements")) {
                JsonNode mean = m.path("job_metrics").path("histograms").path("stateBytesPerUser").path("mean");
                JsonNode h = m.path("history_per_user");
                if (mean.isNumber() && h.isNumber()) {
                    x.add(Math.min(h.asDouble(), history.isEmpty() ? h.asDouble() : history.get(history.size() - 1)));
                    y.add(mean.asDouble());
                }
            }
            if (!x.isEmpty()) {
                XYSeries m = chart.addSeries(name + ": measured (stateBytesPerUser mean)", x, y);
                m.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                m.setMarker(SeriesMarkers.SQUARE);
                m.setMarkerColor(color(name));
            }
        }
        return chart;
    }

    private static String subtitle(JsonNode report) {
        JsonNode setup = report.path("setup");
        return setup.path("data_name").asText("?") + ", W = " + setup.path("window").asText("?") + ", "
                + setup.path("users").asText("?") + " users";
    }
}
