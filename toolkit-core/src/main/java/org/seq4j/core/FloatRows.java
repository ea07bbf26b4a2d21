package org.seq4j.core;

/**
 * The recurrent cells' float row loops (a gate's pre-activation and activation in one pass, {@link #gate}; the GRU's
 * and LSTM's state updates; whole-array activations {@link #tanh(float[], int, int)}, {@link #sigmoid(float[], int,
 * int)}, which stay plain loops) and the single-precision softmax's row loops ({@link SoftmaxOutput}), in two forms
 * that give bit-identical results:
 * {@link VectorRows} on the JDK Vector API (8 float lanes; 4.8 instead of 16 ms for 400 rows of 10,002 here, the
 * exponential being most of it), used when the JVM runs with {@code --add-modules jdk.incubator.vector} (as {@code ./seq4j} and
 * the tests run it), and the plain loops here otherwise. Both evaluate the same float operations in the same order
 * and keep the sum of the exponentials as 8 double partial sums, element {@code k} in sum {@code k mod 8}, added in
 * lane order at the end, so a seed gives the same numbers with or without the module and on any CPU. System property
 * {@code seq4j.vector=false} turns the vector form off.
 */
final class FloatRows {

    private FloatRows() {
    }

    static final int LANES = 8;

    /** Whether the Vector API form is in use. */
    static final boolean VECTOR = !"false".equals(System.getProperty("seq4j.vector"))
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    static final float LOG2E = 1.44269504088896341f;
    /** 1.5·2^23: {@code (t + MAGIC) − MAGIC} rounds t to the nearest integer, and the sum's low bits hold it. */
    static final float MAGIC = 12582912f;
    static final int MAGIC_BITS = 0x4B400000;
    static final float MIN_ARG = -87f;
    static final float C0 = 1.535336188319500e-4f;
    static final float C1 = 1.339887440266574e-3f;
    static final float C2 = 9.618437357674640e-3f;
    static final float C3 = 5.550332471162809e-2f;
    static final float C4 = 2.402264791363012e-1f;
    static final float C5 = 6.931472028550421e-1f;

    /**
     * {@code e^x} in single precision: {@code 2^n · 2^f} with {@code n = round(x·log2 e)} and Cephes' {@code exp2f}
     * polynomial for {@code 2^f}, {@code |f| ≤ ½}: relative error about 2e-7 for {@code |x| ≤ 10}, growing with |x|
     * to about 1e-5 near −87 (the float argument's own rounding); 0 below −87; NaN stays NaN; for {@code x ≤ 88}.
     * Branch-free, so that {@link VectorRows} can evaluate it lane by lane with the same operations.
     */
    static float exp(float x) {
        float t = Math.max(x, MIN_ARG) * LOG2E;
        float tm = t + MAGIC;
        float f = t - (tm - MAGIC);
        float p = f * C0 + C1;
        p = p * f + C2;
        p = p * f + C3;
        p = p * f + C4;
        p = p * f + C5;
        p = p * f + 1.0f;
        int scale = (Float.floatToRawIntBits(tm) - MAGIC_BITS) << 23;
        float e = Float.intBitsToFloat(Float.floatToRawIntBits(p) + scale);
        return x < MIN_ARG ? 0f : e;
    }

    /** Eigen's float tanh ({@link Kernels#tanhFast} in double): a 13/6 rational function, saturating beyond ±7.9. */
    static final float TANH_CLAMP = 7.90531110763549805f;
    static final float TA1 = 4.89352455891786e-03f;
    static final float TA3 = 6.37261928875436e-04f;
    static final float TA5 = 1.48572235717979e-05f;
    static final float TA7 = 5.12229709037114e-08f;
    static final float TA9 = -8.60467152213735e-11f;
    static final float TA11 = 2.00018790482477e-13f;
    static final float TA13 = -2.76076847742355e-16f;
    static final float TB0 = 4.89352518554385e-03f;
    static final float TB2 = 2.26843463243900e-03f;
    static final float TB4 = 1.18534705686654e-04f;
    static final float TB6 = 1.19825839466702e-06f;

    /**
     * tanh in single precision (max error a few ulp); branch-free. The polynomials are evaluated with fused
     * multiply-adds ({@link Math#fma}: one rounding per step, and the vector form's {@code fma} gives the same bits).
     */
    static float tanh(float x) {
        float v = Math.min(Math.max(x, -TANH_CLAMP), TANH_CLAMP);
        float x2 = v * v;
        float p = Math.fma(x2, TA13, TA11);
        p = Math.fma(p, x2, TA9);
        p = Math.fma(p, x2, TA7);
        p = Math.fma(p, x2, TA5);
        p = Math.fma(p, x2, TA3);
        p = Math.fma(p, x2, TA1);
        p = p * v;
        float q = Math.fma(x2, TB6, TB4);
        q = Math.fma(q, x2, TB2);
        q = Math.fma(q, x2, TB0);
        return p / q;
    }

    /** {@code σ(x) = ½·tanh(½·x) + ½} in single precision (the last step fused). */
    static float sigmoid(float x) {
        return Math.fma(tanh(0.5f * x), 0.5f, 0.5f);
    }

    /**
     * {@code a[off..off+len) = tanh(a)} in place: a plain loop, which C2 vectorises (over a long array, as the SRN's
     * whole step, faster than the Vector API form: 1.2 against 1.45 ms for an SRN H128 inference).
     */
    static void tanh(float[] a, int off, int len) {
        for (int k = off; k < off + len; k++) {
            a[k] = tanh(a[k]);
        }
    }

    /** {@code a[off..off+len) = σ(a)} in place (a plain loop, as {@link #tanh(float[], int, int)}). */
    static void sigmoid(float[] a, int off, int len) {
        for (int k = off; k < off + len; k++) {
            a[k] = sigmoid(a[k]);
        }
    }

    /**
     * A gate's pre-activation and activation in one pass: {@code a[ao+j] = f(a[ao+j] + r[ao+j] + b[bo+j])} for
     * {@code j < len}, f = σ when {@code sigmoid}, else tanh ({@code a} holds the projected input, {@code r} the
     * recurrent product in the same layout, {@code b} the bias).
     */
    static void gate(float[] a, float[] r, int ao, float[] b, int bo, int len, boolean sigmoid) {
        if (VECTOR) {
            VectorRows.gate(a, r, ao, b, bo, len, sigmoid);
        } else {
            gatePlain(a, r, ao, b, bo, len, sigmoid);
        }
    }

    /**
     * {@link #gate} in plain loops: the sum, then the activation, as separate passes (the same float operations; C2
     * vectorises each pass, not a loop with the whole activation fused into it).
     */
    static void gatePlain(float[] a, float[] r, int ao, float[] b, int bo, int len, boolean sigmoid) {
        for (int j = 0; j < len; j++) {
            a[ao + j] = a[ao + j] + r[ao + j] + b[bo + j];
        }
        if (sigmoid) {
            sigmoid(a, ao, len);
        } else {
            tanh(a, ao, len);
        }
    }

    /**
     * One row of the reset-after GRU's candidate and new state, after {@link #gate} has put the reset gate at
     * {@code a[o..o+h)} and the update gate at {@code a[o+h..o+2h)}: {@code n = tanh(x_n + b_n + r ⊙ (rec_n + rb_n))}
     * into {@code a[o+2h..o+3h)} and {@code h' = n + z ⊙ (h − n)} into {@code hn[q..q+h)}; {@code bn}, {@code rbn}
     * are the candidate's two biases (offset {@code 2h}).
     */
    static void gruCandidate(float[] a, float[] rec, int o, int h, float[] bn, float[] rbn, float[] hp, float[] hn,
                             int q) {
        if (VECTOR) {
            VectorRows.gruCandidate(a, rec, o, h, bn, rbn, hp, hn, q);
        } else {
            gruCandidatePlain(a, rec, o, h, bn, rbn, hp, hn, q, 0);
        }
    }

    /** {@link #gruCandidate} in plain loops (see {@link #gatePlain}), from unit {@code from} on. */
    static void gruCandidatePlain(float[] a, float[] rec, int o, int h, float[] bn, float[] rbn, float[] hp,
                                  float[] hn, int q, int from) {
        int n = o + 2 * h;
        for (int j = from; j < h; j++) {
            a[n + j] = a[n + j] + bn[2 * h + j] + a[o + j] * (rec[n + j] + rbn[2 * h + j]);
        }
        tanh(a, n + from, h - from);
        for (int j = from; j < h; j++) {
            hn[q + j] = a[n + j] + a[o + h + j] * (hp[q + j] - a[n + j]);
        }
    }

    /**
     * One row of the LSTM's new state from its activated gates {@code a[o..o+4h) = [g | f | o | i]}:
     * {@code c' = f ⊙ c + i ⊙ g} into {@code cn[q..q+h)}, {@code tanh(c')} into {@code tc}, {@code h' = o ⊙ tanh(c')}
     * into {@code hn}.
     */
    static void lstmState(float[] a, int o, int h, float[] cp, float[] cn, float[] tc, float[] hn, int q) {
        if (VECTOR) {
            VectorRows.lstmState(a, o, h, cp, cn, tc, hn, q);
        } else {
            lstmStatePlain(a, o, h, cp, cn, tc, hn, q, 0);
        }
    }

    /** {@link #lstmState} in plain loops (see {@link #gatePlain}), from unit {@code from} on. */
    static void lstmStatePlain(float[] a, int o, int h, float[] cp, float[] cn, float[] tc, float[] hn, int q,
                               int from) {
        for (int j = from; j < h; j++) {
            float c = a[o + h + j] * cp[q + j] + a[o + 3 * h + j] * a[o + j];
            cn[q + j] = c;
            tc[q + j] = c;
        }
        tanh(tc, q + from, h - from);
        for (int j = from; j < h; j++) {
            hn[q + j] = a[o + 2 * h + j] * tc[q + j];
        }
    }

    /** {@code z += b} element-wise; returns {@code max(z)} (NaN when z holds one). */
    static float addAndMax(float[] z, float[] b) {
        return VECTOR ? VectorRows.addAndMax(z, b) : addAndMaxPlain(z, b);
    }

    /** {@code z = e^(z − shift)} element-wise; returns {@code Σ z} as described in the class comment. */
    static double expAndSum(float[] z, float shift) {
        return VECTOR ? VectorRows.expAndSum(z, shift) : expAndSumPlain(z, shift);
    }

    /** {@code a[off..off+len) = e^a} element-wise ({@link #exp}). */
    static void exp(float[] a, int off, int len) {
        if (VECTOR) {
            VectorRows.exp(a, off, len);
        } else {
            for (int k = off; k < off + len; k++) {
                a[k] = exp(a[k]);
            }
        }
    }

    /**
     * {@code Σ e[off..off+n)} in {@link #expAndSum}'s order (8 double partial sums, element {@code k} in sum
     * {@code k mod 8}, added in lane order, then the tail in order), so a row summed here equals the same row through
     * {@link #expAndSum} bit for bit.
     */
    static double sumInLaneOrder(float[] e, int off, int n) {
        int up = n - n % LANES;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        for (int k = off; k < off + up; k += LANES) {
            s0 += e[k];
            s1 += e[k + 1];
            s2 += e[k + 2];
            s3 += e[k + 3];
            s4 += e[k + 4];
            s5 += e[k + 5];
            s6 += e[k + 6];
            s7 += e[k + 7];
        }
        double sum = 0;
        sum += s0;
        sum += s1;
        sum += s2;
        sum += s3;
        sum += s4;
        sum += s5;
        sum += s6;
        sum += s7;
        for (int k = off + up; k < off + n; k++) {
            sum += e[k];
        }
        return sum;
    }

    static float addAndMaxPlain(float[] z, float[] b) {
        float max = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < z.length; k++) {
            z[k] += b[k];
            max = Math.max(max, z[k]);
        }
        return max;
    }

    static double expAndSumPlain(float[] z, float shift) {
        for (int k = 0; k < z.length; k++) {
            z[k] = exp(z[k] - shift);
        }
        return sumInLaneOrder(z, 0, z.length);
    }

    /** The lane sums in lane order, then the tail {@code z[from..)} exponentiated and added in order. */
    static double total(double[] lanes, float[] z, int from, float shift) {
        double sum = 0;
        for (double s : lanes) {
            sum += s;
        }
        for (int k = from; k < z.length; k++) {
            z[k] = exp(z[k] - shift);
            sum += z[k];
        }
        return sum;
    }
}
