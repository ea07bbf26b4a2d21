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
        Scaled sc = Scaled.of(e, a, s, f);
        if (sc == null) {
            return nllAndGradientInLogSpace(e, a, s, f, gold, dE, dA, dS, dF);
        }
        addUnaryGradients(sc.marginals(), gold, dE, dS, dF);
        double[] w = new double[k];
        for (int t = 1; t < n; t++) {
            // ξ_t(i, j) = α̂_{t−1}(i) A(i, j) E_t(j) β̂_t(j) / c_t
            for (int j = 0; j < k; j++) {
                w[j] = sc.emission[t][j] * sc.beta[t][j] / sc.scale[t];
            }
            for (int i = 0; i < k; i++) {
                double ai = sc.alpha[t - 1][i];
                double[] ti = sc.transition[i];
                double[] di = dA[i];
                for (int j = 0; j < k; j++) {
                    di[j] += ai * ti[j] * w[j];
                }
            }
            dA[gold[t - 1]][gold[t]] -= 1;
        }
        return sc.logZ - score(e, a, s, f, gold);
    }

    /** log Z: the log-sum of the scores of all paths. */
    public static double logPartition(double[][] e, double[][] a, double[] s, double[] f) {
        Scaled sc = Scaled.forwardOnly(e, a, s, f);
        return sc != null ? sc.logZ : logPartition(forward(e, a, s), f);
    }

    /** Per-step tag marginals {@code p[t][k]}. */
    public static double[][] marginals(double[][] e, double[][] a, double[] s, double[] f) {
        Scaled sc = Scaled.of(e, a, s, f);
        if (sc == null) {
            return marginalsInLogSpace(e, a, s, f);
        }
        return sc.marginals();
    }

    /**
     * The forward-backward algorithm with scaling (Rabiner 1989): in probability space, each step's forward vector
     * normalised to sum 1, so a step costs K² multiply-adds and K exponentials instead of the log-space form's K²
     * exponentials. Exponentials are taken after subtracting each score group's maximum (the transitions, the start
     * and end scores, each step's emissions), so they lie in (0, 1]. Marginals are {@code α̂_t(j) β̂_t(j)}. When scores
     * are so spread that a step's sum underflows to 0, {@link #of} returns null and the log-space form is used.
     */
    private static final class Scaled {
        double[][] transition;
        double[][] emission;
        double[][] alpha;
        double[][] beta;
        double[] scale;
        double logZ;

        static Scaled forwardOnly(double[][] e, double[][] a, double[] s, double[] f) {
            int n = e.length;
            int k = s.length;
            Scaled sc = new Scaled();
            double aMax = max(a);
            sc.transition = new double[k][k];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    sc.transition[i][j] = Math.exp(a[i][j] - aMax);
                }
            }
            sc.emission = new double[n][];
            sc.alpha = new double[n][k];
            sc.scale = new double[n];
            double sMax = max(s);
            double logZ = sMax + (n - 1) * aMax;
            for (int t = 0; t < n; t++) {
                double m = max(e[t]);
                logZ += m;
                double[] em = new double[k];
                for (int j = 0; j < k; j++) {
                    em[j] = Math.exp(e[t][j] - m);
                }
                sc.emission[t] = em;
                double[] al = sc.alpha[t];
                if (t == 0) {
                    for (int j = 0; j < k; j++) {
                        al[j] = Math.exp(s[j] - sMax) * em[j];
                    }
                } else {
                    double[] prev = sc.alpha[t - 1];
                    for (int i = 0; i < k; i++) {
                        double pi = prev[i];
                        if (pi == 0) {
                            continue;
                        }
                        double[] ti = sc.transition[i];
                        for (int j = 0; j < k; j++) {
                            al[j] += pi * ti[j];
                        }
                    }
                    for (int j = 0; j < k; j++) {
                        al[j] *= em[j];
                    }
                }
                double c = 0;
                for (int j = 0; j < k; j++) {
                    c += al[j];
                }
                if (!(c > 0) || Double.isInfinite(c)) {
                    return null;
                }
                for (int j = 0; j < k; j++) {
                    al[j] /= c;
                }
                sc.scale[t] = c;
                logZ += Math.log(c);
            }
            double fMax = max(f);
            double d = 0;
            for (int j = 0; j < k; j++) {
                d += sc.alpha[n - 1][j] * Math.exp(f[j] - fMax);
            }
            if (!(d > 0)) {
                return null;
            }
            sc.logZ = logZ + fMax + Math.log(d);
            return sc;
        }

        static Scaled of(double[][] e, double[][] a, double[] s, double[] f) {
            Scaled sc = forwardOnly(e, a, s, f);
            if (sc == null) {
                return null;
            }
            int n = e.length;
            int k = s.length;
            double fMax = max(f);
            double d = 0;
            double[] fe = new double[k];
            for (int j = 0; j < k; j++) {
                fe[j] = Math.exp(f[j] - fMax);
                d += sc.alpha[n - 1][j] * fe[j];
            }
            sc.beta = new double[n][k];
            for (int j = 0; j < k; j++) {
                sc.beta[n - 1][j] = fe[j] / d;
            }
            double[] w = new double[k];
            for (int t = n - 2; t >= 0; t--) {
                for (int j = 0; j < k; j++) {
                    w[j] = sc.emission[t + 1][j] * sc.beta[t + 1][j] / sc.scale[t + 1];
                }
                for (int i = 0; i < k; i++) {
                    double[] ti = sc.transition[i];
                    double b = 0;
                    for (int j = 0; j < k; j++) {
                        b += ti[j] * w[j];
                    }
                    sc.beta[t][i] = b;
                }
            }
            return sc;
        }

        /** Per-step tag marginals {@code α̂_t(j) β̂_t(j)}. */
        double[][] marginals() {
            double[][] p = new double[alpha.length][alpha[0].length];
            for (int t = 0; t < p.length; t++) {
                for (int j = 0; j < p[t].length; j++) {
                    p[t][j] = alpha[t][j] * beta[t][j];
                }
            }
            return p;
        }

        private static double max(double[] v) {
            double m = Double.NEGATIVE_INFINITY;
            for (double x : v) {
                m = Math.max(m, x);
            }
            return m;
        }

        private static double max(double[][] v) {
            double m = Double.NEGATIVE_INFINITY;
            for (double[] row : v) {
                m = Math.max(m, max(row));
            }
            return m;
        }
    }

    /** {@link #nllAndGradient} in log space: the reference, and the fallback when scaling underflows. */
    static double nllAndGradientInLogSpace(double[][] e, double[][] a, double[] s, double[] f, int[] gold,
                                           double[][] dE, double[][] dA, double[] dS, double[] dF) {
        int n = e.length;
        int k = s.length;
        double[][] alpha = forward(e, a, s);
        double[][] beta = backward(e, a, f);
        double logZ = logPartition(alpha, f);
        addUnaryGradients(marginals(alpha, beta, logZ), gold, dE, dS, dF);
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

    /** {@link #marginals} in log space: the reference, and the fallback when scaling underflows. */
    static double[][] marginalsInLogSpace(double[][] e, double[][] a, double[] s, double[] f) {
        double[][] alpha = forward(e, a, s);
        double[][] beta = backward(e, a, f);
        return marginals(alpha, beta, logPartition(alpha, f));
    }

    private static double[][] marginals(double[][] alpha, double[][] beta, double logZ) {
        double[][] p = new double[alpha.length][alpha[0].length];
        for (int t = 0; t < p.length; t++) {
            for (int j = 0; j < p[t].length; j++) {
                p[t][j] = Math.exp(alpha[t][j] + beta[t][j] - logZ);
            }
        }
        return p;
    }

    /** The gradients of the NLL with respect to emissions, start and end scores, from the marginals {@code p}. */
    private static void addUnaryGradients(double[][] p, int[] gold, double[][] dE, double[] dS, double[] dF) {
        int n = p.length;
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < p[t].length; j++) {
                dE[t][j] += p[t][j];
            }
            dE[t][gold[t]] -= 1;
        }
        for (int j = 0; j < p[0].length; j++) {
            dS[j] += p[0][j];
            dF[j] += p[n - 1][j];
        }
        dS[gold[0]] -= 1;
        dF[gold[n - 1]] -= 1;
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
