package org.seq4j.bench.runner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.jfree.chart.JFreeChart;
import org.seq4j.bench.Report;
import org.seq4j.tasks.forecast.Forecast;
import org.seq4j.tasks.forecast.ForecastPlot;
import org.seq4j.tasks.translate.TranslationPlots;
import org.seq4j.train.RunInfo;
import org.seq4j.util.AtomicFiles;

/**
 * The bench report: per scenario, each variant's quality (mean ± standard deviation over seeds, every seed's value),
 * size and speed, and charts (quality against training time, learning curves, and per task: gradient norm by lag,
 * the forecast with its interval, BLEU by source length, attention maps). Written three ways from the same numbers:
 * {@code report.json}, {@code report.md} (charts as SVG files under {@code charts/}) and a self-contained
 * {@code report.html} (charts inline, no network).
 */
public final class BenchReport {


    /** One variant of a scenario, over its seeds. */
    public record Variant(String label, List<Long> seeds, List<Double> values, double mean, double sd,
                          Map<String, Double> metrics, long parameters, long parametersMax, double trainSeconds,
                          double msPerIteration, double msPerItem, String itemUnit, double epochs) {
    }

    /** One scenario: its variants in the suite's order, and the runs that were skipped or failed. */
    public record Scenario(String name, String title, String task, String dataset, Map<String, Object> options,
                           String metric, boolean higherIsBetter, String split, List<Variant> variants,
                           String best, Map<String, Double> baselines, List<String> notDone,
                           List<Chart> charts) {
    }

    /** A chart: its file name under charts/, caption and SVG. */
    public record Chart(String file, String caption, String svg) {
    }

    private final Suite suite;
    private final RunInfo runInfo;
    private final List<Scenario> scenarios = new ArrayList<>();

    public BenchReport(Suite suite, List<BenchRunner.Entry> entries, RunInfo runInfo) {
        this.suite = suite;
        this.runInfo = runInfo;
        for (Suite.Scenario s : suite.scenarios()) {
            List<BenchRunner.Entry> mine = entries.stream().filter(e -> e.run().scenario().name().equals(s.name()))
                    .toList();
            scenarios.add(scenario(s, mine));
        }
    }

    public List<Scenario> scenarios() {
        return scenarios;
    }

    private static Scenario scenario(Suite.Scenario s, List<BenchRunner.Entry> entries) {
        Map<String, List<JsonNode>> byVariant = new LinkedHashMap<>();
        List<String> notDone = new ArrayList<>();
        for (BenchRunner.Entry e : entries) {
            byVariant.computeIfAbsent(e.run().label(), k -> new ArrayList<>());
            if (e.done()) {
                byVariant.get(e.run().label()).add(e.record());
            } else {
                notDone.add(e.run().label() + ", seed " + e.run().seed() + ": " + e.status() + " — " + e.message());
            }
        }
        String metric = null;
        boolean higher = true;
        String split = "";
        List<Variant> variants = new ArrayList<>();
        for (Map.Entry<String, List<JsonNode>> v : byVariant.entrySet()) {
            if (v.getValue().isEmpty()) {
                continue;
            }
            JsonNode first = v.getValue().get(0).get("result");
            metric = first.at("/score/metric").asText();
            higher = first.at("/score/higherIsBetter").asBoolean();
            split = first.at("/score/split").asText();
            variants.add(variant(v.getKey(), v.getValue()));
        }
        String best = null;
        for (Variant v : variants) {
            if (best == null || better(v.mean(), byLabel(variants, best).mean(), higher)) {
                best = v.label();
            }
        }
        Scenario sc = new Scenario(s.name(), s.title() == null ? s.name() : s.title(), s.task(), s.dataset(),
                s.options() == null ? Map.of() : s.options(), metric, higher, split, variants, best,
                baselines(byVariant), notDone, new ArrayList<>());
        sc.charts().addAll(charts(sc, byVariant));
        return sc;
    }

    /**
     * What a model must beat, in the primary metric, mean over the first variant's seeds: the adding problem's
     * predict-the-mean MSE, the copy task's chance cross-entropy, the forecast baselines' sMAPE.
     */
    private static Map<String, Double> baselines(Map<String, List<JsonNode>> byVariant) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        List<JsonNode> runs = byVariant.values().stream().filter(l -> !l.isEmpty()).findFirst().orElse(List.of());
        for (JsonNode r : runs) {
            JsonNode b = r.at("/extras/baseline");
            if (!b.isMissingNode()) {
                double[] acc = sums.computeIfAbsent(b.get("name").asText(), k -> new double[2]);
                acc[0] += number(b.get("value"));
                acc[1]++;
            }
            r.at("/extras/baselineSmape").fields().forEachRemaining(f -> {
                double[] acc = sums.computeIfAbsent(f.getKey(), k -> new double[2]);
                acc[0] += number(f.getValue());
                acc[1]++;
            });
        }
        Map<String, Double> out = new LinkedHashMap<>();
        sums.forEach((k, v) -> out.put(k, v[0] / v[1]));
        return out;
    }

    static String baselineLine(Scenario s) {
        List<String> parts = new ArrayList<>();
        s.baselines().forEach((k, v) -> parts.add(k + " " + format(v)));
        return "Baselines (" + s.metric() + ", mean over seeds): " + String.join("; ", parts) + ".";
    }

    private static boolean better(double a, double b, boolean higher) {
        return Double.isNaN(b) || (higher ? a > b : a < b);
    }

    private static Variant byLabel(List<Variant> variants, String label) {
        return variants.stream().filter(v -> v.label().equals(label)).findFirst().orElseThrow();
    }

    private static Variant variant(String label, List<JsonNode> records) {
        List<Long> seeds = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        Map<String, double[]> sums = new LinkedHashMap<>();
        double train = 0;
        double msIter = 0;
        double msItem = 0;
        double epochs = 0;
        long paramsMin = Long.MAX_VALUE;
        long paramsMax = 0;
        for (JsonNode r : records) {
            seeds.add(r.get("seed").asLong());
            JsonNode res = r.get("result");
            values.add(number(res.at("/score/value")));
            res.at("/score/metrics").fields().forEachRemaining(m -> {
                double[] acc = sums.computeIfAbsent(m.getKey(), k -> new double[1]);
                acc[0] += number(m.getValue());
            });
            train += res.at("/training/seconds").asDouble();
            msIter += number(res.at("/training/msPerIteration"));
            msItem += number(res.at("/score/msPerItem"));
            epochs += res.at("/training/epochs").asDouble();
            paramsMin = Math.min(paramsMin, res.get("parameters").asLong());   // vocabularies drawn per seed differ
            paramsMax = Math.max(paramsMax, res.get("parameters").asLong());
        }
        int n = records.size();
        Map<String, Double> metrics = new LinkedHashMap<>();
        sums.forEach((k, v) -> metrics.put(k, v[0] / n));
        double mean = values.stream().mapToDouble(Double::doubleValue).sum() / n;
        double sd = n < 2 ? Double.NaN : Math.sqrt(values.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum()
                / (n - 1));
        return new Variant(label, seeds, values, mean, sd, metrics, paramsMin, paramsMax, train / n, msIter / n,
                msItem / n, records.get(0).at("/result/score/unit").asText(), epochs / n);
    }

    /** A JSON number, or NaN for null (an undefined metric). */
    private static double number(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? Double.NaN : n.asDouble();
    }

    // ---- charts ----------------------------------------------------------------------------------------------------

    private static List<Chart> charts(Scenario s, Map<String, List<JsonNode>> runs) {
        List<Chart> charts = new ArrayList<>();
        if (s.variants().isEmpty()) {
            return charts;
        }
        String id = s.name();
        Map<String, double[]> points = new LinkedHashMap<>();
        for (Variant v : s.variants()) {
            points.put(v.label(), new double[] {v.trainSeconds(), v.mean()});
        }
        charts.add(chart(id + "-quality-vs-time", "Quality against training time: toward the "
                        + (s.higherIsBetter() ? "upper" : "lower") + " left is better.",
                Charts.qualityVsTime(s.title() + ": " + s.metric() + " vs training time", s.metric(), points),
                560, 360));

        Map<String, double[][]> curves = new LinkedHashMap<>();
        boolean validation = true;
        String validationMetric = "";
        for (Map.Entry<String, List<JsonNode>> v : runs.entrySet()) {
            if (v.getValue().isEmpty()) {
                continue;
            }
            JsonNode t = v.getValue().get(0).at("/result/training");
            validation &= t.get("validation").size() > 0;
            validationMetric = t.get("validationMetric").asText();
        }
        for (Map.Entry<String, List<JsonNode>> v : runs.entrySet()) {
            if (!v.getValue().isEmpty()) {
                curves.put(v.getKey(), meanCurve(v.getValue(), validation ? "validation" : "losses"));
            }
        }
        String what = validation ? "validation " + validationMetric : "training loss";
        charts.add(chart(id + "-learning-curves", "Learning curves: " + what + " after each epoch, mean over seeds.",
                Charts.lines(s.title() + ": " + what + " by epoch", "epoch", what, curves, false), 560, 360));

        switch (s.task()) {
            case "adding" -> {
                Map<String, double[][]> lags = new LinkedHashMap<>();
                runs.forEach((label, rs) -> {
                    if (!rs.isEmpty() && rs.get(0).at("/extras/gradientLag").isArray()) {
                        lags.put(label, lagCurve(rs));
                    }
                });
                if (!lags.isEmpty()) {
                    charts.add(chart(id + "-gradient-lag", "Gradient norm of the loss at the last step with respect "
                                    + "to the input k steps earlier, relative to k = 0, at initialisation (mean over "
                                    + "seeds): how far back each cell can learn from.",
                            Charts.lines(s.title() + ": ‖∂L/∂x(T−k)‖ / ‖∂L/∂x(T)‖", "lag k", "relative gradient norm",
                                    lags, true), 560, 360));
                }
            }
            case "forecast" -> {
                JsonNode f = runs.get(s.best()).get(0).at("/extras/forecast");
                if (!f.isMissingNode()) {
                    double[] history = doubles(f.get("history"));
                    double[][] q = new double[f.get("quantiles").size()][];
                    for (int i = 0; i < q.length; i++) {
                        q[i] = doubles(f.get("quantiles").get(i));
                    }
                    List<Double> levels = new ArrayList<>();
                    f.get("levels").forEach(l -> levels.add(l.asDouble()));
                    Forecast forecast = new Forecast(doubles(f.get("point")), levels, q);
                    charts.add(chart(id + "-forecast", "The best variant's (" + s.best() + ") forecast of "
                                    + f.get("series").asText() + " over the held-out horizon, with its interval.",
                            ForecastPlot.chart(f.get("series").asText() + ": " + s.best(), history,
                                    doubles(f.get("actual")), forecast), 560, 320));
                }
            }
            case "translate" -> {
                Map<String, double[][]> byLength = new LinkedHashMap<>();
                runs.forEach((label, rs) -> {
                    if (!rs.isEmpty()) {
                        JsonNode b = rs.get(0).at("/extras/bleuByLength");
                        double[][] xy = new double[2][b.size()];
                        for (int i = 0; i < b.size(); i++) {
                            xy[0][i] = b.get(i).get("maxLength").asDouble();
                            xy[1][i] = b.get(i).get("bleu").asDouble();
                        }
                        byLength.put(label, xy);
                    }
                });
                charts.add(chart(id + "-bleu-by-length", "Test BLEU by source length (quarters of the test set, "
                                + "first seed; each point at its quarter's longest source).",
                        Charts.lines(s.title() + ": BLEU by source length", "source length (tokens)", "BLEU",
                                byLength, false), 560, 360));
                runs.forEach((label, rs) -> {
                    JsonNode a = rs.isEmpty() ? null : rs.get(0).at("/extras/attention");
                    if (a != null && !a.isMissingNode()) {
                        List<String> src = strings(a.get("source"));
                        List<String> tgt = strings(a.get("target"));
                        float[][] w = new float[tgt.size()][];
                        for (int t = 0; t < tgt.size(); t++) {
                            double[] row = doubles(a.get("weights").get(t));
                            w[t] = new float[row.length];
                            for (int j = 0; j < row.length; j++) {
                                w[t][j] = (float) row[j];
                            }
                        }
                        charts.add(chart(id + "-attention-" + label, "Attention of " + label + " on the first test "
                                        + "sentence (rows: output tokens; darker: more weight).",
                                TranslationPlots.attentionChart(src, tgt, w), TranslationPlots.attentionWidth(src.size()),
                                TranslationPlots.attentionHeight(tgt.size())));
                    }
                });
            }
            default -> {
            }
        }
        return charts;
    }

    private static Chart chart(String id, String caption, JFreeChart chart, int w, int h) {
        String file = id.replaceAll("[^A-Za-z0-9_-]", "_") + ".svg";
        return new Chart(file, caption, Charts.svg(chart, id, w, h));
    }

    private static double[][] meanCurve(List<JsonNode> runs, String field) {
        int epochs = runs.stream().mapToInt(r -> r.at("/result/training/" + field).size()).max().orElse(0);
        double[][] xy = new double[2][epochs];
        for (int e = 0; e < epochs; e++) {
            double sum = 0;
            int n = 0;
            for (JsonNode r : runs) {
                JsonNode h = r.at("/result/training/" + field);
                if (e < h.size() && !h.get(e).isNull()) {
                    sum += h.get(e).asDouble();
                    n++;
                }
            }
            xy[0][e] = e + 1;
            xy[1][e] = n == 0 ? Double.NaN : sum / n;
        }
        return xy;
    }

    private static double[][] lagCurve(List<JsonNode> runs) {
        int k = runs.get(0).at("/extras/gradientLag").size();
        double[][] xy = new double[2][k];
        for (int i = 0; i < k; i++) {
            double sum = 0;
            for (JsonNode r : runs) {
                sum += r.at("/extras/gradientLag").get(i).asDouble();
            }
            xy[0][i] = i;
            xy[1][i] = sum / runs.size();
        }
        return xy;
    }

    private static double[] doubles(JsonNode a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = number(a.get(i));
        }
        return d;
    }

    private static List<String> strings(JsonNode a) {
        List<String> s = new ArrayList<>();
        a.forEach(x -> s.add(x.asText()));
        return s;
    }

    // ---- output ----------------------------------------------------------------------------------------------------

    /** A number as the report prints it: 4 significant digits, whole numbers from 1,000, "undefined" for NaN. */
    public static String format(double x) {
        if (Double.isNaN(x)) {
            return "undefined";
        }
        if (Math.abs(x) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", x);
        }
        if (x == Math.rint(x) && Math.abs(x) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) x);
        }
        return String.format(Locale.ROOT, "%.4g", x);
    }

    /** The report as data: what report.json holds. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("suite", suite.name());
        m.put("description", suite.description());
        m.put("seeds", suite.seeds());
        m.put("runInfo", runInfo);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Scenario s : scenarios) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("name", s.name());
            x.put("title", s.title());
            x.put("task", s.task());
            x.put("dataset", s.dataset());
            x.put("options", s.options());
            x.put("metric", s.metric());
            x.put("higherIsBetter", s.higherIsBetter());
            x.put("split", s.split());
            x.put("best", s.best());
            x.put("baselines", s.baselines());
            x.put("variants", s.variants());
            x.put("notDone", s.notDone());
            x.put("charts", s.charts().stream().map(c -> "charts/" + c.file()).toList());
            list.add(x);
        }
        m.put("scenarios", list);
        return m;
    }

    /** Writes report.json, report.md, report.html and charts/*.svg into {@code dir}; returns the paths. */
    public List<Path> write(Path dir) {
        List<Path> written = new ArrayList<>();
        for (Scenario s : scenarios) {
            for (Chart c : s.charts()) {
                Path p = dir.resolve("charts").resolve(c.file());
                AtomicFiles.writeString(p, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + c.svg() + "\n");
                written.add(p);
            }
        }
        Path json = dir.resolve("report.json");
        try {
            AtomicFiles.writeString(json, Report.JSON.writeValueAsString(toMap()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize the report", e);
        }
        written.add(json);
        Path md = dir.resolve("report.md");
        AtomicFiles.writeString(md, markdown());
        written.add(md);
        Path html = dir.resolve("report.html");
        AtomicFiles.writeString(html, BenchHtml.render(this));
        written.add(html);
        return written;
    }

    Suite suite() {
        return suite;
    }

    RunInfo runInfo() {
        return runInfo;
    }

    /** The table's columns for a scenario: label, then the cells' texts and raw values. */
    static List<String> header(Scenario s) {
        List<String> h = new ArrayList<>(List.of("variant", s.metric() + (s.higherIsBetter() ? " ↑" : " ↓"),
                "per seed"));
        if (!s.variants().isEmpty()) {
            s.variants().get(0).metrics().keySet().stream().filter(k -> !k.equals(s.metric())).forEach(h::add);
        }
        h.addAll(List.of("parameters", "epochs", "train s", "ms / step", "inference ms / "
                + (s.variants().isEmpty() ? "item" : s.variants().get(0).itemUnit())));
        return h;
    }

    /** The numeric cells of a variant's row, in {@link #header} order after the label and per-seed columns. */
    static List<Map.Entry<String, Double>> cells(Scenario s, Variant v) {
        List<Map.Entry<String, Double>> c = new ArrayList<>();
        v.metrics().forEach((k, x) -> {
            if (!k.equals(s.metric())) {
                c.add(Map.entry("metrics." + k, x));
            }
        });
        c.add(Map.entry("parameters", (double) v.parameters()));
        c.add(Map.entry("epochs", v.epochs()));
        c.add(Map.entry("trainSeconds", v.trainSeconds()));
        c.add(Map.entry("msPerIteration", v.msPerIteration()));
        c.add(Map.entry("msPerItem", v.msPerItem()));
        return c;
    }

    /** A numeric cell's text: its value formatted, the range for parameters that differ between seeds. */
    static String text(Variant v, String field, double value) {
        if (field.equals("parameters") && v.parametersMax() != v.parameters()) {
            return format(v.parameters()) + "–" + format(v.parametersMax());
        }
        return format(value);
    }

    static String meanCell(Variant v) {
        return format(v.mean()) + (Double.isNaN(v.sd()) ? "" : " ± " + format(v.sd()));
    }

    static String perSeed(Variant v) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < v.values().size(); i++) {
            parts.add(format(v.values().get(i)));
        }
        return String.join(", ", parts);
    }

    /** The Markdown report. */
    public String markdown() {
        StringBuilder b = new StringBuilder("# seq4j bench: " + suite.name() + "\n\n");
        if (!suite.description().isBlank()) {
            b.append(suite.description()).append("\n\n");
        }
        b.append(runInfo.toMarkdown()).append("\nSeeds: ").append(suite.seeds()).append(". Quality is the mean ± "
                + "standard deviation over seeds, every seed's value beside it; times are wall-clock on the machine "
                + "above (ratios between rows mean more than the absolute numbers).\n\n");
        for (Scenario s : scenarios) {
            b.append("## ").append(s.title()).append("\n\n");
            b.append("Task `").append(s.task()).append("` on `").append(s.dataset()).append("`, options `")
                    .append(s.options()).append("`. ");
            if (s.variants().isEmpty()) {
                b.append("No run finished.\n\n");
            } else {
                b.append("Scored on the ").append(s.split()).append(" split; best: **").append(s.best())
                        .append("**.\n\n");
                List<String> h = header(s);
                b.append("| ").append(String.join(" | ", h)).append(" |\n|---|");
                b.append("---:|".repeat(h.size() - 1)).append('\n');
                for (Variant v : s.variants()) {
                    List<String> row = new ArrayList<>(List.of(v.label().equals(s.best()) ? "**" + v.label() + "**"
                            : v.label(), meanCell(v), perSeed(v)));
                    cells(s, v).forEach(c -> row.add(text(v, c.getKey(), c.getValue())));
                    b.append("| ").append(String.join(" | ", row)).append(" |\n");
                }
                b.append('\n');
                if (!s.baselines().isEmpty()) {
                    b.append(baselineLine(s)).append("\n\n");
                }
            }
            for (String n : s.notDone()) {
                b.append("- not run: ").append(n).append('\n');
            }
            if (!s.notDone().isEmpty()) {
                b.append('\n');
            }
            for (Chart c : s.charts()) {
                b.append("![").append(c.caption()).append("](charts/").append(c.file()).append(")\n\n");
            }
        }
        return b.toString();
    }
}
