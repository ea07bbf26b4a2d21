package org.seq4j.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.seq4j.util.Checks;
import org.seq4j.util.UnicodeSpace;

/**
 * BLEU (Papineni et al. 2002) exactly as sacreBLEU 2.x computes it (Post 2018): corpus statistics of clipped n-gram
 * matches (n = 1…4) against one or more references (the per-n-gram maximum over references; the reference length
 * closest to the hypothesis, the shorter on a tie), the brevity penalty {@code exp(1 − r/c)} when {@code c < r},
 * smoothing ({@link Smoothing}, default {@code exp}), a choice of tokenizer ({@link Tokenizer}, default 13a),
 * optional lowercasing, and whitespace as Python's {@code str.split} sees it (no-break and other Unicode spaces
 * included). {@code MetricsTest} holds it to values sacreBLEU 2.6.0 produced
 * ({@code toolkit-core/src/test/resources/metrics/make_golden.py}).
 *
 * <pre>{@code
 * double bleu = Bleu.corpus(hypotheses, references).score();               // sacreBLEU's defaults
 * Bleu.Result r = Bleu.corpus(hypotheses, List.of(refsA, refsB), Bleu.Options.DEFAULT.lowercase(true));
 * String sig = Bleu.Options.DEFAULT.signature(1);                          // nrefs:1|case:mixed|eff:no|tok:13a|…
 * }</pre>
 */
public final class Bleu {

    /** n-gram orders used. */
    public static final int ORDER = 4;

    /** How zero n-gram counts are smoothed (Chen and Cherry 2014). */
    public enum Smoothing {
        /** None: a corpus without one matching n-gram of some order scores 0. */
        NONE,
        /** Method 1: a zero match count becomes {@code value} (default 0.1). */
        FLOOR,
        /** Method 2: {@code value} (default 1) added to matches and totals of orders 2 to 4. */
        ADD_K,
        /** Method 3, NIST's (mteval-v13a): the k-th order with no match gets precision {@code 1 / (2^k · total)}. */
        EXP;

        double defaultValue() {
            return this == FLOOR ? 0.1 : this == ADD_K ? 1 : 0;
        }

        String signatureName() {
            return this == ADD_K ? "add-k" : name().toLowerCase(Locale.ROOT);
        }

        public static Smoothing parse(String s) {
            return switch (s == null ? "" : s.trim().toLowerCase(Locale.ROOT)) {
                case "none" -> NONE;
                case "floor" -> FLOOR;
                case "add-k", "add_k", "addk" -> ADD_K;
                case "exp" -> EXP;
                default -> throw new IllegalArgumentException("unknown BLEU smoothing '" + s
                        + "'; expected none, floor, add-k or exp");
            };
        }
    }

    /** sacreBLEU's tokenizers that need no external resources. */
    public enum Tokenizer {
        /** mteval-v13a: punctuation split off; periods and commas kept between digits (sacreBLEU's default). */
        T13A,
        /** mteval-v14 international: Unicode punctuation split off unless next to a digit, symbols always. */
        INTL,
        /** Every character a token (for languages written without spaces). */
        CHAR,
        /** The text as it is, split at whitespace. */
        NONE;

        public String signatureName() {
            return this == T13A ? "13a" : name().toLowerCase(Locale.ROOT);
        }

        public static Tokenizer parse(String s) {
            return switch (s == null ? "" : s.trim().toLowerCase(Locale.ROOT)) {
                case "13a" -> T13A;
                case "intl" -> INTL;
                case "char" -> CHAR;
                case "none" -> NONE;
                default -> throw new IllegalArgumentException("unknown BLEU tokenizer '" + s
                        + "'; expected 13a, intl, char or none");
            };
        }

        /** The tokenized line, tokens joined by single spaces. */
        public String apply(String line) {
            return switch (this) {
                case T13A -> tokenize13a(line);
                case INTL -> tokenizeIntl(line);
                case CHAR -> tokenizeChar(line);
                case NONE -> line;
            };
        }
    }

    /**
     * @param smoothValue    the value of {@code floor} or {@code add-k}; NaN for the method's default
     * @param effectiveOrder average only over the orders that have n-grams (for sentence-level BLEU)
     */
    public record Options(Tokenizer tokenizer, boolean lowercase, Smoothing smoothing, double smoothValue,
                          boolean effectiveOrder) {

        /** sacreBLEU's corpus defaults: 13a, case-sensitive, exp smoothing, all four orders. */
        public static final Options DEFAULT = new Options(Tokenizer.T13A, false, Smoothing.EXP, Double.NaN, false);

        /** sacreBLEU's {@code sentence_bleu} defaults: as {@link #DEFAULT} with the effective order. */
        public static final Options SENTENCE = DEFAULT.effective(true);

        public Options {
            Checks.require(tokenizer != null && smoothing != null, "BLEU: tokenizer and smoothing must be set");
        }

        public Options tokenize(Tokenizer t) {
            return new Options(t, lowercase, smoothing, smoothValue, effectiveOrder);
        }

        public Options lowercase(boolean on) {
            return new Options(tokenizer, on, smoothing, smoothValue, effectiveOrder);
        }

        public Options smooth(Smoothing s, double value) {
            return new Options(tokenizer, lowercase, s, value, effectiveOrder);
        }

        public Options effective(boolean on) {
            return new Options(tokenizer, lowercase, smoothing, smoothValue, on);
        }

        double value() {
            return Double.isNaN(smoothValue) ? smoothing.defaultValue() : smoothValue;
        }

        /** sacreBLEU's signature: {@code nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:seq4j}. */
        public String signature(int references) {
            String smooth = smoothing.signatureName() + (smoothing == Smoothing.FLOOR || smoothing == Smoothing.ADD_K
                    ? String.format(Locale.ROOT, "[%.2f]", value()) : "");
            return "nrefs:" + references + "|case:" + (lowercase ? "lc" : "mixed") + "|eff:"
                    + (effectiveOrder ? "yes" : "no") + "|tok:" + tokenizer.signatureName() + "|smooth:" + smooth
                    + "|version:seq4j";
        }
    }

    /**
     * The score (0–100) and its parts: n-gram precisions in percent (smoothed), the brevity penalty, and the
     * system and (closest) reference lengths in tokens.
     */
    public record Result(double score, double[] precisions, double brevityPenalty, long systemLength,
                         long referenceLength) {
    }

    private static final Pattern[] PATTERNS_13A = {
        Pattern.compile("([\\{-\\~\\[-\\` -\\&\\(-\\+\\:-\\@\\/])"),
        Pattern.compile("([^0-9])([\\.,])"),
        Pattern.compile("([\\.,])([^0-9])"),
        Pattern.compile("([0-9])(-)"),
    };
    private static final String[] REPLACEMENTS_13A = {" $1 ", "$1 $2 ", " $1 $2", "$1 $2 "};
    private static final Pattern[] PATTERNS_INTL = {
        Pattern.compile("(\\P{N})(\\p{P})"),
        Pattern.compile("(\\p{P})(\\P{N})"),
        Pattern.compile("(\\p{S})"),
    };
    private static final String[] REPLACEMENTS_INTL = {"$1 $2 ", " $1 $2", " $1 "};

    private Bleu() {
    }

    /** The 13a tokenization: punctuation split off, periods and commas split unless between digits. */
    public static String tokenize13a(String line) {
        String s = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ");
        if (s.contains("&")) {
            s = s.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
        }
        return joined(replaceAll(" " + s + " ", PATTERNS_13A, REPLACEMENTS_13A));
    }

    /** The intl (mteval-v14 international) tokenization. */
    public static String tokenizeIntl(String line) {
        return joined(replaceAll(line, PATTERNS_INTL, REPLACEMENTS_INTL));
    }

    /** Every character (code point) a token; spaces dropped. */
    public static String tokenizeChar(String line) {
        List<String> chars = new ArrayList<>();
        line.codePoints().forEach(cp -> chars.add(new String(Character.toChars(cp))));
        return joined(String.join(" ", chars));
    }

    private static String replaceAll(String s, Pattern[] patterns, String[] replacements) {
        for (int i = 0; i < patterns.length; i++) {
            s = patterns[i].matcher(s).replaceAll(replacements[i]);
        }
        return s;
    }

    private static String joined(String s) {
        return String.join(" ", UnicodeSpace.split(s));
    }

    /** Corpus BLEU with sacreBLEU's defaults against one reference per hypothesis. */
    public static Result corpus(List<String> hypotheses, List<String> references) {
        return corpus(hypotheses, List.of(references), Options.DEFAULT);
    }

    /**
     * Corpus BLEU against reference streams: {@code references.get(k).get(i)} is the k-th reference of hypothesis
     * i. A reference that is null or empty is left out for that sentence (a variable number of references); each
     * sentence needs at least one.
     */
    public static Result corpus(List<String> hypotheses, List<List<String>> references, Options options) {
        Checks.require(options != null, "BLEU: options must not be null");
        MetricInput.check("BLEU", hypotheses, references);
        long[] matches = new long[ORDER];
        long[] totals = new long[ORDER];
        long sys = 0;
        long ref = 0;
        for (int i = 0; i < hypotheses.size(); i++) {
            String[] h = tokens(hypotheses.get(i), options);
            Map<String, Integer> maxRef = new HashMap<>();
            int closestDiff = Integer.MAX_VALUE;
            int closestLength = 0;
            for (String r : MetricInput.referencesOf(references, i)) {
                String[] t = tokens(r, options);
                int diff = Math.abs(h.length - t.length);
                if (diff < closestDiff || (diff == closestDiff && t.length < closestLength)) {
                    closestDiff = diff;
                    closestLength = t.length;
                }
                ngrams(t).forEach((g, c) -> maxRef.merge(g, c, Math::max));
            }
            sys += h.length;
            ref += closestLength;
            for (Map.Entry<String, Integer> e : ngrams(h).entrySet()) {
                int n = order(e.getKey());
                matches[n - 1] += Math.min(e.getValue(), maxRef.getOrDefault(e.getKey(), 0));
                totals[n - 1] += e.getValue();
            }
        }
        return compute(matches, totals, sys, ref, options);
    }

    /** Sentence BLEU as sacreBLEU's {@code sentence_bleu}: exp smoothing and the effective order. */
    public static Result sentence(String hypothesis, List<String> references) {
        return corpus(List.of(hypothesis), MetricInput.sentenceStreams(references), Options.SENTENCE);
    }

    static Result compute(long[] matchCounts, long[] totalCounts, long sys, long ref, Options options) {
        double[] correct = new double[ORDER];
        double[] total = new double[ORDER];
        boolean anyMatch = false;
        for (int n = 0; n < ORDER; n++) {
            correct[n] = matchCounts[n];
            total[n] = totalCounts[n];
            anyMatch |= matchCounts[n] > 0;
        }
        double bp = sys < ref ? (sys > 0 ? Math.exp(1 - (double) ref / sys) : 0.0) : 1.0;
        double[] precisions = new double[ORDER];
        if (!anyMatch) {
            return new Result(0.0, precisions, bp, sys, ref);
        }
        double value = options.value();
        double smoothMteval = 1;
        int effective = ORDER;
        for (int n = 1; n <= ORDER; n++) {
            if (options.smoothing() == Smoothing.ADD_K && n > 1) {
                correct[n - 1] += value;
                total[n - 1] += value;
            }
            if (total[n - 1] == 0) {
                break;
            }
            if (options.effectiveOrder()) {
                effective = n;
            }
            if (correct[n - 1] == 0) {
                if (options.smoothing() == Smoothing.EXP) {
                    smoothMteval *= 2;
                    precisions[n - 1] = 100.0 / (smoothMteval * total[n - 1]);
                } else if (options.smoothing() == Smoothing.FLOOR) {
                    precisions[n - 1] = 100.0 * value / total[n - 1];
                }
            } else {
                precisions[n - 1] = 100.0 * correct[n - 1] / total[n - 1];
            }
        }
        double logSum = 0;
        for (int n = 0; n < effective; n++) {
            logSum += precisions[n] == 0 ? -9999999999.0 : Math.log(precisions[n]);   // sacreBLEU's my_log
        }
        return new Result(bp * Math.exp(logSum / effective), precisions, bp, sys, ref);
    }

    private static String[] tokens(String s, Options options) {
        String line = options.lowercase() ? s.toLowerCase(Locale.ROOT) : s;
        String t = options.tokenizer().apply(UnicodeSpace.stripTrailing(line));
        List<String> parts = UnicodeSpace.split(t);
        return parts.toArray(new String[0]);
    }

    private static int order(String ngram) {
        int n = 1;
        for (int i = 0; i < ngram.length(); i++) {
            if (ngram.charAt(i) == ' ') {
                n++;
            }
        }
        return n;
    }

    /** All n-grams of orders 1…4, joined by single spaces (tokens never contain spaces). */
    static Map<String, Integer> ngrams(String[] t) {
        Map<String, Integer> m = new HashMap<>();
        for (int n = 1; n <= ORDER; n++) {
            for (int i = 0; i + n <= t.length; i++) {
                m.merge(String.join(" ", java.util.Arrays.copyOfRange(t, i, i + n)), 1, Integer::sum);
            }
        }
        return m;
    }
}
