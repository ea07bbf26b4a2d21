package org.seq4j.core;

/**
 * The element-wise loops of the cells' fused kernels, over Java arrays so that the JIT compiles them to SIMD code:
 * straight-line arithmetic, no calls it cannot inline, no branches but min/max. In single precision
 * ({@code fast}) tanh is Eigen's float rational function (max error a few ulp of a float, about 7x faster than
 * {@link Math#tanh} in a hot loop, {@code ../shared/notes/cpu-kernels.md} §3); in double precision the exact {@link Math}
 * functions (gradient checks and references).
 */
final class Kernels {

    private Kernels() {
    }

    private static final double C = 7.90531110763549805;

    /** Eigen's float tanh: a 13/6 odd/even rational function, saturating beyond ±7.9; branch-free. */
    static double tanhFast(double x) {
        double v = Math.min(Math.max(x, -C), C);
        double x2 = v * v;
        double p = v * (4.89352455891786e-03 + x2 * (6.37261928875436e-04 + x2 * (1.48572235717979e-05
                + x2 * (5.12229709037114e-08 + x2 * (-8.60467152213735e-11 + x2 * (2.00018790482477e-13
                + x2 * -2.76076847742355e-16))))));
        double q = 4.89352518554385e-03 + x2 * (2.26843463243900e-03 + x2 * (1.18534705686654e-04
                + x2 * 1.19825839466702e-06));
        return p / q;
    }

    /** {@code a[off..off+len) = σ(a)} in place. */
    static void sigmoid(double[] a, int off, int len, boolean fast) {
        int end = off + len;
        if (fast) {
            for (int k = off; k < end; k++) {
                a[k] = 0.5 * tanhFast(0.5 * a[k]) + 0.5;
            }
        } else {
            for (int k = off; k < end; k++) {
                a[k] = 1.0 / (1.0 + Math.exp(-a[k]));
            }
        }
    }

    /** {@code a[off..off+len) = tanh(a)} in place. */
    static void tanh(double[] a, int off, int len, boolean fast) {
        int end = off + len;
        if (fast) {
            for (int k = off; k < end; k++) {
                a[k] = tanhFast(a[k]);
            }
        } else {
            for (int k = off; k < end; k++) {
                a[k] = Math.tanh(a[k]);
            }
        }
    }

    /** {@code a[off..off+len) = act(a)} in place. */
    static void apply(Act act, double[] a, int off, int len, boolean fast) {
        switch (act) {
            case TANH -> tanh(a, off, len, fast);
            case SIGMOID -> sigmoid(a, off, len, fast);
            case RELU -> {
                for (int k = off; k < off + len; k++) {
                    a[k] = Math.max(a[k], 0.0);
                }
            }
            case IDENTITY -> {
            }
        }
    }

    /** {@code d[k] *= act'(y[k])} for k in [0, len), the derivative written through the output y. */
    static void timesDerivative(Act act, double[] d, int dOff, double[] y, int yOff, int len) {
        switch (act) {
            case TANH -> {
                for (int k = 0; k < len; k++) {
                    double v = y[yOff + k];
                    d[dOff + k] *= 1 - v * v;
                }
            }
            case SIGMOID -> {
                for (int k = 0; k < len; k++) {
                    double v = y[yOff + k];
                    d[dOff + k] *= v * (1 - v);
                }
            }
            case RELU -> {
                for (int k = 0; k < len; k++) {
                    d[dOff + k] = y[yOff + k] > 0 ? d[dOff + k] : 0.0;
                }
            }
            case IDENTITY -> {
            }
        }
    }

    /** {@code a[off..off+len) = act(a)} in place, in single precision ({@link FloatRows}). */
    static void apply(Act act, float[] a, int off, int len) {
        switch (act) {
            case TANH -> FloatRows.tanh(a, off, len);
            case SIGMOID -> FloatRows.sigmoid(a, off, len);
            case RELU -> {
                for (int k = off; k < off + len; k++) {
                    a[k] = Math.max(a[k], 0f);
                }
            }
            case IDENTITY -> {
            }
        }
    }

    /** {@link #timesDerivative(Act, double[], int, double[], int, int)} in single precision. */
    static void timesDerivative(Act act, float[] d, int dOff, float[] y, int yOff, int len) {
        switch (act) {
            case TANH -> {
                for (int k = 0; k < len; k++) {
                    float v = y[yOff + k];
                    d[dOff + k] *= 1 - v * v;
                }
            }
            case SIGMOID -> {
                for (int k = 0; k < len; k++) {
                    float v = y[yOff + k];
                    d[dOff + k] *= v * (1 - v);
                }
            }
            case RELU -> {
                for (int k = 0; k < len; k++) {
                    d[dOff + k] = y[yOff + k] > 0 ? d[dOff + k] : 0f;
                }
            }
            case IDENTITY -> {
            }
        }
    }
}
