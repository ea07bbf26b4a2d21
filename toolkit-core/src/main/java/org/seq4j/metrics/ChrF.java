package org.seq4j.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.seq4j.util.Checks;

/**
 * Corpus chrF (Popović 2015) with sacreBLEU 2.x's defaults: character n-grams of orders 1 to 6 with whitespace
 * removed, β = 2, no word n-grams. Match, hypothesis and reference n-gram counts are summed over the corpus per order;
 * each order gives {@code F_β = (1 + β²)·P·R / (β²·P + R)}, and the score is 100 × the mean over orders.
 */
public final class ChrF {

    public static final int ORDER = 6;
    public static final double BETA = 2.0;

    private ChrF() {
    }

    /** Corpus chrF of {@code hypotheses} against one reference each. */
    public static double corpus(List<String> hypotheses, List<String> references) {
        Checks.require(hypotheses.size() == references.size(), "chrF: %d hypotheses, %d references",
                hypotheses.size(), references.size());
        long[] hyp = new long[ORDER];
        long[] ref = new long[ORDER];
        long[] match = new long[ORDER];
        for (int i = 0; i < hypotheses.size(); i++) {
            String h = hypotheses.get(i).replaceAll("\\s+", "");
            String r = references.get(i).replaceAll("\\s+", "");
            for (int n = 1; n <= ORDER; n++) {
                Map<String, Integer> hc = charNgrams(h, n);
                Map<String, Integer> rc = charNgrams(r, n);
                for (Map.Entry<String, Integer> e : hc.entrySet()) {
                    hyp[n - 1] += e.getValue();
                    match[n - 1] += Math.min(e.getValue(), rc.getOrDefault(e.getKey(), 0));
                }
                for (int c : rc.values()) {
                    ref[n - 1] += c;
                }
            }
        }
        double eps = 1e-16;
        double factor = BETA * BETA;
        double score = 0;
        int effective = 0;
        for (int n = 0; n < ORDER; n++) {
            double p = hyp[n] > 0 ? (double) match[n] / hyp[n] : eps;
            double r = ref[n] > 0 ? (double) match[n] / ref[n] : eps;
            double denom = factor * p + r;
            score += denom > 0 ? (1 + factor) * p * r / denom : eps;
            if (hyp[n] > 0 && ref[n] > 0) {
                effective++;
            }
        }
        return effective == 0 ? 0 : 100 * score / effective;
    }

    static Map<String, Integer> charNgrams(String s, int n) {
        Map<String, Integer> m = new HashMap<>();
        int[] cps = s.codePoints().toArray();
        for (int i = 0; i + n <= cps.length; i++) {
            m.merge(new String(cps, i, n), 1, Integer::sum);
        }
        return m;
    }
}
