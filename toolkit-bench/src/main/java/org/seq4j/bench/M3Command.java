package org.seq4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.seq4j.cells.CellType;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.data.Series;
import org.seq4j.metrics.ForecastMetric;
import org.seq4j.tasks.data.M3;
import org.seq4j.tasks.forecast.Baselines;
import org.seq4j.tasks.forecast.ForecastConfig;
import org.seq4j.tasks.forecast.ForecastMethod;
import org.seq4j.tasks.forecast.Forecaster;
import org.seq4j.train.RunInfo;
import org.seq4j.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seq4j m3}: the quality run on the M3 competition (from a path, never bundled). One global recurrent model is
 * trained on the training part of every series of a frequency and forecasts the official horizon; it is compared
 * with seq4j's Naive2 and Theta and with the NAIVE2 and THETA forecasts submitted to M3.
 */
@Command(name = "m3", mixinStandardHelpOptions = true,
        description = "Evaluate a global RNN forecaster on M3 (yearly, quarterly or monthly) against Naive2 and Theta.")
public final class M3Command implements Callable<Integer> {

    @Option(names = "--dir", required = true, description = "Directory with the M3 files (docs/data.md).")
    Path dir;

    @Option(names = "--frequency", description = "yearly, quarterly or monthly (default: ${DEFAULT-VALUE}).")
    String frequency = "monthly";

    @Option(names = "--cell", description = "Cell (default: ${DEFAULT-VALUE}).")
    String cell = "gru";

    @Option(names = "--units", description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int units = 64;

    @Option(names = "--lookback", description = "Input window (default: 2 x horizon).")
    Integer lookback;

    @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 20;

    @Option(names = "--lr", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate = 0.002;

    @Option(names = "--limit", description = "Use only the first N series (0: all; for smoke runs).")
    int limit;

    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @picocli.CommandLine.Mixin
    CheckpointOptions checkpoints = new CheckpointOptions();

    @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("out", "m3");

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() {
        List<M3.Entry> entries = M3.load(dir, frequency);
        if (limit > 0 && limit < entries.size()) {
            entries = entries.subList(0, limit);
        }
        int horizon = entries.get(0).horizon();
        int period = entries.get(0).period();
        int lb = lookback != null ? lookback : 2 * horizon;
        TrainConfig train = checkpoints.apply(TrainConfig.defaults().withEpochs(epochs)
                .withOptimizer(TrainConfig.Optimizer.ADAM, learningRate).withSeed(seed).withQuiet(quiet)
                .withClipping(1.0, 0), out);
        ForecastConfig config = ForecastConfig.of(RecurrentSpec.of(CellType.parse(cell), units), lb, horizon, train)
                .withMinHistory(Math.max(1, Math.min(lb, horizon))).withBatchSize(64)
                .withNormalization(ForecastConfig.Normalization.WINDOW);
        Forecaster net = new Forecaster(config);
        List<Series> trainSeries = entries.stream().map(M3.Entry::train).toList();
        long start = System.nanoTime();
        net.fit(trainSeries, checkpoints.resumeFrom(out));
        double trainSeconds = (System.nanoTime() - start) / 1e9;

        Map<String, ForecastMethod> methods = new LinkedHashMap<>();
        methods.put(net.name(), net);
        methods.put("naive2", Baselines.naive2(period));
        methods.put("theta", Baselines.theta(period));
        Map<String, Map<String, double[]>> references = new LinkedHashMap<>();
        references.put("M3 NAIVE2", M3.referenceForecasts(dir, "NAIVE2"));
        references.put("M3 THETA", M3.referenceForecasts(dir, "THETA"));

        Map<String, double[]> sums = new LinkedHashMap<>();   // sMAPE, MASE
        for (M3.Entry e : entries) {
            double[] y = e.train().values();
            for (Map.Entry<String, ForecastMethod> m : methods.entrySet()) {
                add(sums, m.getKey(), y, period, e.test(), m.getValue().forecast(y, horizon));
            }
            for (Map.Entry<String, Map<String, double[]>> r : references.entrySet()) {
                double[] f = r.getValue().get(e.train().id());
                if (f != null) {
                    add(sums, r.getKey(), y, period, e.test(), f);
                }
            }
        }
        int n = entries.size();
        double[] naive2 = sums.get("naive2");
        Report report = new Report("seq4j on M3 " + frequency, RunInfo.current(seed));
        report.paragraph(Report.fmt("%d series, horizon %d, season %d. One global %s (lookback %d, %d epochs, Adam "
                        + "%.3g, global-norm clipping 1.0) trained in %.0f s. sMAPE in %%, averaged over series and "
                        + "horizons; MASE with the in-sample seasonal naive scale; OWA relative to seq4j's Naive2.",
                n, horizon, period, config.encoder().label(), lb, epochs, learningRate, trainSeconds));
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            double smape = e.getValue()[0] / n;
            double mase = e.getValue()[1] / n;
            rows.add(List.of(e.getKey(), Report.fmt("%.2f", smape), Report.fmt("%.3f", mase),
                    Report.fmt("%.3f", ForecastMetric.owa(smape, mase, naive2[0] / n, naive2[1] / n))));
        }
        report.table(List.of("method", "sMAPE", "MASE", "OWA"), rows);
        report.data("frequency", frequency).data("series", n).data("trainSeconds", trainSeconds)
                .data("config", config.toString());
        Map<String, Object> means = new LinkedHashMap<>();
        sums.forEach((k, v) -> means.put(k, new double[] {v[0] / n, v[1] / n}));
        report.data("smapeMase", means);
        System.out.println(report.markdown());
        report.write(out, "m3-" + frequency).forEach(p -> System.out.println("wrote " + p));
        return 0;
    }

    private static void add(Map<String, double[]> sums, String key, double[] history, int m, double[] actual,
                            double[] forecast) {
        double[] s = sums.computeIfAbsent(key, k -> new double[2]);
        s[0] += ForecastMetric.SMAPE.of(history, m, actual, forecast);
        s[1] += ForecastMetric.MASE.of(history, m, actual, forecast);
    }
}
