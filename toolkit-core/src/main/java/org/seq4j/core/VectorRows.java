package org.seq4j.core;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatRows}' loops on the JDK Vector API (incubator module {@code jdk.incubator.vector}): the same float
 * operations in the same order on several lanes at a time, so the results equal the plain loops' bit for bit. Only
 * loaded when {@link FloatRows#VECTOR} says the module is present. A row's tail (fewer elements than a vector) runs
 * the plain loop.
 */
final class VectorRows {

    private VectorRows() {
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    /**
     * The element-wise loops' width: the widest the CPU offers (16 lanes with AVX-512). Each element sees the same
     * operations at any width, so this changes no result; the sums keep {@link #F}'s 8 lanes.
     */
    private static final VectorSpecies<Float> E = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_256;

    static float addAndMax(float[] z, float[] b) {
        int n = z.length;
        int up = F.loopBound(n);
        FloatVector max = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int k = 0; k < up; k += F.length()) {
            FloatVector v = FloatVector.fromArray(F, z, k).add(FloatVector.fromArray(F, b, k));
            v.intoArray(z, k);
            max = max.max(v);
        }
        float m = max.reduceLanes(VectorOperators.MAX);
        for (int k = up; k < n; k++) {
            z[k] += b[k];
            m = Math.max(m, z[k]);
        }
        return m;
    }

    static double expAndSum(float[] z, float shift) {
        int n = z.length;
        int up = n - n % FloatRows.LANES;
        DoubleVector low = DoubleVector.zero(D);
        DoubleVector high = DoubleVector.zero(D);
        for (int k = 0; k < up; k += FloatRows.LANES) {
            FloatVector x = FloatVector.fromArray(F, z, k).sub(shift);
            FloatVector e = exp(x);
            e.intoArray(z, k);
            low = low.add(e.convertShape(VectorOperators.F2D, D, 0));
            high = high.add(e.convertShape(VectorOperators.F2D, D, 1));
        }
        double[] lanes = new double[FloatRows.LANES];
        low.intoArray(lanes, 0);
        high.intoArray(lanes, D.length());
        return FloatRows.total(lanes, z, up, shift);
    }

    static void exp(float[] a, int off, int len) {
        int up = off + F.loopBound(len);
        int k = off;
        for (; k < up; k += F.length()) {
            exp(FloatVector.fromArray(F, a, k)).intoArray(a, k);
        }
        for (; k < off + len; k++) {
            a[k] = FloatRows.exp(a[k]);
        }
    }

    /** {@link FloatRows#exp} on every lane. */
    private static FloatVector exp(FloatVector x) {
        FloatVector t = x.max(FloatRows.MIN_ARG).mul(FloatRows.LOG2E);
        FloatVector tm = t.add(FloatRows.MAGIC);
        FloatVector f = t.sub(tm.sub(FloatRows.MAGIC));
        FloatVector p = f.mul(FloatRows.C0).add(FloatRows.C1);
        p = p.mul(f).add(FloatRows.C2);
        p = p.mul(f).add(FloatRows.C3);
        p = p.mul(f).add(FloatRows.C4);
        p = p.mul(f).add(FloatRows.C5);
        p = p.mul(f).add(1.0f);
        IntVector scale = tm.reinterpretAsInts().sub(FloatRows.MAGIC_BITS).lanewise(VectorOperators.LSHL, 23);
        FloatVector e = p.reinterpretAsInts().add(scale).reinterpretAsFloats();
        return e.blend(0f, x.lt(FloatRows.MIN_ARG));
    }

    static void gate(float[] a, float[] r, int ao, float[] b, int bo, int len, boolean sigmoid) {
        int up = E.loopBound(len);
        int j = 0;
        for (; j < up; j += E.length()) {
            FloatVector x = FloatVector.fromArray(E, a, ao + j).add(FloatVector.fromArray(E, r, ao + j))
                    .add(FloatVector.fromArray(E, b, bo + j));
            (sigmoid ? sigmoid(x) : tanh(x)).intoArray(a, ao + j);
        }
        FloatRows.gatePlain(a, r, ao + j, b, bo + j, len - j, sigmoid);
    }

    static void gruCandidate(float[] a, float[] rec, int o, int h, float[] bn, float[] rbn, float[] hp, float[] hn,
                             int q) {
        int n = o + 2 * h;
        int up = E.loopBound(h);
        int j = 0;
        for (; j < up; j += E.length()) {
            FloatVector c = tanh(FloatVector.fromArray(E, a, n + j).add(FloatVector.fromArray(E, bn, 2 * h + j))
                    .add(FloatVector.fromArray(E, a, o + j).mul(FloatVector.fromArray(E, rec, n + j)
                            .add(FloatVector.fromArray(E, rbn, 2 * h + j)))));
            c.intoArray(a, n + j);
            c.add(FloatVector.fromArray(E, a, o + h + j).mul(FloatVector.fromArray(E, hp, q + j).sub(c)))
                    .intoArray(hn, q + j);
        }
        FloatRows.gruCandidatePlain(a, rec, o, h, bn, rbn, hp, hn, q, j);
    }

    static void lstmState(float[] a, int o, int h, float[] cp, float[] cn, float[] tc, float[] hn, int q) {
        int up = E.loopBound(h);
        int j = 0;
        for (; j < up; j += E.length()) {
            FloatVector c = FloatVector.fromArray(E, a, o + h + j).mul(FloatVector.fromArray(E, cp, q + j))
                    .add(FloatVector.fromArray(E, a, o + 3 * h + j).mul(FloatVector.fromArray(E, a, o + j)));
            FloatVector t = tanh(c);
            c.intoArray(cn, q + j);
            t.intoArray(tc, q + j);
            FloatVector.fromArray(E, a, o + 2 * h + j).mul(t).intoArray(hn, q + j);
        }
        FloatRows.lstmStatePlain(a, o, h, cp, cn, tc, hn, q, j);
    }

    /** {@link FloatRows#tanh(float)} on every lane. */
    private static FloatVector tanh(FloatVector x) {
        FloatVector v = x.max(-FloatRows.TANH_CLAMP).min(FloatRows.TANH_CLAMP);
        FloatVector x2 = v.mul(v);
        FloatVector p = x2.fma(FloatRows.TA13, FloatRows.TA11);
        p = p.fma(x2, FloatVector.broadcast(E, FloatRows.TA9));
        p = p.fma(x2, FloatVector.broadcast(E, FloatRows.TA7));
        p = p.fma(x2, FloatVector.broadcast(E, FloatRows.TA5));
        p = p.fma(x2, FloatVector.broadcast(E, FloatRows.TA3));
        p = p.fma(x2, FloatVector.broadcast(E, FloatRows.TA1));
        p = p.mul(v);
        FloatVector q = x2.fma(FloatRows.TB6, FloatRows.TB4);
        q = q.fma(x2, FloatVector.broadcast(E, FloatRows.TB2));
        q = q.fma(x2, FloatVector.broadcast(E, FloatRows.TB0));
        return p.div(q);
    }

    /** {@link FloatRows#sigmoid(float)} on every lane. */
    private static FloatVector sigmoid(FloatVector x) {
        return tanh(x.mul(0.5f)).fma(0.5f, 0.5f);
    }
}
