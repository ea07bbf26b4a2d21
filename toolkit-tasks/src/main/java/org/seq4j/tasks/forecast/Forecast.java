package org.seq4j.tasks.forecast;

import java.util.List;

/**
 * A forecast of H steps: the point forecast and, for a quantile model, every quantile (sorted per step, so
 * quantiles never cross).
 *
 * @param point     the point forecast: the median quantile (the one nearest 0.5), or the single MSE output
 * @param levels    the quantile levels (empty for a point model)
 * @param quantiles {@code quantiles[q][h]}, one row per level (empty for a point model)
 */
public record Forecast(double[] point, List<Double> levels, double[][] quantiles) {

    /** The lowest quantile: the lower end of the prediction interval. */
    public double[] lower() {
        return quantiles.length == 0 ? point : quantiles[0];
    }

    /** The highest quantile: the upper end of the prediction interval. */
    public double[] upper() {
        return quantiles.length == 0 ? point : quantiles[quantiles.length - 1];
    }

    /** Nominal coverage of [lower, upper]: highest level − lowest level (0 for a point model). */
    public double nominalCoverage() {
        return levels.isEmpty() ? 0 : levels.get(levels.size() - 1) - levels.get(0);
    }
}
