package org.seq4j.tasks.translate;

import java.awt.Color;
import java.awt.Font;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.GrayPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.seq4j.util.AtomicFiles;
import org.seq4j.util.Checks;

/** PNG charts of translation results (JFreeChart), written atomically. */
public final class TranslationPlots {

    private TranslationPlots() {
    }

    /**
     * BLEU against source length, one line per model (Bahdanau et al. 2015, Fig. 2): each point is a length bucket,
     * at the bucket's longest source.
     */
    public static void bleuByLength(Path file, String title, Map<String, List<Translator.LengthBucket>> models) {
        JFreeChart chart = bleuByLengthChart(title, models);
        AtomicFiles.write(file, out -> ChartUtils.writeChartAsPNG(out, chart, 800, 450));
    }

    /** The chart {@link #bleuByLength} draws, for other renderings (SVG in the bench report). */
    public static JFreeChart bleuByLengthChart(String title, Map<String, List<Translator.LengthBucket>> models) {
        XYSeriesCollection lines = new XYSeriesCollection();
        models.forEach((name, buckets) -> {
            XYSeries s = new XYSeries(name);
            for (Translator.LengthBucket b : buckets) {
                s.add(b.maxLength(), b.bleu());
            }
            lines.addSeries(s);
        });
        JFreeChart chart = ChartFactory.createXYLineChart(title, "source length (tokens, bucket's longest)", "BLEU",
                lines);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setRenderer(new XYLineAndShapeRenderer(true, true));
        return chart;
    }

    /**
     * The attention of one translation as a heat map: a column per source token, a row per output token, darker for
     * more weight.
     */
    public static void attention(Path file, List<String> source, List<String> target, float[][] weights) {
        JFreeChart chart = attentionChart(source, target, weights);
        AtomicFiles.write(file, out -> ChartUtils.writeChartAsPNG(out, chart, attentionWidth(source.size()),
                attentionHeight(target.size())));
    }

    /** The width in pixels that shows {@code sourceTokens} columns of an attention heat map. */
    public static int attentionWidth(int sourceTokens) {
        return Math.max(300, 40 * sourceTokens + 150);
    }

    /** The height in pixels that shows {@code targetTokens} rows of an attention heat map. */
    public static int attentionHeight(int targetTokens) {
        return Math.max(250, 28 * targetTokens + 150);
    }

    /** The chart {@link #attention} draws, for other renderings (SVG in the bench report). */
    public static JFreeChart attentionChart(List<String> source, List<String> target, float[][] weights) {
        Checks.require(weights.length == target.size(), "attention plot: %d rows of weights for %d target tokens",
                weights.length, target.size());
        int n = source.size() * target.size();
        double[][] xyz = new double[3][n];
        int k = 0;
        for (int t = 0; t < target.size(); t++) {
            Checks.require(weights[t].length == source.size(), "attention plot: row %d has %d weights for %d source "
                    + "tokens", t, weights[t].length, source.size());
            for (int s = 0; s < source.size(); s++) {
                xyz[0][k] = s;
                xyz[1][k] = target.size() - 1 - t;   // first output token at the top
                xyz[2][k] = weights[t][s];
                k++;
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("attention", xyz);
        SymbolAxis x = new SymbolAxis("source", source.stream().map(TranslationPlots::shown).toArray(String[]::new));
        x.setVerticalTickLabels(true);
        String[] rows = new String[target.size()];
        for (int t = 0; t < target.size(); t++) {
            rows[target.size() - 1 - t] = shown(target.get(t));
        }
        SymbolAxis y = new SymbolAxis("output", rows);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        x.setTickLabelFont(font);
        y.setTickLabelFont(font);
        XYBlockRenderer r = new XYBlockRenderer();
        r.setPaintScale(new GrayPaintScale(0, 1) {
            @Override
            public java.awt.Paint getPaint(double value) {
                return super.getPaint(1 - Math.max(0, Math.min(1, value)));   // white 0 → black 1
            }
        });
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        JFreeChart chart = new JFreeChart("attention", plot);
        chart.removeLegend();
        return chart;
    }

    private static String shown(String token) {
        return token.startsWith(Tokens.JOINER) ? "·" + token.substring(Tokens.JOINER.length()) : token;
    }
}
