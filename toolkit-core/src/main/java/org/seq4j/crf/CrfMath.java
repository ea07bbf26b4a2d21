package org.seq4j.crf;

/**
 * The linear-chain CRF computations on one sequence, in plain Java double precision, in log space. For emissions
 * {@code e[t][k]}, transitions {@code a[i][j]} (from tag i to tag j), start scores {@code s[k]} and end scores
 * {@code f[k]}, the score of a tag path y is
 * <pre>
 *   score(y) = s[y_1] + Σ_t e[t][y_t] + Σ_{t>1} a[y_{t−1}][y_t] + f[y_n]
 *   log Z    = log Σ_y exp(score(y))            (forward algorithm)
 *   NLL(y)   = log Z − score(y)
 * </pre>
 * Every method is tested against brute-force enumeration of all paths on small inputs.
 */
public final class CrfMath {

    private CrfMath() {
    }

    /** The score of {@code path}. */
    public static double score(double[][] e, double[][] a, double[] s, double[] f, int[] path) {
        double sc = s[path[0]] + e[0][path[0]];
        for (int t = 1; t < path.length; t++) {
            sc += a[path[t - 1]][path[t]] + e[t][path[t]];
        }
        return sc + f[path[path.length - 1]];
    }

    /** Forward variables {@code alpha[t][k]} = log-sum of the scores of all prefixes ending in k at t. */
    public static double[][] forward(double[][] e, double[][] a, double[] s) {
        int n = e.length;
        int k = s.length;
        double[][] alpha = new double[n][k];
        for (int j = 0; j < k; j++) {
            alpha[0][j] = s[j] + e[0][j];
        }
        double[] tmp = new double[k];
        for (int t = 1; t < n; t++) {
            for (int j = 0; j < k; j++) {
                for (int i = 0; i < k; i++) {
                    tmp[i] = alpha[t - 1][i] + a[i][j];
                }
                alpha[t][j] = logSumExp(tmp) + e[t][j];
            }
        }
        return alpha;
    }

    /** Backward variables {@code beta[t][k]} = log-sum of the scores of all suffixes after k at t. */
    public static double[][] backward(double[][] e, double[][] a, double[] f) {
        int n = e.length;
        int k = f.length;
        double[][] beta = new double[n][k];
        System.arraycopy(f, 0, beta[n - 1], 0, k);
        double[] tmp = new double[k];
        for (int t = n - 2; t >= 0; t--) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    tmp[j] = a[i][j] + e[t + 1][j] + beta[t + 1][j];
                }
                beta[t][i] = logSumExp(tmp);
            }
        }
        return beta;
    }

    /** log Z from the forward variables. */
    public static double logPartition(double[][] alpha, double[] f) {
        double[] last = alpha[alpha.length - 1].clone();
        for (int j = 0; j < last.length; j++) {
            last[j] += f[j];
        }
        return logSumExp(last);
    }

    /**
     * The negative log-likelihood of {@code gold} and its gradients, added into the given arrays:
     * {@code dE[t][k] += p_t(k) − [y_t = k]}, {@code dA[i][j] += Σ_t ξ_t(i, j) − #(i→j in y)},
     * {@code dS[k] += p_1(k) − [y_1 = k]}, {@code dF[k] += p_n(k) − [y_n = k]}.
     */
    public static double nllAndGradient(double[][] e, double[][] a, double[] s, double[] f, int[] gold,
                                        double[][] dE, double[][] dA, double[] dS, double[] dF) {
        int n = e.length;
        int k = s.length;
        double[][] alpha = forward(e, a, s);
        double[][] beta = backward(e, a, f);
        double logZ = logPartition(alpha, f);
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < k; j++) {
                double p = Math.exp(alpha[t][j] + beta[t][j] - logZ);
                dE[t][j] += p;
                if (t == 0) {
                    dS[j] += p;
                }
                if (t == n - 1) {
                    dF[j] += p;
                }
            }
            dE[t][gold[t]] -= 1;
        }
        dS[gold[0]] -= 1;
        dF[gold[n - 1]] -= 1;
        for (int t = 1; t < n; t++) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    dA[i][j] += Math.exp(alpha[t - 1][i] + a[i][j] + e[t][j] + beta[t][j] - logZ);
                }
            }
            dA[gold[t - 1]][gold[t]] -= 1;
        }
        return logZ - score(e, a, s, f, gold);
    }

    /** Per-step tag marginals {@code p[t][k]}. */
    public static double[][] marginals(double[][] e, double[][] a, double[] s, double[] f) {
        double[][] alpha = forward(e, a, s);
        double[][] beta = backward(e, a, f);
        double logZ = logPartition(alpha, f);
        double[][] p = new double[e.length][s.length];
        for (int t = 0; t < e.length; t++) {
            for (int j = 0; j < s.length; j++) {
                p[t][j] = Math.exp(alpha[t][j] + beta[t][j] - logZ);
            }
        }
        return p;
    }

    /** The highest-scoring path (Viterbi). */
    public static int[] viterbi(double[][] e, double[][] a, double[] s, double[] f) {
        int n = e.length;
        int k = s.length;
        double[][] delta = new double[n][k];
        int[][] back = new int[n][k];
        for (int j = 0; j < k; j++) {
            delta[0][j] = s[j] + e[0][j];
        }
        for (int t = 1; t < n; t++) {
            for (int j = 0; j < k; j++) {
                int best = 0;
                double bestScore = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < k; i++) {
                    double v = delta[t - 1][i] + a[i][j];
                    if (v > bestScore) {
                        bestScore = v;
                        best = i;
                    }
                }
                delta[t][j] = bestScore + e[t][j];
                back[t][j] = best;
            }
        }
        int last = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            if (delta[n - 1][j] + f[j] > bestScore) {
                bestScore = delta[n - 1][j] + f[j];
                last = j;
            }
        }
        int[] path = new int[n];
        path[n - 1] = last;
        for (int t = n - 1; t > 0; t--) {
            path[t - 1] = back[t][path[t]];
        }
        return path;
    }

    static double logSumExp(double[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            max = Math.max(max, x);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (double x : v) {
            sum += Math.exp(x - max);
        }
        return max + Math.log(sum);
    }
}
