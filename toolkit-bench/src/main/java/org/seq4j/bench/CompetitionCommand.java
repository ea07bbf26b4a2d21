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
import org.seq4j.tasks.TaskResult;
import org.seq4j.tasks.data.M3;
import org.seq4j.tasks.forecast.Backtest;
import org.seq4j.tasks.forecast.ForecastConfig;
import org.seq4j.tasks.forecast.Baselines;
import org.seq4j.tasks.forecast.Combination;
import org.seq4j.tasks.forecast.Deseasonalized;
import org.seq4j.tasks.forecast.Ensemble;
import org.seq4j.tasks.forecast.ForecastMethod;
import org.seq4j.tasks.forecast.Forecaster;
import org.seq4j.tasks.forecast.GlobalForecaster;
import org.seq4j.train.TrainConfig;
import org.seq4j.util.AtomicFiles;
import org.seq4j.util.Checks;
import picocli.CommandLine.Option;

/**
 * What {@code seq4j m3} and {@code seq4j m4} share: one global recurrent model trained on the training part of every
 * series of a frequency forecasts the competition's horizon, scored with sMAPE, MASE and OWA against the statistical
 * benchmarks, its forecasts written one series per row.
 */
abstract class CompetitionCommand implements Callable<Integer> {

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

    @Option(names = "--ensemble", description = "Train this many networks (seeds seed, seed + 1, …) and forecast "
            + "the median of theirs (default: ${DEFAULT-VALUE}: one network).")
    int ensemble = 1;

    @Option(names = "--deseasonalize", description = "Train and forecast on seasonally adjusted series (M4's 90% "
            + "seasonality test and classical multiplicative indices, as its RNN/MLP benchmarks and Naive2), "
            + "re-seasonalising the forecasts.")
    boolean deseasonalize;

    @Option(names = "--combine", split = ",", paramLabel = "METHOD", description = "Forecast the equal-weight mean "
            + "of the network and these statistical methods fitted per series, e.g. theta,m4-damped (any of naive, "
            + "snaive, drift, naive2, ses, theta, m4-ses, m4-holt, m4-damped, m4-comb).")
    List<String> combine = new ArrayList<>();

    @picocli.CommandLine.Mixin
    CheckpointOptions checkpoints = new CheckpointOptions();

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    /** The output directory. */
    abstract Path out();

    /**
     * Trains on {@code entries} and writes {@code <name>.md/.json} and {@code <name>-forecasts.csv}.
     *
     * @param title      the report's title
     * @param name       the files' name
     * @param baselines  the statistical benchmarks for season {@code m}
     * @param references forecasts made elsewhere (the competition's own), by method and series id
     */
    int run(String title, String name, List<M3.Entry> entries, List<ForecastMethod> baselines,
            Map<String, Map<String, double[]>> references) {
        Checks.require(originStride >= 1, "--origin-stride must be >= 1, got %d", originStride);
        Checks.require(limit >= 0, "--limit must be >= 0, got %d", limit);
        if (limit > 0 && limit < entries.size()) {
            entries = entries.subList(0, limit);
        }
        int horizon = entries.get(0).horizon();
        int period = entries.get(0).period();
        int lb = lookback != null ? lookback : 2 * horizon;
        TrainConfig train = checkpoints.apply(TrainConfig.defaults().withEpochs(epochs)
                .withOptimizer(TrainConfig.Optimizer.ADAM, learningRate).withSeed(seed).withQuiet(quiet)
                .withClipping(1.0, 0), out());
        ForecastConfig config = ForecastConfig.of(RecurrentSpec.of(CellType.parse(cell), units), lb, horizon, train)
                .withMinHistory(Math.max(1, Math.min(lb, horizon))).withBatchSize(64)
                .withNormalization(ForecastConfig.Normalization.WINDOW).withOriginStride(originStride);
        Checks.require(ensemble >= 1, "--ensemble must be >= 1, got %d", ensemble);
        Path resume = checkpoints.resumeFrom(out());
        Checks.require(ensemble == 1 || resume == null, "--resume continues one network's training; an ensemble "
                + "(--ensemble %d) starts over", ensemble);
        GlobalForecaster net = ensemble == 1 ? new Forecaster(config).resumeFrom(resume)
                : Ensemble.ofSeeds(config, ensemble);
        if (deseasonalize) {
            net = new Deseasonalized(net, period);
        }
        if (!combine.isEmpty()) {
            List<ForecastMethod> with = new ArrayList<>();
            for (String m : combine) {
                with.add(Baselines.named(m, period));
            }
            net = new Combination(net, with);
        }
        List<Series> full = entries.stream().map(M3.Entry::full).toList();
        long start = System.nanoTime();
        TaskResult<Backtest.Result> run = Backtest.evaluate(name, full,
                Backtest.Setup.horizon(horizon).season(period), net, baselines, references);
        Backtest.Result result = run.detail();
        double seconds = TaskResult.since(start);

        Report report = new Report(title, run.runInfo());
        report.paragraph(Report.fmt("%d series, horizon %d, season %d. %s global %s (lookback %d, %d epochs, Adam "
                        + "%.3g, global-norm clipping 1.0) trained and scored in %.0f s. sMAPE in %%, averaged over "
                        + "series and horizons; MASE with the in-sample seasonal naive scale; OWA relative to seq4j's "
                        + "Naive2 (below 1 beats it).", entries.size(), horizon, period, ensemble == 1 ? "One"
                        : "The median forecast of " + ensemble + " (seeds " + seed + "–" + (seed + ensemble - 1)
                        + ")", config.encoder().label() + (deseasonalize ? " on seasonally adjusted series" : ""), lb,
                epochs, learningRate, seconds) + (combine.isEmpty() ? "" : " The forecast scored as \"" + net.name()
                + "\" is the equal-weight mean of the network's and those of " + String.join(", ", combine)
                + " fitted to each series."));
        List<List<String>> rows = new ArrayList<>();
        Map<String, Object> means = new LinkedHashMap<>();
        for (Backtest.Row row : result.rows()) {
            rows.add(List.of(row.method(), Report.fmt("%.3f", row.smape()), Report.fmt("%.3f", row.mase()),
                    Report.fmt("%.3f", result.owa(row.method()))));
            means.put(row.method(), new double[] {row.smape(), row.mase()});
        }
        report.table(List.of("method", "sMAPE", "MASE", "OWA"), rows);
        report.data("series", entries.size()).data("result", run.toMap()).data("smapeMase", means);
        System.out.println(report.markdown());
        report.write(out(), name).forEach(p -> System.out.println("wrote " + p));
        StringBuilder csv = new StringBuilder("id");
        for (int h = 1; h <= horizon; h++) {
            csv.append(",F").append(h);
        }
        csv.append('\n');
        for (M3.Entry e : entries) {   // the network's forecasts from the end of each training part (M4's format)
            csv.append(e.train().id());
            for (double v : net.predict(e.train()).point()) {
                csv.append(',').append(v);
            }
            csv.append('\n');
        }
        Path forecasts = out().resolve(name + "-forecasts.csv");
        AtomicFiles.writeString(forecasts, csv.toString());
        System.out.println("wrote " + forecasts);
        return 0;
    }
}
