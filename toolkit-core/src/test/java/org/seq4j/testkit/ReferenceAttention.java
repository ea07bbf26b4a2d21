package org.seq4j.testkit;

/**
 * Plain-Java attention from the published formulas: Bahdanau {@code vᵀ tanh(Wqᵀ d + Wkᵀ e)}, Luong dot {@code dᵀ e},
 * Luong general {@code dᵀ Wa e}; softmax over the valid encoder steps only; context {@code Σ a_s e_s}.
 */
public final class ReferenceAttention {

    private ReferenceAttention() {
    }

    /** Scores for one decoder state against one encoder state; {@code kind} is "dot", "general" or "bahdanau". */
    public static double score(String kind, double[] d, double[] e, double[][] wa, double[][] wq, double[][] wk, double[] v) {
        switch (kind) {
            case "dot": {
                double s = 0;
                for (int k = 0; k < d.length; k++) {
                    s += d[k] * e[k];
                }
                return s;
            }
            case "general": {
                double s = 0;
                for (int i = 0; i < d.length; i++) {
                    for (int j = 0; j < e.length; j++) {
                        s += d[i] * wa[i][j] * e[j];
                    }
                }
                return s;
            }
            case "bahdanau": {
                double s = 0;
                for (int a = 0; a < v.length; a++) {
                    double pre = 0;
                    for (int i = 0; i < d.length; i++) {
                        pre += d[i] * wq[i][a];
                    }
                    for (int j = 0; j < e.length; j++) {
                        pre += e[j] * wk[j][a];
                    }
                    s += v[a] * Math.tanh(pre);
                }
                return s;
            }
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    /**
     * @param dec     {@code [mb][Td][nDec]}
     * @param enc     {@code [mb][Te][nEnc]}
     * @param encLen  valid encoder steps per example (a prefix)
     * @param weights out: {@code [mb][Td][Te]}, filled
     * @return contexts {@code [mb][Td][nEnc]}
     */
    public static double[][][] run(String kind, double[][][] dec, double[][][] enc, int[] encLen, double[][] wa,
                                   double[][] wq, double[][] wk, double[] v, double[][][] weights) {
        double[][][] ctx = new double[dec.length][dec[0].length][enc[0][0].length];
        for (int i = 0; i < dec.length; i++) {
            for (int t = 0; t < dec[i].length; t++) {
                double[] e = new double[encLen[i]];
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s < encLen[i]; s++) {
                    e[s] = score(kind, dec[i][t], enc[i][s], wa, wq, wk, v);
                    max = Math.max(max, e[s]);
                }
                double sum = 0;
                for (int s = 0; s < encLen[i]; s++) {
                    e[s] = Math.exp(e[s] - max);
                    sum += e[s];
                }
                for (int s = 0; s < encLen[i]; s++) {
                    weights[i][t][s] = e[s] / sum;
                    for (int k = 0; k < ctx[i][t].length; k++) {
                        ctx[i][t][k] += weights[i][t][s] * enc[i][s][k];
                    }
                }
            }
        }
        return ctx;
    }
}
