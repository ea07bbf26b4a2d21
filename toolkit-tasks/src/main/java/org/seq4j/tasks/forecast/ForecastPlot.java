package org.seq4j.tasks.forecast;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.seq4j.util.AtomicFiles;

/** A PNG of history, actual values, forecast and prediction interval, drawn with JFreeChart. */
public final class ForecastPlot {

    private ForecastPlot() {
    }

    /**
     * @param history values before the forecast origin (steps 0 … n−1)
     * @param actual  the true values of the horizon, or null
     */
    public static void writePng(Path file, String title, double[] history, double[] actual, Forecast forecast) {
        JFreeChart chart = chart(title, history, actual, forecast);
        AtomicFiles.write(file, out -> ChartUtils.writeChartAsPNG(out, chart, 900, 450));
    }

    /** The chart {@link #writePng} draws, for other renderings (SVG in the bench report). */
    public static JFreeChart chart(String title, double[] history, double[] actual, Forecast forecast) {
        XYSeries hist = new XYSeries("history");
        for (int t = 0; t < history.length; t++) {
            hist.add(t, history[t]);
        }
        XYSeriesCollection lines = new XYSeriesCollection(hist);
        if (actual != null) {
            XYSeries act = new XYSeries("actual");
            act.add(history.length - 1, history[history.length - 1]);
            for (int h = 0; h < actual.length; h++) {
                act.add(history.length + h, actual[h]);
            }
            lines.addSeries(act);
        }
        YIntervalSeries fc = new YIntervalSeries("forecast" + (forecast.levels().isEmpty() ? ""
                : String.format(java.util.Locale.ROOT, " (%.0f%% interval)", 100 * forecast.nominalCoverage())));
        for (int h = 0; h < forecast.point().length; h++) {
            fc.add(history.length + h, forecast.point()[h], forecast.lower()[h], forecast.upper()[h]);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "step", "value", lines);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer lineRenderer = new XYLineAndShapeRenderer(true, false);
        lineRenderer.setSeriesPaint(0, Color.DARK_GRAY);
        lineRenderer.setSeriesPaint(1, new Color(0, 120, 0));
        plot.setRenderer(0, lineRenderer);
        plot.setDataset(1, new YIntervalSeriesCollection() {
            {
                addSeries(fc);
            }
        });
        DeviationRenderer band = new DeviationRenderer(true, false);
        band.setSeriesPaint(0, new Color(200, 60, 0));
        band.setSeriesFillPaint(0, new Color(255, 170, 120));
        band.setSeriesStroke(0, new BasicStroke(2f));
        band.setAlpha(0.4f);
        plot.setRenderer(1, band);
        return chart;
    }
}
