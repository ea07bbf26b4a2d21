package org.seq4j.tasks.translate;

import java.util.Locale;

import org.seq4j.util.Checks;

/**
 * How {@link Translator} searches for a translation. Beam size 1 is greedy decoding.
 *
 * @param beam           hypotheses kept per sentence at each step
 * @param lengthPenalty  how finished hypotheses of different lengths are compared ({@link LengthPenalty})
 * @param alpha          GNMT's α (Wu et al. 2016), used by {@link LengthPenalty#GNMT}
 * @param maxLengthRatio at most {@code ceil(ratio × source tokens) + 1} target tokens (the {@code </s>} included);
 *                       a hypothesis still open then is finished as it stands
 * @param nBest          hypotheses returned per sentence, best first ({@code <= beam})
 * @param replaceUnknown replace each {@code <unk>} in the output by the source token that got the most attention
 *                       at that step (Luong et al. 2015's unk replacement, without a dictionary); needs attention
 */
public record Decoding(int beam, LengthPenalty lengthPenalty, double alpha, double maxLengthRatio, int nBest,
                       boolean replaceUnknown) {

    /** Scores of finished hypotheses: the sum of the log-probabilities of their tokens ({@code </s>} included) ... */
    public enum LengthPenalty {
        /** ... as they are (favours short output). */
        NONE,
        /** ... divided by their length (OpenNMT-py's {@code avg}). */
        AVERAGE,
        /** ... divided by {@code ((5 + |Y|) / 6)^α} (GNMT). */
        GNMT;

        public static LengthPenalty parse(String s) {
            return switch (s == null ? "" : s.trim().toLowerCase(Locale.ROOT)) {
                case "none" -> NONE;
                case "avg", "average" -> AVERAGE;
                case "gnmt", "wu" -> GNMT;
                default -> throw new IllegalArgumentException("unknown length penalty '" + s
                        + "'; expected none, avg or gnmt");
            };
        }

        /** The score of a hypothesis of {@code length} tokens with summed log-probability {@code logProb}. */
        public double score(double logProb, int length, double alpha) {
            return switch (this) {
                case NONE -> logProb;
                case AVERAGE -> logProb / Math.max(1, length);
                case GNMT -> logProb / Math.pow((5.0 + length) / 6.0, alpha);
            };
        }
    }

    public Decoding {
        Checks.require(beam >= 1, "Decoding: beam must be >= 1, got %d", beam);
        Checks.require(lengthPenalty != null, "Decoding: lengthPenalty must be set");
        Checks.require(alpha >= 0 && Double.isFinite(alpha), "Decoding: alpha must be >= 0, got %s", alpha);
        Checks.require(maxLengthRatio > 0 && Double.isFinite(maxLengthRatio),
                "Decoding: maxLengthRatio must be > 0, got %s", maxLengthRatio);
        Checks.require(nBest >= 1 && nBest <= beam, "Decoding: nBest must be in [1, beam = %d], got %d", beam, nBest);
    }

    /** Greedy: the most probable token at each step. */
    public static Decoding greedy() {
        return new Decoding(1, LengthPenalty.NONE, 0, 2.0, 1, false);
    }

    /** Beam search of width {@code k} with average length normalisation (OpenNMT-py's defaults: beam 5, avg). */
    public static Decoding beam(int k) {
        return new Decoding(k, LengthPenalty.AVERAGE, 0, 2.0, 1, false);
    }

    public Decoding withLengthPenalty(LengthPenalty p, double a) {
        return new Decoding(beam, p, a, maxLengthRatio, nBest, replaceUnknown);
    }

    public Decoding withMaxLengthRatio(double r) {
        return new Decoding(beam, lengthPenalty, alpha, r, nBest, replaceUnknown);
    }

    public Decoding withNBest(int n) {
        return new Decoding(beam, lengthPenalty, alpha, maxLengthRatio, n, replaceUnknown);
    }

    public Decoding withReplaceUnknown(boolean on) {
        return new Decoding(beam, lengthPenalty, alpha, maxLengthRatio, nBest, on);
    }

    /** The most target steps for a source of {@code sourceTokens} tokens. */
    public int maxSteps(int sourceTokens) {
        return (int) Math.ceil(maxLengthRatio * sourceTokens) + 1;
    }
}
