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
import org.seq4j.tasks.data.M3;
import org.seq4j.tasks.TaskResult;
import org.seq4j.tasks.forecast.Backtest;
import org.seq4j.tasks.forecast.Baselines;
import org.seq4j.tasks.forecast.ForecastConfig;
import org.seq4j.tasks.forecast.Forecaster;
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

    @Option(names = "--origin-stride", description = "Train on windows ending at every n-th origin of a series "
            + "(default: ${DEFAULT-VALUE}: every one).")
    int originStride = 1;

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
        org.seq4j.util.Checks.require(originStride >= 1, "--origin-stride must be >= 1, got %d", originStride);
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
                .withNormalization(ForecastConfig.Normalization.WINDOW).withOriginStride(originStride);
        Forecaster net = new Forecaster(config).resumeFrom(checkpoints.resumeFrom(out));
        List<Series> full = new ArrayList<>();
        for (M3.Entry e : entries) {
            double[] y = java.util.Arrays.copyOf(e.train().values(), e.train().length() + e.test().length);
            System.arraycopy(e.test(), 0, y, e.train().length(), e.test().length);
            full.add(Series.of(e.train().id(), y));
        }
        Map<String, Map<String, double[]>> references = new LinkedHashMap<>();
        references.put("M3 NAIVE2", M3.referenceForecasts(dir, "NAIVE2"));
        references.put("M3 THETA", M3.referenceForecasts(dir, "THETA"));
        long start = System.nanoTime();
        TaskResult<Backtest.Result> run = Backtest.evaluate("M3 " + frequency, full, 1, period, net,
                List.of(Baselines.naive2(period), Baselines.theta(period)), horizon, references);
        Backtest.Result result = run.detail();
        double trainSeconds = TaskResult.since(start);

        int n = entries.size();
        Report report = new Report("seq4j on M3 " + frequency, run.runInfo());
        report.paragraph(Report.fmt("%d series, horizon %d, season %d. One global %s (lookback %d, %d epochs, Adam "
                        + "%.3g, global-norm clipping 1.0) trained and scored in %.0f s. sMAPE in %%, averaged over "
                        + "series and horizons; MASE with the in-sample seasonal naive scale; OWA relative to seq4j's "
                        + "Naive2.", n, horizon, period, config.encoder().label(), lb, epochs, learningRate,
                trainSeconds));
        List<List<String>> rows = new ArrayList<>();
        Map<String, Object> means = new LinkedHashMap<>();
        for (Backtest.Row row : result.rows()) {
            rows.add(List.of(row.method(), Report.fmt("%.2f", row.smape()), Report.fmt("%.3f", row.mase()),
                    Report.fmt("%.3f", result.owa(row.method()))));
            means.put(row.method(), new double[] {row.smape(), row.mase()});
        }
        report.table(List.of("method", "sMAPE", "MASE", "OWA"), rows);
        report.data("frequency", frequency).data("series", n).data("result", run.toMap());
        report.data("smapeMase", means);
        System.out.println(report.markdown());
        report.write(out, "m3-" + frequency).forEach(p -> System.out.println("wrote " + p));
        return 0;
    }
}
