package org.seq4j.tasks.forecast;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.seq4j.data.Series;
import org.seq4j.train.Trainer;
import org.seq4j.util.Checks;

/**
 * An ensemble of global forecasters whose forecast is the median of theirs, step by step (and level by level for
 * quantiles): the way the M4 winners combined networks, here over seeds (or any list of configurations, e.g.
 * lookbacks or cells). The median of an odd number of members is one member's value at each step; of an even number,
 * the mean of the middle two.
 */
public final class Ensemble implements GlobalForecaster {

    private final List<Forecaster> members;

    public Ensemble(List<ForecastConfig> configs) {
        Checks.require(configs != null && !configs.isEmpty(), "Ensemble: needs at least one member");
        int h = configs.get(0).horizon();
        List<Double> levels = configs.get(0).quantiles();
        for (ForecastConfig c : configs) {
            Checks.require(c.horizon() == h && c.quantiles().equals(levels), "Ensemble: every member must forecast "
                    + "the same horizon (%d) and quantile levels (%s), got %d and %s", h, levels, c.horizon(),
                    c.quantiles());
        }
        this.members = configs.stream().map(Forecaster::new).toList();
    }

    /** {@code n} copies of {@code config} trained from seeds {@code seed, seed + 1, …}. */
    public static Ensemble ofSeeds(ForecastConfig config, int n) {
        Checks.require(n >= 1, "Ensemble: needs at least one member, got %d", n);
        List<ForecastConfig> configs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            configs.add(config.withTrain(config.train().withSeed(config.train().seed() + i)));
        }
        return new Ensemble(configs);
    }

    public List<Forecaster> members() {
        return members;
    }

    @Override
    public String name() {
        return members.size() == 1 ? members.get(0).name()
                : "median of " + members.size() + " × " + members.get(0).name();
    }

    /** Trains every member in turn; the result sums their iterations, time and tokens (the last member's curves). */
    @Override
    public Trainer.Result fit(List<Series> series) {
        Trainer.Result last = null;
        long iterations = 0;
        double seconds = 0;
        long tokens = 0;
        for (Forecaster f : members) {
            last = f.fit(series);
            iterations += last.iterations();
            seconds += last.seconds();
            tokens += last.tokens();
        }
        return new Trainer.Result(last.epochs(), iterations, last.stoppedEarly(), last.bestMetric(),
                last.bestEpoch(), last.epochLosses(), last.validationHistory(), seconds, tokens);
    }

    @Override
    public Forecast predict(Series history) {
        List<Forecast> all = new ArrayList<>();
        for (Forecaster f : members) {
            all.add(f.predict(history));
        }
        Forecast first = all.get(0);
        double[] point = median(all.stream().map(Forecast::point).toList());
        double[][] q = new double[first.quantiles().length][];
        for (int l = 0; l < q.length; l++) {
            int level = l;
            q[l] = median(all.stream().map(f -> f.quantiles()[level]).toList());
        }
        return new Forecast(point, first.levels(), q);
    }

    @Override
    public double[] forecast(double[] history, int horizon) {
        return predict(Series.of("history", history)).point();
    }

    @Override
    public long parameters() {
        return members.stream().mapToLong(Forecaster::parameters).sum();
    }

    @Override
    public Map<String, Object> configuration() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ensemble", "median");
        m.put("members", members.stream().map(Forecaster::configuration).toList());
        return m;
    }

    @Override
    public long seed() {
        return members.get(0).seed();
    }

    /** The step-by-step median of equally long forecasts. */
    static double[] median(List<double[]> forecasts) {
        int h = forecasts.get(0).length;
        double[] out = new double[h];
        double[] column = new double[forecasts.size()];
        for (int t = 0; t < h; t++) {
            for (int i = 0; i < column.length; i++) {
                column[i] = forecasts.get(i)[t];
            }
            Arrays.sort(column);
            int n = column.length;
            out[t] = n % 2 == 1 ? column[n / 2] : (column[n / 2 - 1] + column[n / 2]) / 2;
        }
        return out;
    }
}
