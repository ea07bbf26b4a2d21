package org.seq4j.tasks.forecast;

import java.util.List;

import org.seq4j.util.Checks;

/**
 * The classical benchmarks, in the same {@link ForecastMethod} API as the network, so a table shows at a glance
 * whether it beats them. History {@code y_1 … y_n}, forecast {@code f_h} for h = 1 … H, season length m.
 */
public final class Baselines {

    private Baselines() {
    }

    /** Naive: {@code f_h = y_n}. */
    public static ForecastMethod naive() {
        return method("naive", (y, h) -> constant(y[y.length - 1], h));
    }

    /** Seasonal naive: {@code f_h = y_{n − m + ((h − 1) mod m) + 1}}; naive when the history is shorter than m. */
    public static ForecastMethod seasonalNaive(int m) {
        Checks.require(m >= 1, "seasonalNaive: m must be >= 1, got %d", m);
        return method("snaive", (y, h) -> {
            if (y.length < m) {
                return constant(y[y.length - 1], h);
            }
            double[] f = new double[h];
            for (int i = 0; i < h; i++) {
                f[i] = y[y.length - m + i % m];
            }
            return f;
        });
    }

    /** Drift: {@code f_h = y_n + h · (y_n − y_1) / (n − 1)}. */
    public static ForecastMethod drift() {
        return method("drift", (y, h) -> {
            double slope = y.length > 1 ? (y[y.length - 1] - y[0]) / (y.length - 1) : 0;
            double[] f = new double[h];
            for (int i = 0; i < h; i++) {
                f[i] = y[y.length - 1] + (i + 1) * slope;
            }
            return f;
        });
    }

    /**
     * Naive2 (M4): when the history passes the 90% seasonality test ({@link Seasonality}), the naive forecast of the
     * seasonally adjusted series, re-seasonalised; otherwise naive.
     */
    public static ForecastMethod naive2(int m) {
        return method("naive2", (y, h) -> seasonallyAdjusted(y, h, m, (adj, hh) -> constant(adj[adj.length - 1], hh)));
    }

    /**
     * Simple exponential smoothing: level {@code l_t = α y_t + (1 − α) l_{t−1}}, {@code l_1 = y_1},
     * {@code f_h = l_n}; α minimises the in-sample sum of squared one-step errors (golden-section search on [0, 1]).
     */
    public static ForecastMethod ses() {
        return method("ses", (y, h) -> constant(Ses.fit(y).level(), h));
    }

    /**
     * Theta (Assimakopoulos and Nikolopoulos 2000) in the form of Hyndman and Billah (2003), the M4 benchmark: on the
     * seasonally adjusted series, SES plus half the slope b of the least-squares line,
     * {@code f_h = SES_h + (b / 2) · (h − 1 + (1 − (1 − α)^n) / α)}, then re-seasonalised.
     */
    public static ForecastMethod theta(int m) {
        return method("theta", (y, h) -> seasonallyAdjusted(y, h, m, Baselines::thetaForecast));
    }

    /**
     * M4's SES: exponential smoothing without trend ({@link ExponentialSmoothing}, fitted by mean squared one-step
     * error like R's {@code forecast::ses}) on the seasonally adjusted series (as Naive2), re-seasonalised.
     */
    public static ForecastMethod m4Ses(int m) {
        return method("m4-ses", (y, h) -> seasonallyAdjusted(y, h, m, (adj, hh) -> smoothing(adj, hh,
                ExponentialSmoothing.Kind.SES)));
    }

    /** M4's Holt: Holt's linear trend ({@code forecast::holt}) on the seasonally adjusted series. */
    public static ForecastMethod m4Holt(int m) {
        return method("m4-holt", (y, h) -> seasonallyAdjusted(y, h, m, (adj, hh) -> smoothing(adj, hh,
                ExponentialSmoothing.Kind.HOLT)));
    }

    /** M4's Damped: Holt's damped trend ({@code forecast::holt(damped = TRUE)}) on the seasonally adjusted series. */
    public static ForecastMethod m4Damped(int m) {
        return method("m4-damped", (y, h) -> seasonallyAdjusted(y, h, m, (adj, hh) -> smoothing(adj, hh,
                ExponentialSmoothing.Kind.DAMPED)));
    }

    /** M4's Comb: the mean of M4's SES, Holt and Damped forecasts. */
    public static ForecastMethod m4Comb(int m) {
        return method("m4-comb", (y, h) -> seasonallyAdjusted(y, h, m, (adj, hh) -> {
            double[] a = smoothing(adj, hh, ExponentialSmoothing.Kind.SES);
            double[] b = smoothing(adj, hh, ExponentialSmoothing.Kind.HOLT);
            double[] c = smoothing(adj, hh, ExponentialSmoothing.Kind.DAMPED);
            double[] f = new double[hh];
            for (int i = 0; i < hh; i++) {
                f[i] = (a[i] + b[i] + c[i]) / 3;
            }
            return f;
        }));
    }

    /** M4's statistical benchmarks, in its table's order: Naive, sNaive, Naive2, SES, Holt, Damped, Theta, Comb. */
    public static List<ForecastMethod> m4(int m) {
        return List.of(naive(), seasonalNaive(m), naive2(m), m4Ses(m), m4Holt(m), m4Damped(m), theta(m), m4Comb(m));
    }

    private static double[] smoothing(double[] y, int h, ExponentialSmoothing.Kind kind) {
        return y.length < 2 ? constant(y[y.length - 1], h) : ExponentialSmoothing.fit(y, kind).forecast(h);
    }

    /**
     * The baseline called {@code name} (its {@link ForecastMethod#name()}: naive, snaive, drift, naive2, ses, theta,
     * m4-ses, m4-holt, m4-damped, m4-comb) for season length {@code m}; an unknown name is an error listing them.
     */
    public static ForecastMethod named(String name, int m) {
        java.util.Map<String, ForecastMethod> byName = new java.util.LinkedHashMap<>();
        for (ForecastMethod f : all(m)) {
            byName.put(f.name(), f);
        }
        for (ForecastMethod f : m4(m)) {
            byName.putIfAbsent(f.name(), f);
        }
        ForecastMethod f = byName.get(name == null ? "" : name.trim().toLowerCase(java.util.Locale.ROOT));
        Checks.require(f != null, "unknown forecasting method '%s'; expected one of %s", name, byName.keySet());
        return f;
    }

    /** Every baseline for season length {@code m}. */
    public static List<ForecastMethod> all(int m) {
        return List.of(naive(), seasonalNaive(m), drift(), naive2(m), ses(), theta(m));
    }

    private static double[] thetaForecast(double[] y, int h) {
        Ses s = Ses.fit(y);
        int n = y.length;
        double tMean = (n - 1) / 2.0;
        double yMean = 0;
        for (double v : y) {
            yMean += v;
        }
        yMean /= n;
        double num = 0;
        double den = 0;
        for (int t = 0; t < n; t++) {
            num += (t - tMean) * (y[t] - yMean);
            den += (t - tMean) * (t - tMean);
        }
        double b = den == 0 ? 0 : num / den;
        double a = s.alpha();
        double tail = a == 0 ? n : (1 - Math.pow(1 - a, n)) / a;
        double[] f = new double[h];
        for (int i = 0; i < h; i++) {
            f[i] = s.level() + b / 2 * (i + tail);
        }
        return f;
    }

    /** Deseasonalise when the seasonality test passes, forecast with {@code inner}, reseasonalise. */
    private static double[] seasonallyAdjusted(double[] y, int h, int m, Inner inner) {
        if (!Seasonality.isSeasonal(y, m)) {
            return inner.forecast(y, h);
        }
        double[] idx = Seasonality.indices(y, m);
        double[] adj = new double[y.length];
        for (int t = 0; t < y.length; t++) {
            adj[t] = y[t] / idx[t % m];
        }
        double[] f = inner.forecast(adj, h);
        for (int i = 0; i < h; i++) {
            f[i] *= idx[(y.length + i) % m];
        }
        return f;
    }

    @FunctionalInterface
    private interface Inner {
        double[] forecast(double[] y, int h);
    }

    private static double[] constant(double v, int h) {
        double[] f = new double[h];
        java.util.Arrays.fill(f, v);
        return f;
    }

    private static ForecastMethod method(String name, Inner f) {
        return new ForecastMethod() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public double[] forecast(double[] history, int horizon) {
                Checks.require(history.length > 0, "%s: empty history", name);
                Checks.require(horizon > 0, "%s: horizon must be > 0, got %d", name, horizon);
                return f.forecast(history, horizon);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /** Simple exponential smoothing with α chosen by least squares. */
    record Ses(double alpha, double level) {

        static Ses fit(double[] y) {
            double lo = 0;
            double hi = 1;
            double g = (Math.sqrt(5) - 1) / 2;
            double a = hi - g * (hi - lo);
            double b = lo + g * (hi - lo);
            double fa = sse(y, a);
            double fb = sse(y, b);
            for (int i = 0; i < 60; i++) {
                if (fa <= fb) {
                    hi = b;
                    b = a;
                    fb = fa;
                    a = hi - g * (hi - lo);
                    fa = sse(y, a);
                } else {
                    lo = a;
                    a = b;
                    fa = fb;
                    b = lo + g * (hi - lo);
                    fb = sse(y, b);
                }
            }
            double alpha = (lo + hi) / 2;
            return new Ses(alpha, level(y, alpha));
        }

        static double sse(double[] y, double alpha) {
            double l = y[0];
            double s = 0;
            for (int t = 1; t < y.length; t++) {
                double e = y[t] - l;
                s += e * e;
                l = alpha * y[t] + (1 - alpha) * l;
            }
            return s;
        }

        static double level(double[] y, double alpha) {
            double l = y[0];
            for (int t = 1; t < y.length; t++) {
                l = alpha * y[t] + (1 - alpha) * l;
            }
            return l;
        }
    }
}
