package org.seq4j.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.seq4j.util.Checks;

/**
 * Corpus BLEU-4 (Papineni et al. 2002) as sacreBLEU computes it by default (Post 2018): the "13a" tokenization of
 * mteval-v13a, case-sensitive, n-gram precisions clipped by the reference counts and summed over the corpus,
 * uniform weights, and the brevity penalty {@code exp(1 − r/c)} when the system output (c tokens) is shorter than the
 * references (r tokens). No smoothing: a corpus without a single matching 4-gram scores 0 (sacreBLEU's default "exp"
 * smoothing only differs in that case). One reference per sentence.
 */
public final class Bleu {

    private static final Pattern[] PATTERNS = {
        Pattern.compile("([\\{-\\~\\[-\\` -\\&\\(-\\+\\:-\\@\\/])"),
        Pattern.compile("([^0-9])([\\.,])"),
        Pattern.compile("([\\.,])([^0-9])"),
        Pattern.compile("([0-9])(-)"),
    };
    private static final String[] REPLACEMENTS = {" $1 ", "$1 $2 ", " $1 $2", "$1 $2 "};

    /** The score and its parts. */
    public record Result(double score, double[] precisions, double brevityPenalty, long systemLength,
                         long referenceLength) {
    }

    private Bleu() {
    }

    /** The 13a tokenization: punctuation split off, periods and commas split unless between digits. */
    public static String tokenize13a(String line) {
        String s = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ");
        if (s.contains("&")) {
            s = s.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
        }
        s = " " + s + " ";
        for (int i = 0; i < PATTERNS.length; i++) {
            s = PATTERNS[i].matcher(s).replaceAll(REPLACEMENTS[i]);
        }
        return String.join(" ", s.trim().split("\\s+"));
    }

    /** Corpus BLEU of {@code hypotheses} against one reference each (untokenized text). */
    public static Result corpus(List<String> hypotheses, List<String> references) {
        Checks.require(hypotheses.size() == references.size(), "BLEU: %d hypotheses, %d references",
                hypotheses.size(), references.size());
        long[] matches = new long[4];
        long[] totals = new long[4];
        long sys = 0;
        long ref = 0;
        for (int i = 0; i < hypotheses.size(); i++) {
            String[] h = tokens(hypotheses.get(i));
            String[] r = tokens(references.get(i));
            sys += h.length;
            ref += r.length;
            for (int n = 1; n <= 4; n++) {
                Map<String, Integer> hc = ngrams(h, n);
                Map<String, Integer> rc = ngrams(r, n);
                for (Map.Entry<String, Integer> e : hc.entrySet()) {
                    matches[n - 1] += Math.min(e.getValue(), rc.getOrDefault(e.getKey(), 0));
                }
                totals[n - 1] += Math.max(0, h.length - n + 1);
            }
        }
        double[] precisions = new double[4];
        double logSum = 0;
        boolean zero = false;
        for (int n = 0; n < 4; n++) {
            precisions[n] = totals[n] == 0 ? 0 : (double) matches[n] / totals[n];
            if (matches[n] == 0) {
                zero = true;
            } else {
                logSum += Math.log(precisions[n]);
            }
        }
        double bp = sys == 0 ? 0 : sys < ref ? Math.exp(1 - (double) ref / sys) : 1.0;
        double score = zero ? 0 : 100 * bp * Math.exp(logSum / 4);
        return new Result(score, precisions, bp, sys, ref);
    }

    private static String[] tokens(String s) {
        String t = tokenize13a(s);
        return t.isEmpty() ? new String[0] : t.split(" ");
    }

    static Map<String, Integer> ngrams(String[] t, int n) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i + n <= t.length; i++) {
            m.merge(String.join("\u0001", java.util.Arrays.copyOfRange(t, i, i + n)), 1, Integer::sum);
        }
        return m;
    }
}
