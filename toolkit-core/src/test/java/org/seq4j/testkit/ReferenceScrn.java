package org.seq4j.testkit;

/**
 * A plain-Java SCRN written from Mikolov et al. (2014) eqs. as given in {@code Scrn}'s Javadoc:
 * {@code s_t = (1−α)·x_t·B + α·s_{t−1}}, {@code h_t = σ(s_t·P + x_t·A + h_{t−1}·R + b)}, output {@code [h_t; s_t]}.
 * {@code alpha} is per context unit.
 */
public final class ReferenceScrn {

    private final double[][] bw;
    private final double[][] aw;
    private final double[][] pw;
    private final double[][] rw;
    private final double[] bias;
    private final double[] alpha;

    public ReferenceScrn(double[][] b, double[][] a, double[][] p, double[][] r, double[] bias, double[] alpha) {
        this.bw = b;
        this.aw = a;
        this.pw = p;
        this.rw = r;
        this.bias = bias;
        this.alpha = alpha;
    }

    /**
     * @param x       {@code [mb][T][nIn]}
     * @param mask    {@code [mb][T]} 0/1 or null; masked steps keep both states and output zeros
     * @param reverse run each (whole, padded) sequence from its last step to its first
     * @return {@code [mb][T][H + C]}
     */
    public double[][][] run(double[][][] x, double[][] mask, boolean reverse) {
        int c = alpha.length;
        int h = bias.length;
        int steps = x[0].length;
        double[][][] out = new double[x.length][steps][];
        for (int i = 0; i < x.length; i++) {
            double[] s = new double[c];
            double[] hid = new double[h];
            for (int k = 0; k < steps; k++) {
                int t = reverse ? steps - 1 - k : k;
                if (mask != null && mask[i][t] == 0) {
                    out[i][t] = new double[h + c];
                    continue;
                }
                double[] xt = x[i][t];
                double[] sNew = new double[c];
                for (int j = 0; j < c; j++) {
                    double xb = 0;
                    for (int q = 0; q < xt.length; q++) {
                        xb += xt[q] * bw[q][j];
                    }
                    sNew[j] = (1 - alpha[j]) * xb + alpha[j] * s[j];
                }
                double[] hNew = new double[h];
                for (int j = 0; j < h; j++) {
                    double pre = bias[j];
                    for (int q = 0; q < c; q++) {
                        pre += sNew[q] * pw[q][j];
                    }
                    for (int q = 0; q < xt.length; q++) {
                        pre += xt[q] * aw[q][j];
                    }
                    for (int q = 0; q < h; q++) {
                        pre += hid[q] * rw[q][j];
                    }
                    hNew[j] = ReferenceGru.sigmoid(pre);
                }
                s = sNew;
                hid = hNew;
                double[] o = new double[h + c];
                System.arraycopy(hid, 0, o, 0, h);
                System.arraycopy(s, 0, o, h, c);
                out[i][t] = o;
            }
        }
        return out;
    }
}
