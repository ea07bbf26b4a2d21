package org.seq4j.tasks.forecast;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.seq4j.data.Series;
import org.seq4j.train.Trainer;
import org.seq4j.util.Checks;

/**
 * A forecast combination: the equal-weight mean of a global forecaster's point forecast and those of statistical
 * methods fitted to each series (e.g. Theta and Damped), the simplest of the combinations that won the M3 and M4
 * competitions (Makridakis et al. 2020: 12 of the 17 most accurate M4 methods were combinations; its "Comb" benchmark
 * is the mean of SES, Holt and Damped). Equal weights need no fitting and are hard to beat (the "forecast
 * combination puzzle", Smith and Wallis 2009). A quantile model's levels keep their distances from its point
 * forecast around the combined point.
 */
public final class Combination implements GlobalForecaster {

    private final GlobalForecaster network;
    private final List<ForecastMethod> methods;

    /** @param network the global forecaster; @param methods the per-series methods averaged with it (at least one) */
    public Combination(GlobalForecaster network, List<ForecastMethod> methods) {
        Checks.require(network != null, "Combination: network must not be null");
        Checks.require(methods != null && !methods.isEmpty(), "Combination: needs at least one method besides the "
                + "network");
        this.network = network;
        this.methods = List.copyOf(methods);
    }

    public GlobalForecaster network() {
        return network;
    }

    @Override
    public String name() {
        StringBuilder b = new StringBuilder("mean of ").append(network.name());
        for (ForecastMethod m : methods) {
            b.append(", ").append(m.name());
        }
        return b.toString();
    }

    @Override
    public Trainer.Result fit(List<Series> series) {
        return network.fit(series);
    }

    @Override
    public Forecast predict(Series history) {
        Forecast f = network.predict(history);
        int h = f.point().length;
        double[] point = f.point().clone();
        for (ForecastMethod m : methods) {
            double[] g = m.forecast(history.values(), h);
            for (int i = 0; i < h; i++) {
                point[i] += g[i];
            }
        }
        for (int i = 0; i < h; i++) {
            point[i] /= methods.size() + 1;
        }
        double[][] q = new double[f.quantiles().length][];
        for (int l = 0; l < q.length; l++) {
            q[l] = new double[h];
            for (int i = 0; i < h; i++) {
                q[l][i] = f.quantiles()[l][i] - f.point()[i] + point[i];
            }
        }
        return new Forecast(point, f.levels(), q);
    }

    @Override
    public double[] forecast(double[] history, int horizon) {
        return predict(Series.of("history", history)).point();
    }

    @Override
    public long parameters() {
        return network.parameters();
    }

    @Override
    public Map<String, Object> configuration() {
        Map<String, Object> c = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (ForecastMethod m : methods) {
            names.add(m.name());
        }
        c.put("combination", Map.of("weights", "equal", "methods", names));
        c.putAll(network.configuration());
        return c;
    }

    @Override
    public long seed() {
        return network.seed();
    }
}
