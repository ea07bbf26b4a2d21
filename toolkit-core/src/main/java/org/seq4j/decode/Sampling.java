package org.seq4j.decode;

import java.util.Arrays;
import java.util.Random;

import org.seq4j.util.Checks;

/**
 * How to pick the next token from a model's distribution: greedy ({@code temperature = 0}), or sampling with a
 * temperature, top-k (Fan et al. 2018) and nucleus / top-p (Holtzman et al. 2020) truncation, applied in that order
 * as in Hugging Face's {@code generate}: {@code p_i ∝ p_i^{1/τ}}, keep the {@code k} most likely tokens, keep the
 * smallest most-likely set whose mass reaches {@code p}, renormalise, draw.
 *
 * @param temperature τ ≥ 0; 0 is greedy (argmax), 1 the model's own distribution
 * @param topK        keep the k most likely tokens; 0 for all
 * @param topP        keep the nucleus of mass p, in (0, 1]; 1 for all
 */
public record Sampling(double temperature, int topK, double topP) {

    public Sampling {
        Checks.require(temperature >= 0 && Double.isFinite(temperature),
                "Sampling: temperature must be a finite number >= 0, got %s", temperature);
        Checks.require(topK >= 0, "Sampling: top-k must be >= 0 (0: all tokens), got %d", topK);
        Checks.require(topP > 0 && topP <= 1, "Sampling: top-p must be in (0, 1], got %s", topP);
    }

    /** Always the most likely token. */
    public static Sampling greedy() {
        return new Sampling(0, 0, 1);
    }

    /** Plain sampling from the model's distribution. */
    public static Sampling ancestral() {
        return new Sampling(1, 0, 1);
    }

    /** The distribution this sampling draws from, given the model's probabilities (not modified). */
    public double[] distribution(double[] probs) {
        Checks.require(probs.length > 0, "Sampling: empty distribution");
        int n = probs.length;
        double[] q = new double[n];
        if (temperature == 0) {
            q[argmax(probs)] = 1;
            return q;
        }
        for (int i = 0; i < n; i++) {
            Checks.require(probs[i] >= 0 && Double.isFinite(probs[i]),
                    "Sampling: probability %d is %s, expected a finite number >= 0", i, probs[i]);
            q[i] = probs[i] == 0 ? 0 : Math.exp(Math.log(probs[i]) / temperature);
        }
        normalise(q);
        Integer[] order = null;
        if (topK > 0 && topK < n) {
            order = byProbability(q);
            for (int r = topK; r < n; r++) {
                q[order[r]] = 0;
            }
            normalise(q);
        }
        if (topP < 1) {
            if (order == null) {
                order = byProbability(q);
            }
            double mass = 0;
            int r = 0;
            while (r < n && mass < topP) {
                mass += q[order[r]];
                r++;
            }
            for (; r < n; r++) {
                q[order[r]] = 0;
            }
            normalise(q);
        }
        return q;
    }

    /** The next token: argmax when greedy, otherwise a draw from {@link #distribution}. */
    public int pick(double[] probs, Random rng) {
        if (temperature == 0) {
            return argmax(probs);
        }
        double[] q = distribution(probs);
        double u = rng.nextDouble();
        double c = 0;
        int last = 0;
        for (int i = 0; i < q.length; i++) {
            if (q[i] > 0) {
                c += q[i];
                last = i;
                if (u < c) {
                    return i;
                }
            }
        }
        return last;
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    private static void normalise(double[] q) {
        double s = Arrays.stream(q).sum();
        Checks.require(s > 0, "Sampling: the distribution has no mass");
        for (int i = 0; i < q.length; i++) {
            q[i] /= s;
        }
    }

    private static Integer[] byProbability(double[] q) {
        Integer[] order = new Integer[q.length];
        for (int i = 0; i < q.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(q[b], q[a]));
        return order;
    }
}
