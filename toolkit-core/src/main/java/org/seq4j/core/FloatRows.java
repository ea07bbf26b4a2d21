package org.seq4j.core;

/**
 * The recurrent cells' float activations ({@link #tanh(float[], int, int)}, {@link #sigmoid}), and the
 * single-precision softmax's row loops ({@link SoftmaxOutput}) in two forms that give bit-identical results:
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

    /** tanh in single precision (max error a few ulp); branch-free, the same operations as the vector form. */
    static float tanh(float x) {
        float v = Math.min(Math.max(x, -TANH_CLAMP), TANH_CLAMP);
        float x2 = v * v;
        float p = x2 * TA13 + TA11;
        p = p * x2 + TA9;
        p = p * x2 + TA7;
        p = p * x2 + TA5;
        p = p * x2 + TA3;
        p = p * x2 + TA1;
        p = p * v;
        float q = x2 * TB6 + TB4;
        q = q * x2 + TB2;
        q = q * x2 + TB0;
        return p / q;
    }

    /**
     * {@code a[off..off+len) = tanh(a)} in place. A plain loop, which C2 vectorises: a Vector API form was slower on
     * JDK 17, whose C2 failed to intrinsify its store ("VectorSupport::store failed to inline (intrinsic)" under
     * {@code -XX:+PrintInlining}) and ran the Java fallback.
     */
    static void tanh(float[] a, int off, int len) {
        for (int k = off; k < off + len; k++) {
            a[k] = tanh(a[k]);
        }
    }

    /** {@code a[off..off+len) = σ(a) = ½·tanh(½·a) + ½} in place. */
    static void sigmoid(float[] a, int off, int len) {
        for (int k = off; k < off + len; k++) {
            a[k] = 0.5f * tanh(0.5f * a[k]) + 0.5f;
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
