package org.seq4j.testkit;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Conversions between ND4J arrays and the plain {@code double[][]} arrays the reference implementations use. */
public final class Arrays3 {

    private Arrays3() {
    }

    /** {@code [mb, n, T]} (NCW) to {@code [mb][T][n]}. */
    public static double[][][] fromNcw(INDArray a) {
        int mb = (int) a.size(0);
        int n = (int) a.size(1);
        int steps = (int) a.size(2);
        double[][][] out = new double[mb][steps][n];
        for (int i = 0; i < mb; i++) {
            for (int t = 0; t < steps; t++) {
                for (int k = 0; k < n; k++) {
                    out[i][t][k] = a.getDouble(i, k, t);
                }
            }
        }
        return out;
    }

    /** {@code [mb][T][n]} to {@code [mb, n, T]} (NCW), double precision. */
    public static INDArray toNcw(double[][][] a) {
        int mb = a.length;
        int steps = a[0].length;
        int n = a[0][0].length;
        INDArray out = Nd4j.create(DataType.DOUBLE, mb, n, steps);
        for (int i = 0; i < mb; i++) {
            for (int t = 0; t < steps; t++) {
                for (int k = 0; k < n; k++) {
                    out.putScalar(new long[] {i, k, t}, a[i][t][k]);
                }
            }
        }
        return out;
    }

    /** A rank-2 array (or a row vector) as {@code double[rows][cols]}. */
    public static double[][] matrix(INDArray a) {
        return a.reshape(a.size(0), a.length() / a.size(0)).toDoubleMatrix();
    }

    /** A row vector {@code [1, n]} or vector {@code [n]} as {@code double[n]}. */
    public static double[] vector(INDArray a) {
        return a.reshape(a.length()).toDoubleVector();
    }

    /** Largest absolute difference between two equally shaped {@code [mb][T][n]} arrays. */
    public static double maxAbsDiff(double[][][] a, double[][][] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int t = 0; t < a[i].length; t++) {
                for (int k = 0; k < a[i][t].length; k++) {
                    max = Math.max(max, Math.abs(a[i][t][k] - b[i][t][k]));
                }
            }
        }
        return max;
    }

    /** A {@code [mb, T]} mask with 1 for the first {@code lengths[i]} steps of example i and 0 after. */
    public static INDArray prefixMask(int steps, int... lengths) {
        INDArray m = Nd4j.zeros(DataType.DOUBLE, lengths.length, steps);
        for (int i = 0; i < lengths.length; i++) {
            for (int t = 0; t < lengths[i]; t++) {
                m.putScalar(i, t, 1.0);
            }
        }
        return m;
    }
}
