package org.seq4j.core;

import java.util.Locale;

import org.seq4j.util.Checks;

/**
 * The activation functions the recurrent core's fused loops compute. Each has its derivative written in terms of
 * its output {@code y = f(x)}, so the backward pass needs only the stored activations.
 *
 * <p>Two precisions: in double precision (gradient checks, references) the exact {@link Math} functions; in single
 * precision a rational approximation of tanh (Eigen's float tanh, max error a few ulp of a float) and
 * {@code σ(x) = ½·tanh(x/2) + ½}, about 7x faster than {@link Math#tanh} in a hot loop
 * ({@code ../shared/notes/cpu-kernels.md} §3). {@code ActTest} bounds the approximation's error.
 */
public enum Act {
    TANH, SIGMOID, RELU, IDENTITY;

    /** {@code f(x)}; {@code fast} selects the single-precision approximations. */
    double apply(double x, boolean fast) {
        switch (this) {
            case TANH:
                return fast ? fastTanh(x) : Math.tanh(x);
            case SIGMOID:
                return fast ? 0.5 * fastTanh(0.5 * x) + 0.5 : 1.0 / (1.0 + Math.exp(-x));
            case RELU:
                return x > 0 ? x : 0.0;
            default:
                return x;
        }
    }

    /** {@code f'(x)} written through {@code y = f(x)}. */
    double derivative(double y) {
        switch (this) {
            case TANH:
                return 1.0 - y * y;
            case SIGMOID:
                return y * (1.0 - y);
            case RELU:
                return y > 0 ? 1.0 : 0.0;
            default:
                return 1.0;
        }
    }

    /** The activation named {@code name} (case-insensitive). */
    public static Act parse(String name) {
        Checks.require(name != null, "Activation must not be null; expected tanh, sigmoid, relu or identity");
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown activation '" + name
                    + "'; the recurrent core computes tanh, sigmoid, relu or identity");
        }
    }

    private static final double A1 = 4.89352455891786e-03;
    private static final double A3 = 6.37261928875436e-04;
    private static final double A5 = 1.48572235717979e-05;
    private static final double A7 = 5.12229709037114e-08;
    private static final double A9 = -8.60467152213735e-11;
    private static final double A11 = 2.00018790482477e-13;
    private static final double A13 = -2.76076847742355e-16;
    private static final double B0 = 4.89352518554385e-03;
    private static final double B2 = 2.26843463243900e-03;
    private static final double B4 = 1.18534705686654e-04;
    private static final double B6 = 1.19825839466702e-06;
    private static final double CLAMP = 7.90531110763549805;

    /** Eigen's rational approximation of tanh for float32 (13/6 odd/even polynomials), saturating beyond ±7.9. */
    static double fastTanh(double x) {
        double v = x > CLAMP ? CLAMP : (x < -CLAMP ? -CLAMP : x);
        double x2 = v * v;
        double p = v * (A1 + x2 * (A3 + x2 * (A5 + x2 * (A7 + x2 * (A9 + x2 * (A11 + x2 * A13))))));
        double q = B0 + x2 * (B2 + x2 * (B4 + x2 * B6));
        return p / q;
    }
}
