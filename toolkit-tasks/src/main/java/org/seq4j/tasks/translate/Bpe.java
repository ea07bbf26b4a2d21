package org.seq4j.tasks.translate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

import org.seq4j.util.Checks;

/**
 * Byte-pair encoding of words into subwords (Sennrich et al. 2016), learned jointly from the source and target sides
 * of the training text, as subword-nmt's {@code learn_bpe.py} does: words are sequences of characters, the last one
 * marked as word-final ({@value #END}); the most frequent adjacent pair of symbols (counted over word frequencies) is
 * merged into one new symbol, again and again, {@code merges} times or until no pair occurs {@code minFrequency}
 * times. Ties go to the pair whose two symbols, compared as strings, come first. Applying the merges to a word (in
 * the order they were learned) segments it; a frequent word stays whole, a rare one splits into known pieces, so
 * rare words no longer all become {@code <unk>}.
 *
 * <p>Pieces after a word's first carry the {@link Tokens#JOINER}, so {@link Tokens#detokenize} glues them back:
 * {@code Flughafen → Flug ￭hafen}. A token that was already glued ({@code ￭xyz}) keeps its joiner on its first
 * piece.
 */
public final class Bpe {

    /** Marks a word's last symbol while learning and applying merges. */
    public static final String END = "</w>";

    private final List<String[]> merges;
    private final Map<String, Integer> rank = new HashMap<>();
    private final Map<String, List<String>> cache = new HashMap<>();

    private Bpe(List<String[]> merges) {
        this.merges = List.copyOf(merges);
        for (int i = 0; i < merges.size(); i++) {
            String[] m = merges.get(i);
            Checks.require(m.length == 2 && !m[0].isEmpty() && !m[1].isEmpty(),
                    "Bpe: merge %d must be two non-empty symbols", i + 1);
            rank.putIfAbsent(key(m[0], m[1]), i);
        }
    }

    /** The merges as learned (for model files). */
    public static Bpe of(List<String[]> merges) {
        return new Bpe(merges);
    }

    public List<String[]> merges() {
        return merges;
    }

    private static String key(String a, String b) {
        return a + '\u0000' + b;
    }

    /** Learns {@code merges} merges from tokenized sentences (joiners are ignored: words are counted as written). */
    public static Bpe learn(Iterable<? extends List<String>> sentences, int merges, int minFrequency) {
        Checks.require(merges >= 0, "Bpe: merges must be >= 0, got %d", merges);
        Checks.require(minFrequency >= 1, "Bpe: minFrequency must be >= 1, got %d", minFrequency);
        Map<String, Integer> wordCounts = new LinkedHashMap<>();
        for (List<String> s : sentences) {
            for (String t : s) {
                wordCounts.merge(bare(t), 1, Integer::sum);
            }
        }
        List<List<String>> words = new ArrayList<>();
        int[] counts = new int[wordCounts.size()];
        for (Map.Entry<String, Integer> e : wordCounts.entrySet()) {
            counts[words.size()] = e.getValue();
            words.add(symbols(e.getKey()));
        }
        Map<String, Long> pairCount = new HashMap<>();
        Map<String, Set<Integer>> pairWords = new HashMap<>();
        for (int w = 0; w < words.size(); w++) {
            addPairs(words.get(w), w, counts[w], 1, pairCount, pairWords);
        }
        PriorityQueue<Object[]> queue = new PriorityQueue<>(Bpe::compareCandidates);
        pairCount.forEach((k, c) -> queue.add(new Object[] {c, k}));
        List<String[]> learned = new ArrayList<>();
        while (learned.size() < merges && !queue.isEmpty()) {
            Object[] top = queue.poll();
            String k = (String) top[1];
            long c = (Long) top[0];
            if (pairCount.getOrDefault(k, 0L) != c) {
                continue;   // a stale entry: the pair's count changed since it was queued
            }
            if (c < minFrequency) {
                break;
            }
            String[] pair = k.split("\u0000", -1);
            learned.add(pair);
            Set<String> touched = new HashSet<>();
            for (int w : new ArrayList<>(pairWords.getOrDefault(k, Set.of()))) {
                List<String> old = words.get(w);
                addPairs(old, w, counts[w], -1, pairCount, pairWords, touched);
                List<String> merged = merge(old, pair[0], pair[1]);
                words.set(w, merged);
                addPairs(merged, w, counts[w], 1, pairCount, pairWords, touched);
            }
            pairCount.remove(k);
            pairWords.remove(k);
            for (String t : touched) {
                Long n = pairCount.get(t);
                if (n != null && n > 0) {
                    queue.add(new Object[] {n, t});
                }
            }
        }
        return new Bpe(learned);
    }

    /** Higher count first; on a tie, the pair whose symbols come first as strings. */
    private static int compareCandidates(Object[] x, Object[] y) {
        int c = Long.compare((Long) y[0], (Long) x[0]);
        return c != 0 ? c : ((String) x[1]).compareTo((String) y[1]);
    }

    private static void addPairs(List<String> s, int word, int count, int sign, Map<String, Long> pairCount,
                                 Map<String, Set<Integer>> pairWords) {
        addPairs(s, word, count, sign, pairCount, pairWords, null);
    }

    private static void addPairs(List<String> s, int word, int count, int sign, Map<String, Long> pairCount,
                                 Map<String, Set<Integer>> pairWords, Set<String> touched) {
        for (int i = 0; i + 1 < s.size(); i++) {
            String k = key(s.get(i), s.get(i + 1));
            long n = pairCount.getOrDefault(k, 0L) + (long) sign * count;
            if (n <= 0) {
                pairCount.remove(k);
            } else {
                pairCount.put(k, n);
            }
            if (sign > 0) {
                pairWords.computeIfAbsent(k, x -> new HashSet<>()).add(word);
            }
            if (touched != null) {
                touched.add(k);
            }
        }
    }

    private static List<String> merge(List<String> s, String a, String b) {
        List<String> out = new ArrayList<>(s.size());
        for (int i = 0; i < s.size(); i++) {
            if (i + 1 < s.size() && s.get(i).equals(a) && s.get(i + 1).equals(b)) {
                out.add(a + b);
                i++;
            } else {
                out.add(s.get(i));
            }
        }
        return out;
    }

    /** A word's characters (code points), the last marked with {@link #END}. */
    private static List<String> symbols(String word) {
        List<String> out = new ArrayList<>();
        word.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
        out.set(out.size() - 1, out.get(out.size() - 1) + END);
        return out;
    }

    private static String bare(String token) {
        return token.startsWith(Tokens.JOINER) && token.length() > Tokens.JOINER.length()
                ? token.substring(Tokens.JOINER.length()) : token;
    }

    /** Subword tokens of {@link Tokens#tokenize tokens}. */
    public List<String> apply(List<String> tokens) {
        List<String> out = new ArrayList<>();
        for (String t : tokens) {
            boolean glued = !bare(t).equals(t);
            List<String> pieces = segment(bare(t));
            for (int i = 0; i < pieces.size(); i++) {
                out.add(i > 0 || glued ? Tokens.JOINER + pieces.get(i) : pieces.get(i));
            }
        }
        return out;
    }

    /** The pieces of one word (without joiners). */
    public List<String> segment(String word) {
        List<String> cached = cache.get(word);
        if (cached != null) {
            return cached;
        }
        List<String> s = symbols(word);
        while (s.size() > 1) {
            int best = Integer.MAX_VALUE;
            String[] bestPair = null;
            for (int i = 0; i + 1 < s.size(); i++) {
                Integer r = rank.get(key(s.get(i), s.get(i + 1)));
                if (r != null && r < best) {
                    best = r;
                    bestPair = new String[] {s.get(i), s.get(i + 1)};
                }
            }
            if (bestPair == null) {
                break;
            }
            s = merge(s, bestPair[0], bestPair[1]);
        }
        String last = s.get(s.size() - 1);
        s.set(s.size() - 1, last.substring(0, last.length() - END.length()));
        if (s.get(s.size() - 1).isEmpty()) {
            s.remove(s.size() - 1);
        }
        List<String> out = List.copyOf(s);
        if (cache.size() < 1_000_000) {
            cache.put(word, out);
        }
        return out;
    }
}
