package org.seq4j.tasks.forecast;

import org.seq4j.util.Checks;

/**
 * The seasonality test and classical multiplicative decomposition of the M4 competition's benchmark code (used by
 * Naive2 and Theta).
 * <ul>
 *   <li>{@link #isSeasonal}: a series of at least 3m values is seasonal when its autocorrelation at lag m exceeds the
 *       90% limit {@code 1.645 · sqrt((1 + 2 Σ_{k<m} r_k²) / n)}.</li>
 *   <li>{@link #indices}: R's {@code decompose(type = "multiplicative")$figure}: the ratio of the series to its
 *       centred moving average of order m (a 2×m average for even m), averaged per season position and normalised to
 *       mean 1. Position 0 is the season of the first value.</li>
 * </ul>
 */
public final class Seasonality {

    private Seasonality() {
    }

    /** Sample autocorrelation at {@code lag}: {@code Σ (y_t − ȳ)(y_{t+lag} − ȳ) / Σ (y_t − ȳ)²}. */
    public static double acf(double[] y, int lag) {
        double mean = 0;
        for (double v : y) {
            mean += v;
        }
        mean /= y.length;
        double den = 0;
        for (double v : y) {
            den += (v - mean) * (v - mean);
        }
        double num = 0;
        for (int t = 0; t + lag < y.length; t++) {
            num += (y[t] - mean) * (y[t + lag] - mean);
        }
        return den == 0 ? 0 : num / den;
    }

    /** The M4 90% seasonality test at period {@code m} (false for m ≤ 1 or fewer than 3m values). */
    public static boolean isSeasonal(double[] y, int m) {
        if (m <= 1 || y.length < 3 * m) {
            return false;
        }
        double sum = 1;
        for (int k = 1; k < m; k++) {
            double r = acf(y, k);
            sum += 2 * r * r;
        }
        double limit = 1.645 * Math.sqrt(sum / y.length);
        return Math.abs(acf(y, m)) > limit;
    }

    /** Multiplicative seasonal indices (length m, mean 1); needs at least 2m values, all > 0. */
    public static double[] indices(double[] y, int m) {
        Checks.require(m >= 2 && y.length >= 2 * m, "Seasonality: need m >= 2 and at least 2m values, got m = %d, "
                + "%d values", m, y.length);
        int n = y.length;
        double[] trend = new double[n];
        java.util.Arrays.fill(trend, Double.NaN);
        int half = m / 2;
        for (int t = half; t < n - half; t++) {
            double s = 0;
            if (m % 2 == 0) {
                s += 0.5 * y[t - half] + 0.5 * y[t + half];
                for (int k = t - half + 1; k < t + half; k++) {
                    s += y[k];
                }
            } else {
                for (int k = t - half; k <= t + half; k++) {
                    s += y[k];
                }
            }
            trend[t] = s / m;
        }
        double[] sum = new double[m];
        int[] count = new int[m];
        for (int t = 0; t < n; t++) {
            if (!Double.isNaN(trend[t])) {
                Checks.require(trend[t] != 0, "Seasonality: multiplicative decomposition needs a non-zero trend");
                sum[t % m] += y[t] / trend[t];
                count[t % m]++;
            }
        }
        double[] idx = new double[m];
        double mean = 0;
        for (int i = 0; i < m; i++) {
            idx[i] = sum[i] / count[i];
            mean += idx[i];
        }
        mean /= m;
        for (int i = 0; i < m; i++) {
            idx[i] /= mean;
        }
        return idx;
    }

    /**
     * The season length a series' time stamps imply: 12 for monthly stamps ({@code 2020-01}), 4 for quarterly
     * ({@code 2020-Q1}), otherwise 1 (no seasonality; give it explicitly for daily, hourly or numbered steps).
     */
    public static int fromTimestamps(java.util.List<String> stamps) {
        if (stamps.isEmpty()) {
            return 1;
        }
        String first = stamps.get(0);
        if (first.matches("\\d{4}-\\d{2}")) {
            return 12;
        }
        if (first.matches("\\d{4}-Q[1-4]")) {
            return 4;
        }
        return 1;
    }
}
