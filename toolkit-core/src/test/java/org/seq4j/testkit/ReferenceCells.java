package org.seq4j.testkit;

import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.seq4j.core.Act;
import org.seq4j.core.GruCell;
import org.seq4j.core.JordanCell;
import org.seq4j.core.LstmCell;
import org.seq4j.core.RecurrentCell;
import org.seq4j.core.ScrnCell;
import org.seq4j.core.SrnCell;
import org.seq4j.layers.GruVariant;

/**
 * Plain-Java step loops of every core cell's equations, written from the papers' formulas (one example, one step at a
 * time, double precision, no ND4J arithmetic), for checking the fused runtime. Masked steps carry every state part
 * and output zero, the core's documented semantics.
 */
public final class ReferenceCells {

    private ReferenceCells() {
    }

    /**
     * Runs {@code cell} over {@code x [mb][T][nIn]} with the layer's parameters (by key), from zero state.
     *
     * @return the layer output {@code [mb][T][outputSize]}
     */
    public static double[][][] run(RecurrentCell cell, Map<String, INDArray> params, int units, double[][][] x,
                                   double[][] mask) {
        double[][][] out = new double[x.length][x[0].length][];
        for (int i = 0; i < x.length; i++) {
            double[][] state = initial(cell, units);
            for (int t = 0; t < x[i].length; t++) {
                double m = mask == null ? 1.0 : mask[i][t];
                double[][] next = step(cell, params, units, x[i][t], state);
                if (m != 0.0) {
                    state = next;
                }
                out[i][t] = output(cell, state, m);
            }
        }
        return out;
    }

    private static double[][] initial(RecurrentCell cell, int units) {
        long[] sizes = cell.stateSizes(units);
        double[][] s = new double[sizes.length][];
        for (int p = 0; p < sizes.length; p++) {
            s[p] = new double[(int) sizes[p]];
        }
        return s;
    }

    private static double[] output(RecurrentCell cell, double[][] state, double m) {
        int n = 0;
        for (int p : cell.outputParts()) {
            n += state[p].length;
        }
        double[] o = new double[n];
        int off = 0;
        for (int p : cell.outputParts()) {
            for (int k = 0; k < state[p].length; k++) {
                o[off + k] = m * state[p][k];
            }
            off += state[p].length;
        }
        return o;
    }

    /** x·W[:, from:from+n] + h·R[:, from:from+n] + b[from:from+n], column by column. */
    private static double[] affine(double[] x, double[][] w, double[] h, double[][] r, double[] b, int from, int n) {
        double[] a = new double[n];
        for (int j = 0; j < n; j++) {
            double s = b == null ? 0.0 : b[from + j];
            for (int k = 0; k < x.length; k++) {
                s += x[k] * w[k][from + j];
            }
            if (h != null) {
                for (int k = 0; k < h.length; k++) {
                    s += h[k] * r[k][from + j];
                }
            }
            a[j] = s;
        }
        return a;
    }

    private static double sig(double v) {
        return 1.0 / (1.0 + Math.exp(-v));
    }

    private static double[][] m(Map<String, INDArray> p, String k) {
        return Arrays3.matrix(p.get(k));
    }

    private static double[] v(Map<String, INDArray> p, String k) {
        return Arrays3.vector(p.get(k));
    }

    public static double[][] step(RecurrentCell cell, Map<String, INDArray> p, int h, double[] x, double[][] s) {
        if (cell instanceof LstmCell lstm) {
            double[] hp = s[0];
            double[] cp = s[1];
            double[] a = affine(x, m(p, "W"), hp, m(p, "RW"), v(p, "b"), 0, 4 * h);
            boolean peep = lstm.isPeepholes();
            double[] hn = new double[h];
            double[] cn = new double[h];
            for (int j = 0; j < h; j++) {
                double g = Math.tanh(a[j]);
                double f = sig(a[h + j] + (peep ? v(p, "pf")[j] * cp[j] : 0));
                double in = sig(a[3 * h + j] + (peep ? v(p, "pi")[j] * cp[j] : 0));
                cn[j] = f * cp[j] + in * g;
                double o = sig(a[2 * h + j] + (peep ? v(p, "po")[j] * cn[j] : 0));
                hn[j] = o * Math.tanh(cn[j]);
            }
            return new double[][] {hn, cn};
        }
        if (cell instanceof GruCell gru) {
            double[] hp = s[0];
            double[][] w = m(p, "W");
            double[][] rw = m(p, "RW");
            double[] b = v(p, "b");
            double[] hn = new double[h];
            double[] r = new double[h];
            double[] z = new double[h];
            for (int j = 0; j < h; j++) {
                double ar = 0;
                double az = 0;
                for (int k = 0; k < x.length; k++) {
                    ar += x[k] * w[k][j];
                    az += x[k] * w[k][h + j];
                }
                for (int k = 0; k < h; k++) {
                    ar += hp[k] * rw[k][j];
                    az += hp[k] * rw[k][h + j];
                }
                if (gru.getVariant() == GruVariant.RESET_AFTER) {
                    double[] rb = v(p, "rb");
                    ar += rb[j];
                    az += rb[h + j];
                }
                r[j] = sig(ar + b[j]);
                z[j] = sig(az + b[h + j]);
            }
            for (int j = 0; j < h; j++) {
                double an = b[2 * h + j];
                for (int k = 0; k < x.length; k++) {
                    an += x[k] * w[k][2 * h + j];
                }
                if (gru.getVariant() == GruVariant.RESET_AFTER) {
                    double hr = v(p, "rb")[2 * h + j];
                    for (int k = 0; k < h; k++) {
                        hr += hp[k] * rw[k][2 * h + j];
                    }
                    an += r[j] * hr;
                } else {
                    for (int k = 0; k < h; k++) {
                        an += r[k] * hp[k] * rw[k][2 * h + j];
                    }
                }
                double n = Math.tanh(an);
                hn[j] = (1 - z[j]) * n + z[j] * hp[j];
            }
            return new double[][] {hn};
        }
        if (cell instanceof SrnCell srn) {
            double[] a = affine(x, m(p, "W"), s[0], m(p, "RW"), v(p, "b"), 0, h);
            double[] hn = new double[h];
            for (int j = 0; j < h; j++) {
                hn[j] = act(srn.getActivation(), a[j]);
            }
            return new double[][] {hn};
        }
        if (cell instanceof ScrnCell scrn) {
            int c = (int) scrn.getContextUnits();
            double[][] w = m(p, "W");
            double[] xb = affine(x, w, null, null, null, 0, c);
            double[] sn = new double[c];
            for (int k = 0; k < c; k++) {
                double alpha = scrn.isLearnAlpha() ? sig(v(p, "alphaLogit")[k]) : scrn.getAlpha();
                sn[k] = (1 - alpha) * xb[k] + alpha * s[1][k];
            }
            double[] xa = affine(x, w, null, null, null, c, h);
            double[] hr = affine(s[0], m(p, "RW"), null, null, null, 0, h);
            double[] sp = affine(sn, m(p, "P"), null, null, v(p, "b"), 0, h);
            double[] hn = new double[h];
            for (int j = 0; j < h; j++) {
                hn[j] = sig(xa[j] + hr[j] + sp[j]);
            }
            return new double[][] {hn, sn};
        }
        if (cell instanceof JordanCell jordan) {
            int k = (int) (jordan.getHiddenUnits() > 0 ? jordan.getHiddenUnits() : h);
            double[] a = affine(x, m(p, "W"), s[0], m(p, "RW"), v(p, "b"), 0, k);
            for (int j = 0; j < k; j++) {
                a[j] = act(jordan.getHiddenActivation(), a[j]);
            }
            double[] z = affine(a, m(p, "V"), null, null, v(p, "vb"), 0, h);
            for (int j = 0; j < h; j++) {
                z[j] = act(jordan.getOutputActivation(), z[j]);
            }
            return new double[][] {z};
        }
        throw new IllegalArgumentException("No reference for " + cell);
    }

    private static double act(Act a, double v) {
        return switch (a) {
            case TANH -> Math.tanh(v);
            case SIGMOID -> sig(v);
            case RELU -> Math.max(0, v);
            case IDENTITY -> v;
        };
    }
}
