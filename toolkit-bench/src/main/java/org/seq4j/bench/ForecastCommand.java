package org.seq4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.seq4j.data.Scaler;
import org.seq4j.data.Series;
import org.seq4j.data.SeriesCsv;
import org.seq4j.tasks.data.ClassicSeries;
import org.seq4j.tasks.TaskResult;
import org.seq4j.tasks.forecast.Backtest;
import org.seq4j.tasks.forecast.Baselines;
import org.seq4j.tasks.forecast.Forecast;
import org.seq4j.tasks.forecast.ForecastConfig;
import org.seq4j.tasks.forecast.ForecastPlot;
import org.seq4j.tasks.forecast.Forecaster;
import org.seq4j.tasks.forecast.Seasonality;
import org.seq4j.train.RunInfo;
import org.seq4j.train.TrainConfig;
import org.seq4j.util.AtomicFiles;
import org.seq4j.util.Checks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seq4j forecast}: holds out the last {@code --horizon} steps of a series, trains a recurrent forecaster on the
 * rest, and compares it with the baselines; writes the metrics, the forecasts (CSV) and a plot (PNG).
 */
@Command(name = "forecast", mixinStandardHelpOptions = true,
        description = "Forecast the last --horizon steps of a series with an RNN and compare with naive, seasonal "
                + "naive, drift, Naive2, SES and Theta.")
public final class ForecastCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, description = "A CSV file (wide format, see docs/data.md), or "
            + "classic:NAME for a bundled series, e.g. classic:AirPassengers.")
    String data;

    @Option(names = "--time-column", description = "Time stamp column (default: ${DEFAULT-VALUE}; 'none' for none).")
    String timeColumn = "date";

    @Option(names = "--target", description = "Target column (default: ${DEFAULT-VALUE}).")
    String target = "value";

    @Option(names = "--horizon", required = true, description = "Steps to forecast.")
    int horizon;

    @Option(names = "--season", description = "Season length m for MASE, seasonal naive, Naive2 and Theta (default: "
            + "12 for YYYY-MM stamps, 4 for YYYY-Qn, else 1).")
    Integer season;

    @Option(names = "--origin-stride", description = "Train on windows ending at every n-th origin of a series "
            + "(default: ${DEFAULT-VALUE}: every one).")
    int originStride = 1;

    @Option(names = "--strategy", description = "direct or recursive (default: ${DEFAULT-VALUE}).")
    String strategy = "direct";

    @Option(names = "--quantiles", split = ",", description = "Quantile levels for the interval "
            + "(default: 0.1,0.5,0.9; 'none' for a point forecast).")
    List<String> quantiles = List.of("0.1", "0.5", "0.9");

    @Option(names = "--scaler", description = "standard, minmax, log or none (default: ${DEFAULT-VALUE}).")
    String scaler = "standard";

    @picocli.CommandLine.Mixin
    ForecasterOptions network = new ForecasterOptions(150);

    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @picocli.CommandLine.Mixin
    CheckpointOptions checkpoints = new CheckpointOptions();

    @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("out", "forecast");

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() {
        Checks.require(originStride >= 1, "--origin-stride must be >= 1, got %d", originStride);
        Checks.require(horizon >= 1, "--horizon must be >= 1, got %d", horizon);
        Checks.require(season == null || season >= 1, "--season must be >= 1 (1 = no seasonality), got %d", season);
        ForecastConfig.Strategy strat = option("--strategy", strategy, ForecastConfig.Strategy.class);
        ForecastConfig.Normalization norm = network.normalization();
        List<Double> levels = quantiles.size() == 1 && quantiles.get(0).equalsIgnoreCase("none") ? List.of()
                : quantiles.stream().map(q -> quantileLevel(q)).toList();
        Series series = load();
        int m = season != null ? season : Seasonality.fromTimestamps(series.timestamps());
        int lb = network.lookback(horizon, m);
        TrainConfig train = checkpoints.apply(network.train(seed, quiet), out);
        Path resumeFrom = checkpoints.resumeFrom(out);
        ForecastConfig config = ForecastConfig.of(network.encoder(), lb, horizon, train)
                .withStrategy(strat)
                .withQuantiles(levels).withScaler(Scaler.Kind.parse(scaler))
                .withNormalization(norm)
                .withMinHistory(ForecastConfig.defaultMinHistory(series.length() - horizon, lb, horizon))
                .withBatchSize(16).withOriginStride(originStride);
        Forecaster forecaster = new Forecaster(config).resumeFrom(resumeFrom);
        TaskResult<Backtest.Result> run = Backtest.evaluate(series.id(), List.of(series),
                Backtest.Setup.horizon(horizon).season(m), forecaster, Baselines.all(m), Map.of());
        Backtest.Result result = run.detail();

        Series history = series.head(series.length() - horizon);
        double[] actual = Arrays.copyOfRange(series.values(), history.length(), series.length());
        Forecast f = forecaster.predict(history);
        Report report = report(series, m, config, result, run.runInfo()).data("result", run.toMap());
        System.out.println(report.markdown());
        List<Path> written = new ArrayList<>(report.write(out, "metrics"));
        Path csv = out.resolve("forecast.csv");
        AtomicFiles.writeString(csv, forecastCsv(series, history.length(), actual, f));
        written.add(csv);
        Path png = out.resolve("forecast.png");
        ForecastPlot.writePng(png, series.id() + ": " + config.encoder().label() + " forecast", history.values(),
                actual, f);
        written.add(png);
        written.forEach(p -> System.out.println("wrote " + p));
        return 0;
    }

    /** A number for the table, or "undefined" (MASE and OWA of a series that is constant at lag m). */
    private static String orUndefined(String format, double v) {
        return Double.isNaN(v) ? "undefined" : Report.fmt(format, v);
    }

    /** An enum option by name, case-insensitive; an unknown value names the option and the valid values. */
    public static <E extends Enum<E>> E option(String name, String value, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException(name + " must be one of "
                + Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList()
                + ", got '" + value + "'");
    }

    private static double quantileLevel(String q) {
        double v;
        try {
            v = Double.parseDouble(q.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--quantiles takes levels in (0, 1) separated by commas, or 'none'; "
                    + "got '" + q + "'");
        }
        Checks.require(v > 0 && v < 1, "--quantiles: each level must be in (0, 1), got %s", q);
        return v;
    }

    private Series load() {
        if (data.startsWith("classic:")) {
            return ClassicSeries.load(ClassicSeries.parse(data.substring("classic:".length())));
        }
        Path file = Path.of(data);
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("--data " + data + ": is a directory, expected a CSV file");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--data " + data + ": no such file (or use classic:NAME with one of "
                    + Arrays.toString(ClassicSeries.Name.values()) + ")");
        }
        String time = timeColumn.equalsIgnoreCase("none") ? null : timeColumn;
        Series s = SeriesCsv.readSingle(file, time, target);
        return new Series(file.getFileName().toString(), s.timestamps(), s.values(), s.covariates());
    }

    static Report report(Series s, int m, ForecastConfig c, Backtest.Result r, RunInfo info) {
        Report report = new Report("seq4j forecast: " + s.id(), info);
        report.paragraph(Report.fmt("%d steps, the last %d held out; season m = %d; %s, lookback %d, %s strategy, "
                        + "%s normalization, %d epochs. sMAPE in %%; MASE scaled by the in-sample seasonal naive error; OWA "
                        + "relative to Naive2 (below 1 beats it); MSIS: M4's scaled interval score at the interval's own "
                        + "level; pinball: the quantile loss averaged over the levels.", s.length(), c.horizon(), m, c.encoder().label(),
                c.lookback(), c.strategy().name().toLowerCase(Locale.ROOT),
                c.normalization().name().toLowerCase(Locale.ROOT),
                c.train().epochs()));
        List<List<String>> rows = new ArrayList<>();
        for (Backtest.Row row : r.rows()) {
            rows.add(List.of(row.method(), Report.fmt("%.2f", row.smape()), orUndefined("%.3f", row.mase()),
                    orUndefined("%.3f", r.owa(row.method())), Report.fmt("%.3g", row.mae()),
                    Double.isNaN(row.coverage()) ? "" : Report.fmt("%.0f%%", 100 * row.coverage()),
                    Double.isNaN(row.msis()) ? "" : Report.fmt("%.3f", row.msis()),
                    Double.isNaN(row.pinball()) ? "" : Report.fmt("%.3g", row.pinball())));
        }
        report.table(List.of("method", "sMAPE", "MASE", "OWA", "MAE", "interval coverage", "MSIS", "pinball"), rows);
        report.data("series", s.id()).data("season", m).data("config", c.toString()).data("rows", r.rows());
        return report;
    }

    static String forecastCsv(Series s, int origin, double[] actual, Forecast f) {
        StringBuilder sb = new StringBuilder("time,actual,forecast,lower,upper\n");
        for (int h = 0; h < actual.length; h++) {
            sb.append(s.timestamps().get(origin + h)).append(',').append(actual[h]).append(',')
                    .append(f.point()[h]).append(',').append(f.lower()[h]).append(',').append(f.upper()[h])
                    .append('\n');
        }
        return sb.toString();
    }
}
