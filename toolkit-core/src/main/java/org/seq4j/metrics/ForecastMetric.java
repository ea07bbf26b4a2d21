package org.seq4j.metrics;

import org.seq4j.util.Checks;

/**
 * Point-forecast accuracy measures, as defined for the M4 competition (Makridakis, Spiliotis, Assimakopoulos 2020).
 * {@code a} = actual values of the horizon, {@code f} = forecasts, h = horizon, {@code y} = the in-sample history,
 * m = seasonal period (1 for non-seasonal data).
 */
public enum ForecastMetric {
    /** Mean absolute error: {@code (1/h) Σ |a_t − f_t|}. */
    MAE,
    /** Root mean squared error: {@code sqrt((1/h) Σ (a_t − f_t)²)}. */
    RMSE,
    /** Mean absolute percentage error, in %: {@code (100/h) Σ |a_t − f_t| / |a_t|}; undefined when some a_t = 0. */
    MAPE,
    /** Symmetric MAPE as in M4, in %: {@code (200/h) Σ |a_t − f_t| / (|a_t| + |f_t|)} (a term with 0/0 counts 0). */
    SMAPE,
    /**
     * Mean absolute scaled error: MAE divided by the in-sample MAE of the seasonal naive forecast,
     * {@code (1/(n−m)) Σ_{t=m+1..n} |y_t − y_{t−m}|}.
     */
    MASE;

    /** This measure of {@code forecast} against {@code actual}; {@code history} and {@code m} are used by MASE. */
    public double of(double[] history, int m, double[] actual, double[] forecast) {
        Checks.require(actual.length > 0 && actual.length == forecast.length,
                "%s: need equally long, non-empty actual and forecast, got %d and %d", this, actual.length,
                forecast.length);
        int h = actual.length;
        double sum = 0;
        switch (this) {
            case MAE:
                for (int t = 0; t < h; t++) {
                    sum += Math.abs(actual[t] - forecast[t]);
                }
                return sum / h;
            case RMSE:
                for (int t = 0; t < h; t++) {
                    sum += (actual[t] - forecast[t]) * (actual[t] - forecast[t]);
                }
                return Math.sqrt(sum / h);
            case MAPE:
                for (int t = 0; t < h; t++) {
                    Checks.require(actual[t] != 0, "MAPE is undefined: actual value %d is 0 (use sMAPE or MASE)", t);
                    sum += Math.abs(actual[t] - forecast[t]) / Math.abs(actual[t]);
                }
                return 100 * sum / h;
            case SMAPE:
                for (int t = 0; t < h; t++) {
                    double d = Math.abs(actual[t]) + Math.abs(forecast[t]);
                    sum += d == 0 ? 0 : Math.abs(actual[t] - forecast[t]) / d;
                }
                return 200 * sum / h;
            case MASE:
                return MAE.of(history, m, actual, forecast) / seasonalNaiveInSampleMae(history, m);
            default:
                throw new IllegalStateException(name());
        }
    }

    /**
     * MASE, or NaN when it is undefined because the history is constant at lag m (a backtest reports such a series
     * as "undefined" instead of failing; {@link #MASE} itself refuses it).
     */
    public static double maseOrUndefined(double[] history, int m, double[] actual, double[] forecast) {
        return naiveScale(history, m) == 0 ? Double.NaN : MASE.of(history, m, actual, forecast);
    }

    /** {@code (1/(n−m)) Σ_{t=m+1..n} |y_t − y_{t−m}|}, the scale of MASE. */
    public static double seasonalNaiveInSampleMae(double[] history, int m) {
        double scale = naiveScale(history, m);
        Checks.require(scale > 0, "MASE is undefined: the history is constant at lag m = %d", m);
        return scale;
    }

    private static double naiveScale(double[] history, int m) {
        Checks.require(m >= 1, "MASE: seasonal period m must be >= 1, got %d", m);
        Checks.require(history.length > m, "MASE: the history needs more than m = %d values, got %d", m,
                history.length);
        double sum = 0;
        for (int t = m; t < history.length; t++) {
            sum += Math.abs(history[t] - history[t - m]);
        }
        return sum / (history.length - m);
    }

    /**
     * Mean scaled interval score (M4's MSIS, Gneiting and Raftery 2007) of the interval {@code [lower, upper]} meant to
     * hold the actual with probability {@code 1 − alpha} (M4: alpha = 0.05):
     * {@code (1/h) Σ [(u_t − l_t) + (2/α)(l_t − a_t)·1{a_t < l_t} + (2/α)(a_t − u_t)·1{a_t > u_t}]}, divided by the
     * in-sample MAE of the seasonal naive forecast (the scale of MASE). Lower is better: narrow intervals that hold.
     */
    public static double msis(double[] history, int m, double[] actual, double[] lower, double[] upper,
                              double alpha) {
        Checks.require(alpha > 0 && alpha < 1, "MSIS: alpha must be in (0, 1), got %s", alpha);
        Checks.require(actual.length > 0 && lower.length == actual.length && upper.length == actual.length,
                "MSIS: need equally long, non-empty actual, lower and upper, got %d, %d and %d", actual.length,
                lower.length, upper.length);
        double sum = 0;
        for (int t = 0; t < actual.length; t++) {
            sum += upper[t] - lower[t];
            if (actual[t] < lower[t]) {
                sum += 2 / alpha * (lower[t] - actual[t]);
            } else if (actual[t] > upper[t]) {
                sum += 2 / alpha * (actual[t] - upper[t]);
            }
        }
        return sum / actual.length / seasonalNaiveInSampleMae(history, m);
    }

    /** {@link #msis}, or NaN when it is undefined: the history is constant at lag m (as {@link #maseOrUndefined}). */
    public static double msisOrUndefined(double[] history, int m, double[] actual, double[] lower, double[] upper,
                                         double alpha) {
        return naiveScale(history, m) == 0 ? Double.NaN : msis(history, m, actual, lower, upper, alpha);
    }

    /**
     * Pinball (quantile) loss of a forecast of quantile {@code q}, averaged over the horizon:
     * {@code (1/h) Σ max(q (a_t − f_t), (q − 1)(a_t − f_t))}; at q = 0.5 it is half the MAE.
     */
    public static double pinball(double[] actual, double[] forecast, double q) {
        Checks.require(q > 0 && q < 1, "pinball loss: the quantile level must be in (0, 1), got %s", q);
        Checks.require(actual.length > 0 && actual.length == forecast.length,
                "pinball loss: need equally long, non-empty actual and forecast, got %d and %d", actual.length,
                forecast.length);
        double sum = 0;
        for (int t = 0; t < actual.length; t++) {
            double e = actual[t] - forecast[t];
            sum += Math.max(q * e, (q - 1) * e);
        }
        return sum / actual.length;
    }

    /**
     * Overall weighted average (M4): {@code ½ (sMAPE / sMAPE_Naive2 + MASE / MASE_Naive2)}, where each term is the
     * method's mean over all series divided by Naive2's. Below 1 means better than Naive2.
     */
    public static double owa(double smape, double mase, double smapeNaive2, double maseNaive2) {
        Checks.require(smapeNaive2 > 0 && maseNaive2 > 0, "OWA: Naive2's sMAPE and MASE must be > 0");
        return 0.5 * (smape / smapeNaive2 + mase / maseNaive2);
    }
}
