package org.seq4j.testkit;

/**
 * A plain-Java GRU, written from the equations in {@code Gru}'s Javadoc and nothing else, to check the layer against.
 * Weights are in the packed {@code [r | z | n]} layout: {@code W [nIn][3H]}, {@code RW [H][3H]}, {@code b [3H]},
 * {@code rb [3H]} (null for reset-before).
 */
public final class ReferenceGru {

    private final double[][] w;
    private final double[][] rw;
    private final double[] b;
    private final double[] rb;
    private final boolean resetAfter;
    private final int h;

    public ReferenceGru(double[][] w, double[][] rw, double[] b, double[] rb, boolean resetAfter) {
        this.w = w;
        this.rw = rw;
        this.b = b;
        this.rb = rb;
        this.resetAfter = resetAfter;
        this.h = rw.length;
    }

    /** One step: the new state from input {@code x} and state {@code hPrev}. */
    public double[] step(double[] x, double[] hPrev) {
        double[] r = new double[h];
        double[] z = new double[h];
        double[] n = new double[h];
        for (int j = 0; j < h; j++) {
            double ar = b[j];
            double az = b[h + j];
            for (int k = 0; k < x.length; k++) {
                ar += x[k] * w[k][j];
                az += x[k] * w[k][h + j];
            }
            for (int k = 0; k < h; k++) {
                ar += hPrev[k] * rw[k][j];
                az += hPrev[k] * rw[k][h + j];
            }
            if (resetAfter) {
                ar += rb[j];
                az += rb[h + j];
            }
            r[j] = sigmoid(ar);
            z[j] = sigmoid(az);
        }
        for (int j = 0; j < h; j++) {
            double an = b[2 * h + j];
            for (int k = 0; k < x.length; k++) {
                an += x[k] * w[k][2 * h + j];
            }
            if (resetAfter) {
                double hn = rb[2 * h + j];
                for (int k = 0; k < h; k++) {
                    hn += hPrev[k] * rw[k][2 * h + j];
                }
                an += r[j] * hn;
            } else {
                for (int k = 0; k < h; k++) {
                    an += r[k] * hPrev[k] * rw[k][2 * h + j];
                }
            }
            n[j] = Math.tanh(an);
        }
        double[] out = new double[h];
        for (int j = 0; j < h; j++) {
            out[j] = (1 - z[j]) * n[j] + z[j] * hPrev[j];
        }
        return out;
    }

    /**
     * Runs each example over its steps; a step with {@code mask[i][t] == 0} keeps the state and outputs zeros.
     *
     * @param x    {@code [mb][T][nIn]}
     * @param mask {@code [mb][T]} of 0/1, or null for all valid
     * @return {@code [mb][T][H]}
     */
    public double[][][] run(double[][][] x, double[][] mask) {
        double[][][] out = new double[x.length][x[0].length][];
        for (int i = 0; i < x.length; i++) {
            double[] state = new double[h];
            for (int t = 0; t < x[i].length; t++) {
                if (mask != null && mask[i][t] == 0) {
                    out[i][t] = new double[h];
                    continue;
                }
                state = step(x[i][t], state);
                out[i][t] = state.clone();
            }
        }
        return out;
    }

    static double sigmoid(double v) {
        return 1.0 / (1.0 + Math.exp(-v));
    }
}
