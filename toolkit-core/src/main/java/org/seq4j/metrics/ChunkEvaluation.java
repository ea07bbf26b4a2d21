package org.seq4j.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.seq4j.util.Checks;

/**
 * Chunk-level precision, recall and F1 with the semantics of the CoNLL shared tasks' {@code conlleval} script, and
 * token accuracy. Tags are {@code O} or {@code PREFIX-TYPE}.
 * <ul>
 *   <li>{@link Scheme#BIO}: prefixes B and I. As in conlleval, an {@code I-X} that does not continue an X chunk
 *       starts one, and a chunk ends where the type changes.</li>
 *   <li>{@link Scheme#IOBES}: prefixes B, I, E, S; {@code S-X} is read as {@code B-X} and {@code E-X} as {@code I-X},
 *       which gives the same chunks.</li>
 * </ul>
 * A chunk counts as correct only when its start, end and type all match. A tag that the scheme does not allow is an
 * error, not a silent O.
 */
public final class ChunkEvaluation {

    /** Tagging schemes. */
    public enum Scheme {
        BIO("BI"), IOBES("BIES");

        private final String prefixes;

        Scheme(String prefixes) {
            this.prefixes = prefixes;
        }

        /** The scheme named {@code name} (bio, iob2, iobes, bioes). */
        public static Scheme parse(String name) {
            return switch (name.trim().toUpperCase(Locale.ROOT)) {
                case "BIO", "IOB2" -> BIO;
                case "IOBES", "BIOES" -> IOBES;
                default -> throw new IllegalArgumentException("Unknown tag scheme '" + name
                        + "'; expected bio (iob2) or iobes (bioes)");
            };
        }
    }

    /** Counts for one chunk type (or all types): found in gold, found in the prediction, and correct. */
    public record Counts(long gold, long predicted, long correct) {
        public double precision() {
            return predicted == 0 ? 0 : (double) correct / predicted;
        }

        public double recall() {
            return gold == 0 ? 0 : (double) correct / gold;
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
    }

    /** The evaluation of a corpus. */
    public record Result(Counts overall, Map<String, Counts> byType, long tokens, long correctTokens) {
        public double tokenAccuracy() {
            return tokens == 0 ? 0 : (double) correctTokens / tokens;
        }
    }

    private ChunkEvaluation() {
    }

    /** Evaluates predicted against gold tag sequences, sentence by sentence. */
    public static Result evaluate(List<List<String>> gold, List<List<String>> predicted, Scheme scheme) {
        Checks.require(gold.size() == predicted.size(), "ChunkEvaluation: %d gold sentences, %d predicted",
                gold.size(), predicted.size());
        Map<String, long[]> perType = new TreeMap<>();   // gold, predicted, correct
        long[] all = new long[3];
        long tokens = 0;
        long correctTokens = 0;
        for (int s = 0; s < gold.size(); s++) {
            List<String> g = gold.get(s);
            List<String> p = predicted.get(s);
            Checks.require(g.size() == p.size(), "ChunkEvaluation: sentence %d has %d gold tags and %d predicted",
                    s, g.size(), p.size());
            List<String[]> gs = new ArrayList<>();
            List<String[]> ps = new ArrayList<>();
            for (int i = 0; i < g.size(); i++) {
                gs.add(split(g.get(i), scheme, s, i));
                ps.add(split(p.get(i), scheme, s, i));
                tokens++;
                if (g.get(i).equals(p.get(i))) {
                    correctTokens++;
                }
            }
            gs.add(new String[] {"O", ""});   // sentence boundary closes every chunk, as in conlleval
            ps.add(new String[] {"O", ""});
            count(gs, ps, perType, all);
        }
        Map<String, Counts> byType = new TreeMap<>();
        perType.forEach((k, v) -> byType.put(k, new Counts(v[0], v[1], v[2])));
        return new Result(new Counts(all[0], all[1], all[2]), byType, tokens, correctTokens);
    }

    /** conlleval's counting loop over one sentence (plus its closing O). */
    private static void count(List<String[]> gold, List<String[]> pred, Map<String, long[]> perType, long[] all) {
        boolean inCorrect = false;
        String lastG = "O";
        String lastGType = "";
        String lastP = "O";
        String lastPType = "";
        for (int i = 0; i < gold.size(); i++) {
            String g = gold.get(i)[0];
            String gType = gold.get(i)[1];
            String p = pred.get(i)[0];
            String pType = pred.get(i)[1];
            boolean endG = endOfChunk(lastG, g, lastGType, gType);
            boolean endP = endOfChunk(lastP, p, lastPType, pType);
            boolean startG = startOfChunk(lastG, g, lastGType, gType);
            boolean startP = startOfChunk(lastP, p, lastPType, pType);
            if (inCorrect) {
                if (endG && endP && lastPType.equals(lastGType)) {
                    inCorrect = false;
                    all[2]++;
                    perType.computeIfAbsent(lastGType, k -> new long[3])[2]++;
                } else if (endG != endP || !pType.equals(gType)) {
                    inCorrect = false;
                }
            }
            if (startG && startP && pType.equals(gType)) {
                inCorrect = true;
            }
            if (startG) {
                all[0]++;
                perType.computeIfAbsent(gType, k -> new long[3])[0]++;
            }
            if (startP) {
                all[1]++;
                perType.computeIfAbsent(pType, k -> new long[3])[1]++;
            }
            lastG = g;
            lastGType = gType;
            lastP = p;
            lastPType = pType;
        }
    }

    static boolean endOfChunk(String prev, String tag, String prevType, String type) {
        return (prev.equals("B") && tag.equals("B"))
                || (prev.equals("B") && tag.equals("O"))
                || (prev.equals("I") && tag.equals("B"))
                || (prev.equals("I") && tag.equals("O"))
                || (!prev.equals("O") && !prevType.equals(type));
    }

    static boolean startOfChunk(String prev, String tag, String prevType, String type) {
        return (prev.equals("B") && tag.equals("B"))
                || (prev.equals("I") && tag.equals("B"))
                || (prev.equals("O") && tag.equals("B"))
                || (prev.equals("O") && tag.equals("I"))
                || (!tag.equals("O") && !prevType.equals(type));
    }

    /**
     * The chunk tags of one sentence in another scheme, with the same chunks as conlleval reads them: BIO → IOBES
     * marks single-token chunks S and last tokens E (an I that starts a chunk, after O or another type, counts as a
     * B, as conlleval counts it); IOBES → BIO writes S as B and E as I (what conlleval, which has no IOBES rules,
     * must be given). Invalid tags are an error naming the token.
     */
    public static List<String> convert(List<String> tags, Scheme from, Scheme to) {
        List<String[]> split = new ArrayList<>(tags.size());
        for (int i = 0; i < tags.size(); i++) {
            split.add(split(tags.get(i), from, 0, i));
        }
        List<String> out = new ArrayList<>(tags.size());
        String lastPrefix = "O";
        String lastType = "";
        for (int i = 0; i < split.size(); i++) {
            String prefix = split.get(i)[0];
            String type = split.get(i)[1];
            if (prefix.equals("O")) {
                out.add("O");
            } else {
                boolean starts = startOfChunk(lastPrefix, prefix, lastType, type);
                if (to == Scheme.BIO) {
                    out.add((starts ? "B-" : "I-") + type);
                } else {
                    String next = i + 1 < split.size() ? split.get(i + 1)[0] : "O";
                    String nextType = i + 1 < split.size() ? split.get(i + 1)[1] : "";
                    boolean ends = endOfChunk(prefix, next, type, nextType);
                    out.add((starts ? (ends ? "S-" : "B-") : (ends ? "E-" : "I-")) + type);
                }
            }
            lastPrefix = prefix;
            lastType = type;
        }
        return out;
    }

    /** {@code [prefix, type]} with IOBES mapped onto BIO; {@code ["O", ""]} for O. */
    private static String[] split(String tag, Scheme scheme, int sentence, int token) {
        if (tag.equals("O")) {
            return new String[] {"O", ""};
        }
        int dash = tag.indexOf('-');
        if (dash != 1 || tag.length() < 3 || scheme.prefixes.indexOf(tag.charAt(0)) < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "Sentence %d, token %d: tag '%s' is not "
                            + "valid in the %s scheme (expected O or one of %s followed by '-TYPE')", sentence + 1,
                    token + 1, tag, scheme, String.join(", ", scheme.prefixes.split(""))));
        }
        char prefix = tag.charAt(0);
        String bio = prefix == 'S' ? "B" : prefix == 'E' ? "I" : String.valueOf(prefix);
        return new String[] {bio, tag.substring(2)};
    }
}
