package org.seq4j.core;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatRows}' loops on the JDK Vector API (incubator module {@code jdk.incubator.vector}): the same float
 * operations in the same order on 8 lanes at a time, so the results equal the plain loops' bit for bit. Only loaded
 * when {@link FloatRows#VECTOR} says the module is present.
 */
final class VectorRows {

    private VectorRows() {
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
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
}
