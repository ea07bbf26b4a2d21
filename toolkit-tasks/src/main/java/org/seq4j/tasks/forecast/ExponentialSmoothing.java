package org.seq4j.tasks.forecast;

import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * Exponential smoothing with additive errors, as the M4 benchmarks use it (R's {@code forecast::ses} and
 * {@code holt}, i.e. {@code ets} models ANN, AAN and AAdN fitted by mean squared one-step error): state
 * {@code l, b}; one-step forecast {@code ŷ_t = l + φ b}; error {@code e_t = y_t − ŷ_t}; update
 * {@code l ← l + φ b + α e_t}, {@code b ← φ b + β e_t}; h-step forecast {@code l_n + (φ + … + φ^h) b_n}. The smoothing
 * parameters and the initial states are chosen together by BOBYQA (Apache Commons Math) within {@code ets}'s usual
 * bounds: α ∈ [10⁻⁴, 1 − 10⁻⁴], β ∈ [10⁻⁴, α], φ ∈ [0.8, 0.98]. SES has no trend ({@code b = 0}); Holt has
 * {@code φ = 1}.
 *
 * @param alpha smoothing of the level
 * @param beta  smoothing of the trend (0 for SES)
 * @param phi   damping (1: none)
 * @param level the level after the last observation
 * @param trend the trend after the last observation
 */
public record ExponentialSmoothing(double alpha, double beta, double phi, double level, double trend) {

    /** Which model. */
    public enum Kind { SES, HOLT, DAMPED }

    private static final double LOW = 1e-4;

    /** Fits {@code kind} to {@code y} (at least 2 values). */
    public static ExponentialSmoothing fit(double[] y, Kind kind) {
        org.seq4j.util.Checks.require(y.length >= 2, "exponential smoothing needs at least 2 values, got %d",
                y.length);
        double scale = 0;
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (double v : y) {
            scale += Math.abs(v);
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        scale = scale / y.length;
        if (scale == 0 || hi == lo) {   // a constant series: the constant, no trend
            return new ExponentialSmoothing(0.5, 0, 1, y[y.length - 1], 0);
        }
        double[] z = new double[y.length];   // fitted scale-free, so the bounds and steps mean the same everywhere
        for (int t = 0; t < y.length; t++) {
            z[t] = y[t] / scale;
        }
        double zlo = lo / scale;
        double zhi = hi / scale;
        double range = zhi - zlo;
        boolean trend = kind != Kind.SES;
        boolean damped = kind == Kind.DAMPED;
        // parameters: α, l0 [, β/α, b0 [, φ]]
        int n = trend ? (damped ? 5 : 4) : 2;
        double[] start = new double[n];
        double[] lower = new double[n];
        double[] upper = new double[n];
        start[0] = 0.5;
        lower[0] = LOW;
        upper[0] = 1 - LOW;
        start[1] = z[0];
        lower[1] = zlo - range;
        upper[1] = zhi + range;
        if (trend) {
            start[2] = 0.1;
            lower[2] = LOW;
            upper[2] = 1;
            start[3] = z.length > 1 ? z[1] - z[0] : 0;
            lower[3] = -range;
            upper[3] = range;
            start[3] = Math.max(lower[3], Math.min(upper[3], start[3]));
        }
        if (damped) {
            start[4] = 0.9;
            lower[4] = 0.8;
            upper[4] = 0.98;
        }
        MultivariateFunction mse = p -> sse(z, p[0], trend ? p[0] * p[2] : 0, damped ? p[4] : 1, p[1],
                trend ? p[3] : 0)[0];
        BOBYQAOptimizer opt = new BOBYQAOptimizer(2 * n + 1);
        PointValuePair best = opt.optimize(new MaxEval(4000), new ObjectiveFunction(mse), GoalType.MINIMIZE,
                new InitialGuess(start), new SimpleBounds(lower, upper));
        double[] p = best.getPoint();
        double alpha = p[0];
        double beta = trend ? p[0] * p[2] : 0;
        double phi = damped ? p[4] : 1;
        double[] end = sse(z, alpha, beta, phi, p[1], trend ? p[3] : 0);
        return new ExponentialSmoothing(alpha, beta, phi, end[1] * scale, end[2] * scale);
    }

    /** Sum of squared one-step errors from the initial states, and the final level and trend. */
    private static double[] sse(double[] y, double alpha, double beta, double phi, double l0, double b0) {
        double l = l0;
        double b = b0;
        double s = 0;
        for (double v : y) {
            double e = v - (l + phi * b);
            s += e * e;
            l = l + phi * b + alpha * e;
            b = phi * b + beta * e;
        }
        return new double[] {s, l, b};
    }

    /** The forecast of the next {@code h} steps. */
    public double[] forecast(int h) {
        double[] f = new double[h];
        double damp = 0;
        double power = 1;
        for (int i = 0; i < h; i++) {
            power *= phi;
            damp += power;
            f[i] = level + damp * trend;
        }
        return f;
    }
}
