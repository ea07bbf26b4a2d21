package org.seq4j.tasks.forecast;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.seq4j.data.Series;
import org.seq4j.train.Trainer;
import org.seq4j.util.Checks;

/**
 * A global forecaster trained on seasonally adjusted series, as the M4 competition's own RNN and MLP benchmarks were
 * (and as its Naive2 and Theta are): each series that passes the 90% seasonality test at period m
 * ({@link Seasonality#isSeasonal}) and has only positive values is divided by its classical multiplicative indices
 * ({@link Seasonality#indices}); the inner forecaster learns and forecasts the adjusted series; its forecasts (point
 * and every quantile) are multiplied by the indices of the forecast steps. Series that fail the test, or have a value
 * ≤ 0, pass through unchanged. The indices of a series are computed from the history it is given, at training and at
 * forecasting alike (no look-ahead).
 */
public final class Deseasonalized implements GlobalForecaster {

    private final GlobalForecaster inner;
    private final int m;

    /** @param inner the network (or ensemble) that sees adjusted series; @param m the season length (1: no-op) */
    public Deseasonalized(GlobalForecaster inner, int m) {
        Checks.require(inner != null, "Deseasonalized: inner forecaster must not be null");
        Checks.require(m >= 1, "Deseasonalized: season length must be >= 1, got %d", m);
        this.inner = inner;
        this.m = m;
    }

    public GlobalForecaster inner() {
        return inner;
    }

    /** The seasonal indices of {@code y} (length m), or null when the series is left as it is. */
    double[] indices(double[] y) {
        if (!Seasonality.isSeasonal(y, m)) {
            return null;
        }
        for (double v : y) {
            if (!(v > 0)) {
                return null;
            }
        }
        return Seasonality.indices(y, m);
    }

    /** {@code s} divided by its indices {@code idx} (or {@code s} itself when idx is null). */
    private Series adjust(Series s, double[] idx) {
        if (idx == null) {
            return s;
        }
        double[] adj = new double[s.length()];
        for (int t = 0; t < adj.length; t++) {
            adj[t] = s.values()[t] / idx[t % m];
        }
        return new Series(s.id(), s.timestamps(), adj, s.covariates());
    }

    @Override
    public String name() {
        return m == 1 ? inner.name() : inner.name() + " (deseasonalised)";
    }

    @Override
    public Trainer.Result fit(List<Series> series) {
        List<Series> adjusted = new ArrayList<>(series.size());
        for (Series s : series) {
            adjusted.add(adjust(s, indices(s.values())));
        }
        return inner.fit(adjusted);
    }

    @Override
    public Forecast predict(Series history) {
        double[] idx = indices(history.values());
        Forecast f = inner.predict(adjust(history, idx));
        if (idx == null) {
            return f;
        }
        int n = history.length();
        double[] point = reseasonalize(f.point(), idx, n);
        double[][] q = new double[f.quantiles().length][];
        for (int l = 0; l < q.length; l++) {
            q[l] = reseasonalize(f.quantiles()[l], idx, n);
        }
        return new Forecast(point, f.levels(), q);
    }

    private double[] reseasonalize(double[] f, double[] idx, int n) {
        double[] out = new double[f.length];
        for (int h = 0; h < f.length; h++) {
            out[h] = f[h] * idx[(n + h) % m];
        }
        return out;
    }

    @Override
    public double[] forecast(double[] history, int horizon) {
        return predict(Series.of("history", history)).point();
    }

    @Override
    public long parameters() {
        return inner.parameters();
    }

    @Override
    public Map<String, Object> configuration() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("deseasonalized", Map.of("season", m, "test", "M4 90% autocorrelation",
                "decomposition", "classical multiplicative"));
        c.putAll(inner.configuration());
        return c;
    }

    @Override
    public long seed() {
        return inner.seed();
    }
}
