package org.seq4j.data;

import java.util.Arrays;
import java.util.Locale;

import org.seq4j.util.Checks;

/**
 * A fitted value transform for time series. Fit on the training part only ({@link Kind#fit}), apply to every part,
 * and invert on the predictions. Immutable.
 */
public record Scaler(Kind kind, double shift, double scale) {

    /** The available transforms. */
    public enum Kind {
        /** {@code (x − mean) / std} (std of the training values; 1 when they are constant). */
        STANDARD,
        /** {@code (x − min) / (max − min)} onto [0, 1] (1 when constant). */
        MIN_MAX,
        /** {@code ln(x)}; every value must be > 0. */
        LOG,
        /** No change. */
        NONE;

        /** Fits this transform on {@code train}. */
        public Scaler fit(double[] train) {
            Checks.require(train.length > 0, "Scaler.fit: no training values");
            switch (this) {
                case STANDARD: {
                    double mean = Arrays.stream(train).average().orElse(0);
                    double var = Arrays.stream(train).map(v -> (v - mean) * (v - mean)).sum() / train.length;
                    double std = Math.sqrt(var);
                    return new Scaler(this, mean, std > 1e-12 ? std : 1.0);
                }
                case MIN_MAX: {
                    double min = Arrays.stream(train).min().getAsDouble();
                    double max = Arrays.stream(train).max().getAsDouble();
                    return new Scaler(this, min, max - min > 1e-12 ? max - min : 1.0);
                }
                case LOG:
                    requirePositive(train);
                    return new Scaler(this, 0, 1);
                case NONE:
                    return new Scaler(this, 0, 1);
                default:
                    throw new IllegalStateException(name());
            }
        }

        /** The kind named {@code name}: standard, minmax (min-max), log or none. */
        public static Kind parse(String name) {
            String n = name.trim().toUpperCase(Locale.ROOT).replace("-", "_");
            if (n.equals("MINMAX")) {
                return MIN_MAX;
            }
            for (Kind k : values()) {
                if (k.name().equals(n)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("Unknown scaler '" + name + "'; expected standard, minmax, log or none");
        }
    }

    public double transform(double x) {
        if (kind == Kind.LOG) {
            Checks.require(x > 0, "Log scaler: values must be > 0, got %s", x);
            return Math.log(x);
        }
        return (x - shift) / scale;
    }

    public double inverse(double y) {
        return kind == Kind.LOG ? Math.exp(y) : y * scale + shift;
    }

    public double[] transform(double[] x) {
        if (kind == Kind.LOG) {
            requirePositive(x);
        }
        return Arrays.stream(x).map(this::transform).toArray();
    }

    public double[] inverse(double[] y) {
        return Arrays.stream(y).map(this::inverse).toArray();
    }

    private static void requirePositive(double[] x) {
        for (int i = 0; i < x.length; i++) {
            Checks.require(x[i] > 0, "Log scaler: every value must be > 0, got %s at index %d (use standard or "
                    + "minmax for series with zeros or negatives)", x[i], i);
        }
    }
}
