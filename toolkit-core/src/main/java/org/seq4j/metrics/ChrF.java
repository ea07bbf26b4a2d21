package org.seq4j.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.seq4j.util.Checks;
import org.seq4j.util.UnicodeSpace;

/**
 * chrF (Popović 2015) and chrF++ (Popović 2017) exactly as sacreBLEU 2.x computes them: character n-grams of orders
 * 1…{@code charOrder} with whitespace removed (Python's notion of whitespace) and, for chrF++, word n-grams of orders
 * 1…{@code wordOrder} after splitting one punctuation mark off each word's end (or else its start). Hypothesis,
 * reference and match counts are summed over the corpus per order (a hypothesis order counts only when the reference
 * has n-grams of that order); precision and recall are averaged over the orders that have n-grams on both sides,
 * and combined into one {@code F_β = (1+β²)·P·R / (β²·P + R)} (sacreBLEU's default; {@code epsSmoothing} instead
 * averages the per-order F with ε for empty orders, as chrF++.py, Moses and NLTK do). With several references, each
 * sentence uses the one with the best sentence-level score. {@code MetricsTest} holds it to sacreBLEU 2.6.0's values.
 */
public final class ChrF {

    public static final int CHAR_ORDER = 6;
    public static final int BETA = 2;
    private static final Set<Integer> PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".chars().boxed()
            .collect(java.util.stream.Collectors.toSet());

    /**
     * @param charOrder    character n-gram orders
     * @param wordOrder    word n-gram orders: 0 for chrF, 2 for chrF++
     * @param whitespace   keep whitespace inside character n-grams
     * @param epsSmoothing chrF++.py's ε smoothing instead of sacreBLEU's effective order
     */
    public record Options(int charOrder, int wordOrder, int beta, boolean lowercase, boolean whitespace,
                          boolean epsSmoothing) {

        /** sacreBLEU's chrF defaults: chrF2, 6 character orders, no word n-grams. */
        public static final Options CHRF = new Options(CHAR_ORDER, 0, BETA, false, false, false);
        /** chrF++: chrF with word unigrams and bigrams. */
        public static final Options CHRF_PLUS_PLUS = new Options(CHAR_ORDER, 2, BETA, false, false, false);

        public Options {
            Checks.require(charOrder >= 0 && wordOrder >= 0 && charOrder + wordOrder > 0,
                    "chrF: need charOrder, wordOrder >= 0 and at least one order, got %d and %d", charOrder,
                    wordOrder);
            Checks.require(beta >= 1, "chrF: beta must be >= 1, got %d", beta);
        }

        public Options lowercase(boolean on) {
            return new Options(charOrder, wordOrder, beta, on, whitespace, epsSmoothing);
        }

        int order() {
            return charOrder + wordOrder;
        }

        /** sacreBLEU's signature, e.g. {@code nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:seq4j}. */
        public String signature(int references) {
            return "nrefs:" + references + "|case:" + (lowercase ? "lc" : "mixed") + "|eff:"
                    + (epsSmoothing ? "no" : "yes") + "|nc:" + charOrder + "|nw:" + wordOrder + "|space:"
                    + (whitespace ? "yes" : "no") + "|version:seq4j";
        }

        /** {@code chrF2} or {@code chrF2++}. */
        public String name() {
            return "chrF" + beta + "+".repeat(wordOrder);
        }
    }

    private ChrF() {
    }

    /** Corpus chrF with sacreBLEU's defaults against one reference per hypothesis. */
    public static double corpus(List<String> hypotheses, List<String> references) {
        return corpus(hypotheses, List.of(references), Options.CHRF);
    }

    /** Corpus chrF(++) against reference streams ({@code references.get(k).get(i)}: k-th reference of sentence i). */
    public static double corpus(List<String> hypotheses, List<List<String>> references, Options options) {
        Checks.require(options != null, "chrF: options must not be null");
        MetricInput.check("chrF", hypotheses, references);
        long[] total = new long[3 * options.order()];
        for (int i = 0; i < hypotheses.size(); i++) {
            long[] best = null;
            double bestScore = -1;
            List<Map<String, Integer>> hyp = ngrams(prepare(hypotheses.get(i), options), options);
            for (String r : MetricInput.referencesOf(references, i)) {
                long[] stats = statistics(hyp, ngrams(prepare(r, options), options));
                double f = score(stats, options);
                if (f > bestScore) {
                    bestScore = f;
                    best = stats;
                }
            }
            for (int j = 0; j < total.length; j++) {
                total[j] += best[j];
            }
        }
        return score(total, options);
    }

    /** chrF of one sentence. */
    public static double sentence(String hypothesis, List<String> references, Options options) {
        return corpus(List.of(hypothesis), MetricInput.sentenceStreams(references), options);
    }

    private static String prepare(String s, Options options) {
        return options.lowercase() ? s.toLowerCase(Locale.ROOT) : s;
    }

    /** Character n-gram counts of orders 1…charOrder, then word n-gram counts of orders 1…wordOrder. */
    private static List<Map<String, Integer>> ngrams(String s, Options options) {
        List<Map<String, Integer>> out = new ArrayList<>();
        String chars = options.whitespace() ? s : String.join("", UnicodeSpace.split(s));
        int[] cps = chars.codePoints().toArray();
        for (int n = 1; n <= options.charOrder(); n++) {
            Map<String, Integer> m = new HashMap<>();
            for (int i = 0; i + n <= cps.length; i++) {
                m.merge(new String(cps, i, n), 1, Integer::sum);
            }
            out.add(m);
        }
        List<String> words = options.wordOrder() > 0 ? splitPunctuation(s) : List.of();
        for (int n = 1; n <= options.wordOrder(); n++) {
            Map<String, Integer> m = new HashMap<>();
            for (int i = 0; i + n <= words.size(); i++) {
                m.merge(String.join(" ", words.subList(i, i + n)), 1, Integer::sum);
            }
            out.add(m);
        }
        return out;
    }

    /** chrF++'s words: split at whitespace; one ASCII punctuation mark split off a word's end, or else its start. */
    private static List<String> splitPunctuation(String s) {
        List<String> out = new ArrayList<>();
        for (String w : UnicodeSpace.split(s)) {
            if (w.codePointCount(0, w.length()) == 1) {
                out.add(w);
            } else if (PUNCTUATION.contains(w.codePointBefore(w.length()))) {
                int cut = w.offsetByCodePoints(w.length(), -1);
                out.add(w.substring(0, cut));
                out.add(w.substring(cut));
            } else if (PUNCTUATION.contains(w.codePointAt(0))) {
                int cut = w.offsetByCodePoints(0, 1);
                out.add(w.substring(0, cut));
                out.add(w.substring(cut));
            } else {
                out.add(w);
            }
        }
        return out;
    }

    /** Per order: hypothesis n-grams (0 when the reference has none of that order), reference n-grams, matches. */
    private static long[] statistics(List<Map<String, Integer>> hyp, List<Map<String, Integer>> ref) {
        long[] s = new long[3 * hyp.size()];
        for (int o = 0; o < hyp.size(); o++) {
            long hypCount = 0;
            long match = 0;
            Map<String, Integer> r = ref.get(o);
            for (Map.Entry<String, Integer> e : hyp.get(o).entrySet()) {
                hypCount += e.getValue();
                Integer rc = r.get(e.getKey());
                if (rc != null) {
                    match += Math.min(e.getValue(), rc);
                }
            }
            long refCount = 0;
            for (int c : r.values()) {
                refCount += c;
            }
            s[3 * o] = r.isEmpty() ? 0 : hypCount;
            s[3 * o + 1] = refCount;
            s[3 * o + 2] = match;
        }
        return s;
    }

    private static double score(long[] stats, Options options) {
        double eps = 1e-16;
        double factor = (double) options.beta() * options.beta();
        double score = 0;
        double avgPrecision = 0;
        double avgRecall = 0;
        int effective = 0;
        for (int o = 0; o < options.order(); o++) {
            long nHyp = stats[3 * o];
            long nRef = stats[3 * o + 1];
            long nMatch = stats[3 * o + 2];
            double p = nHyp > 0 ? (double) nMatch / nHyp : eps;
            double r = nRef > 0 ? (double) nMatch / nRef : eps;
            double denom = factor * p + r;
            score += denom > 0 ? (1 + factor) * p * r / denom : eps;
            if (nHyp > 0 && nRef > 0) {
                avgPrecision += p;
                avgRecall += r;
                effective++;
            }
        }
        if (options.epsSmoothing()) {
            return 100 * score / options.order();
        }
        if (effective == 0) {
            return 0;
        }
        avgPrecision /= effective;
        avgRecall /= effective;
        if (avgPrecision + avgRecall == 0) {
            return 0;
        }
        return 100 * (1 + factor) * avgPrecision * avgRecall / (factor * avgPrecision + avgRecall);
    }
}
