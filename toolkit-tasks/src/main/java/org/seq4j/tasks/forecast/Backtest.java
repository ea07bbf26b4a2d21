package org.seq4j.tasks.forecast;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.seq4j.data.Series;
import org.seq4j.metrics.ForecastMetric;
import org.seq4j.tasks.TaskResult;
import org.seq4j.train.RunInfo;
import org.seq4j.train.Trainer;
import org.seq4j.util.Checks;

/**
 * Rolling-origin evaluation. Each series is cut at {@code folds} origins, H steps apart and ending H steps before its
 * end: {@code origin_k = n − (folds − k)·H}, k = 0 … folds − 1. Every method forecasts H steps from each origin using
 * only the history before it, and is scored with sMAPE, MASE (season length m) and MAE, averaged over series and
 * folds. The network is trained once, on each series up to its first origin, so no fold sees its own future.
 */
public final class Backtest {

    /**
     * How a backtest cuts the series: {@code folds} origins, season length {@code season} (m, for MASE and the
     * seasonal baselines) and {@code horizon} (H). Build it by name, {@code Setup.horizon(6).season(12).folds(2)},
     * so a season and a horizon cannot be swapped silently.
     */
    public record Setup(int folds, int season, int horizon) {
        public Setup {
            Checks.require(folds >= 1, "Backtest: folds must be >= 1, got %d", folds);
            Checks.require(season >= 1, "Backtest: the season length m must be >= 1 (1 = not seasonal), got %d",
                    season);
            Checks.require(horizon >= 1, "Backtest: the horizon must be >= 1, got %d", horizon);
        }

        /** One origin, {@code h} steps before each series' end, not seasonal: the competitions' setup. */
        public static Setup horizon(int h) {
            return new Setup(1, 1, h);
        }

        /** This setup with season length {@code m}. */
        public Setup season(int m) {
            return new Setup(folds, m, horizon);
        }

        /** This setup with {@code k} origins, H steps apart. */
        public Setup folds(int k) {
            return new Setup(k, season, horizon);
        }
    }

    /**
     * Averages for one method. For a method that forecasts an interval: {@code coverage} is the share of actuals
     * inside it, {@code msis} its mean scaled interval score at its own nominal level (M4's MSIS when that is 95%;
     * {@link ForecastMetric#msis}) and {@code pinball} the pinball loss averaged over its quantile levels; all three
     * are NaN for a point forecast.
     */
    public record Row(String method, double smape, double mase, double mae, double coverage, double msis,
                      double pinball) {
    }

    /**
     * The rows, in the order the methods were given, the network first; {@code training} is the network's (null
     * without one) and {@code networkSeconds} the wall time of its forecasts.
     */
    public record Result(List<Row> rows, int folds, int horizon, int seriesCount, Trainer.Result training,
                         double networkSeconds) {
        public Row row(String method) {
            return rows.stream().filter(r -> r.method().equals(method)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no method " + method));
        }

        /** OWA of {@code method} relative to Naive2 (needs a "naive2" row); NaN when a MASE is undefined. */
        public double owa(String method) {
            return owa(method, "naive2");
        }

        /**
         * OWA of {@code method} relative to the row {@code reference} (M4 uses Naive2); NaN when a MASE is undefined.
         */
        public double owa(String method, String reference) {
            Row m = row(method);
            Row n2 = row(reference);
            if (Double.isNaN(m.mase()) || Double.isNaN(n2.mase()) || n2.smape() == 0 || n2.mase() == 0) {
                return Double.NaN;
            }
            return ForecastMetric.owa(m.smape(), m.mase(), n2.smape(), n2.mase());
        }
    }

    private Backtest() {
    }

    /**
     * The forecasting pipeline: {@link #run} with the network's scores as a {@link TaskResult}: sMAPE (the primary
     * metric, lower is better), MASE, OWA relative to Naive2 (when it is among the {@code baselines}), MAE and the
     * interval coverage (when the network forecasts quantiles); the detail holds every method's row.
     *
     * @param dataset the series' name, for reports
     */
    public static TaskResult<Result> evaluate(String dataset, List<Series> series, Setup setup,
                                              GlobalForecaster forecaster,
                                              List<ForecastMethod> baselines,
                                              Map<String, Map<String, double[]>> references) {
        Checks.require(forecaster != null, "Backtest.evaluate: no forecaster to evaluate");
        Result r = run(series, setup, forecaster, baselines, references);
        Row net = r.row(forecaster.name());
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("smape", net.smape());
        metrics.put("mase", net.mase());
        if (r.rows().stream().anyMatch(x -> x.method().equals("naive2"))) {
            metrics.put("owa", r.owa(net.method()));
        }
        metrics.put("mae", net.mae());
        if (!Double.isNaN(net.coverage())) {
            metrics.put("coverage", net.coverage());
            metrics.put("msis", net.msis());
            metrics.put("pinball", net.pinball());
        }
        TaskResult.Score score = new TaskResult.Score("test", "smape", false, metrics, (long) series.size() * setup.folds(),
                "forecast", r.networkSeconds());
        return new TaskResult<>("forecast", dataset, forecaster.name(), forecaster.parameters(), score,
                TaskResult.Training.of(r.training(), "valid loss"), forecaster.configuration(),
                RunInfo.current(forecaster.seed()), r);
    }

    /**
     * Scores forecasts made elsewhere, without training anything: {@code forecasts} by method name, each a map from
     * series id to its forecast of the last {@code horizon} values of that series (a method without a forecast for
     * some series is averaged over the series it has). For OWA, include Naive2's forecasts or compare with
     * {@link Result#owa(String, String)}.
     */
    public static Result score(List<Series> series, Setup setup, Map<String, Map<String, double[]>> forecasts) {
        return run(series, setup, null, List.of(), forecasts);
    }

    /**
     * Trains {@code forecaster} (if not null) on the series up to their first origin, then scores it and the
     * {@code baselines} at every origin.
     */
    public static Result run(List<Series> series, Setup setup, GlobalForecaster forecaster,
                             List<ForecastMethod> baselines) {
        return run(series, setup, forecaster, baselines, Map.of());
    }

    /**
     * As above, and also scores forecasts made elsewhere ({@code references}: by name, the forecast of each series
     * by id, such as the M3 competition's published forecasts); these exist for the last origin only, so
     * {@code folds} must be 1. A reference without a forecast for some series is averaged over the series it has.
     */
    public static Result run(List<Series> series, Setup setup, GlobalForecaster forecaster,
                             List<ForecastMethod> baselines, Map<String, Map<String, double[]>> references) {
        int folds = setup.folds();
        int m = setup.season();
        int horizon = setup.horizon();
        Checks.require(references.isEmpty() || folds == 1, "Backtest: reference forecasts need folds = 1, got %d",
                folds);
        for (Series s : series) {
            Checks.require(s.length() - folds * horizon >= Math.max(2, m + 1), "Backtest: series '%s' has %d steps, "
                    + "too short for %d folds of horizon %d with season %d", s.id(), s.length(), folds, horizon, m);
        }
        Map<String, Function<Series, Forecast>> methods = new LinkedHashMap<>();
        Trainer.Result training = null;
        double[] networkSeconds = new double[1];
        if (forecaster != null) {
            List<Series> train = new ArrayList<>();
            for (Series s : series) {
                train.add(s.head(s.length() - folds * horizon));
            }
            training = forecaster.fit(train);
            methods.put(forecaster.name(), h -> {
                long start = System.nanoTime();
                Forecast f = forecaster.predict(h);
                networkSeconds[0] += TaskResult.since(start);
                return f;
            });
        }
        for (ForecastMethod b : baselines) {
            methods.put(b.name(), h -> new Forecast(b.forecast(h.values(), horizon), List.of(), new double[0][]));
        }
        for (Map.Entry<String, Map<String, double[]>> r : references.entrySet()) {
            methods.put(r.getKey(), h -> {
                double[] f = r.getValue().get(h.id());
                return f == null ? null : new Forecast(f, List.of(), new double[0][]);
            });
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, Function<Series, Forecast>> e : methods.entrySet()) {
            double smape = 0;
            double mase = 0;
            double mae = 0;
            long inside = 0;
            long total = 0;
            double msis = 0;
            double pinball = 0;
            boolean intervals = false;
            int count = 0;
            for (Series s : series) {
                for (int k = 0; k < folds; k++) {
                    int origin = s.length() - (folds - k) * horizon;
                    Series history = s.head(origin);
                    double[] actual = java.util.Arrays.copyOfRange(s.values(), origin, origin + horizon);
                    Forecast f = e.getValue().apply(history);
                    if (f == null) {
                        continue;   // a reference without this series
                    }
                    Checks.require(f.point().length == horizon, "Backtest: %s forecasts %d steps of series '%s', "
                            + "needs %d", e.getKey(), f.point().length, s.id(), horizon);
                    smape += ForecastMetric.SMAPE.of(history.values(), m, actual, f.point());
                    mase += ForecastMetric.maseOrUndefined(history.values(), m, actual, f.point());
                    mae += ForecastMetric.MAE.of(history.values(), m, actual, f.point());
                    if (f.quantiles().length > 0) {
                        intervals = true;
                        for (int h = 0; h < horizon; h++) {
                            inside += actual[h] >= f.lower()[h] && actual[h] <= f.upper()[h] ? 1 : 0;
                            total++;
                        }
                        msis += f.nominalCoverage() <= 0 ? Double.NaN : ForecastMetric.msisOrUndefined(
                                history.values(), m, actual, f.lower(), f.upper(), 1 - f.nominalCoverage());
                        double loss = 0;
                        for (int q = 0; q < f.levels().size(); q++) {
                            loss += ForecastMetric.pinball(actual, f.quantiles()[q], f.levels().get(q));
                        }
                        pinball += loss / f.levels().size();
                    }
                    count++;
                }
            }
            if (count == 0) {
                continue;
            }
            rows.add(new Row(e.getKey(), smape / count, mase / count, mae / count,
                    intervals ? (double) inside / total : Double.NaN, intervals ? msis / count : Double.NaN,
                    intervals ? pinball / count : Double.NaN));
        }
        return new Result(rows, folds, horizon, series.size(), training, networkSeconds[0]);
    }
}
