package org.seq4j.bench.runner;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.util.List;
import java.util.Map;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/** The bench report's charts: JFreeChart charts rendered as standalone SVG (JFreeSVG), no network, no script. */
final class Charts {

    private Charts() {
    }

    /** {@code chart} as an SVG element of {@code width} × {@code height}; ids are prefixed with {@code id}. */
    static String svg(JFreeChart chart, String id, int width, int height) {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        g.setDefsKeyPrefix(id.replaceAll("[^A-Za-z0-9]", "_") + "_");
        chart.draw(g, new Rectangle(0, 0, width, height));
        return g.getSVGElement(id.replaceAll("[^A-Za-z0-9_-]", "_"));
    }

    /** One point per variant: training time on x, the primary metric on y (labelled by the legend). */
    static JFreeChart qualityVsTime(String title, String metric, Map<String, double[]> points) {
        XYSeriesCollection data = new XYSeriesCollection();
        points.forEach((label, xy) -> {
            XYSeries s = new XYSeries(label);
            s.add(xy[0], xy[1]);
            data.addSeries(s);
        });
        JFreeChart chart = ChartFactory.createScatterPlot(title, "training time (s, mean over seeds)",
                metric + " (mean over seeds)", data);
        return style(chart, false, true);
    }

    /** Lines over a shared x (epochs, lags, lengths), one per variant; {@code logY} for quantities spanning decades. */
    static JFreeChart lines(String title, String x, String y, Map<String, double[][]> series, boolean logY) {
        XYSeriesCollection data = new XYSeriesCollection();
        series.forEach((label, xy) -> {
            XYSeries s = new XYSeries(label);
            for (int i = 0; i < xy[0].length; i++) {
                if (!logY || xy[1][i] > 0) {
                    s.add(xy[0][i], xy[1][i]);
                }
            }
            data.addSeries(s);
        });
        JFreeChart chart = ChartFactory.createXYLineChart(title, x, y, data);
        if (logY) {
            LogAxis axis = new LogAxis(y);
            axis.setSmallestValue(1e-12);
            chart.getXYPlot().setRangeAxis(axis);
        }
        return style(chart, true, true);
    }

    private static JFreeChart style(JFreeChart chart, boolean lines, boolean shapes) {
        chart.setTitle(new TextTitle(chart.getTitle().getText(), new Font(Font.SANS_SERIF, Font.BOLD, 14)));
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(lines, shapes);
        for (int i = 0; i < plot.getDataset().getSeriesCount(); i++) {
            r.setSeriesStroke(i, new BasicStroke(2f));
            r.setSeriesPaint(i, PALETTE.get(i % PALETTE.size()));
        }
        plot.setRenderer(r);
        return chart;
    }

    /** Okabe–Ito: distinguishable with every common colour-vision deficiency. */
    private static final List<Color> PALETTE = List.of(new Color(0, 114, 178), new Color(230, 159, 0),
            new Color(0, 158, 115), new Color(204, 121, 167), new Color(86, 180, 233), new Color(213, 94, 0),
            new Color(240, 228, 66), Color.BLACK);
}
