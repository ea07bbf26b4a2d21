package org.seq4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.seq4j.util.AtomicFiles;
import org.seq4j.util.Checks;

/**
 * Token ↔ index mapping with four reserved entries at fixed indices: {@code <pad>} = 0, {@code <unk>} = 1,
 * {@code <s>} = 2, {@code </s>} = 3. Unknown tokens map to {@code <unk>}. Built from data with a minimum count and a
 * maximum size (most frequent first, ties in first-seen order, so the result is deterministic). A character vocabulary
 * is the same with one-character tokens ({@link #ofCharacters}).
 *
 * <p>File format ({@link #save}/{@link #load}): UTF-8, one token per line in index order, the reserved tokens first.
 */
public final class Vocabulary {

    public static final String PAD = "<pad>";
    public static final String UNK = "<unk>";
    public static final String BOS = "<s>";
    public static final String EOS = "</s>";
    public static final int PAD_ID = 0;
    public static final int UNK_ID = 1;
    public static final int BOS_ID = 2;
    public static final int EOS_ID = 3;
    private static final List<String> RESERVED = List.of(PAD, UNK, BOS, EOS);

    private final List<String> tokens;
    private final Map<String, Integer> index;

    private Vocabulary(List<String> tokens) {
        this.tokens = List.copyOf(tokens);
        this.index = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            index.put(tokens.get(i), i);
        }
    }

    /**
     * Builds a vocabulary from token sequences.
     *
     * @param minCount keep tokens seen at least this often (>= 1)
     * @param maxSize  at most this many entries including the 4 reserved ones (0: no limit)
     */
    public static Vocabulary build(Iterable<? extends List<String>> sequences, int minCount, int maxSize) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (List<String> seq : sequences) {
            for (String t : seq) {
                counts.merge(t, 1, Integer::sum);
            }
        }
        return fromCounts(counts, minCount, maxSize);
    }

    /**
     * Builds a vocabulary from token counts: the 4 reserved tokens, then the tokens seen at least {@code minCount}
     * times, most frequent first, ties in the map's order (a {@link LinkedHashMap} in order of first appearance gives
     * the vocabulary of {@link #build}); at most {@code maxSize} entries (0: no limit).
     */
    public static Vocabulary fromCounts(Map<String, Integer> counts, int minCount, int maxSize) {
        Checks.require(minCount >= 1, "Vocabulary: minCount must be >= 1, got %d", minCount);
        Checks.require(maxSize == 0 || maxSize > RESERVED.size(), "Vocabulary: maxSize must be 0 (no limit) or > %d, "
                + "got %d", RESERVED.size(), maxSize);
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Comparator.comparing((Map.Entry<String, Integer> e) -> -e.getValue()));   // stable: ties by first seen
        List<String> tokens = new ArrayList<>(RESERVED);
        for (Map.Entry<String, Integer> e : entries) {
            if (maxSize > 0 && tokens.size() >= maxSize) {
                break;
            }
            if (e.getValue() >= minCount && !RESERVED.contains(e.getKey())) {
                tokens.add(e.getKey());
            }
        }
        return new Vocabulary(tokens);
    }

    /** The vocabulary with exactly these tokens in this order; the reserved tokens must come first. */
    public static Vocabulary fromTokens(List<String> tokens) {
        Checks.require(tokens.size() >= RESERVED.size() && tokens.subList(0, RESERVED.size()).equals(RESERVED),
                "Vocabulary: the tokens must start with %s", RESERVED);
        Checks.require(new java.util.HashSet<>(tokens).size() == tokens.size(), "Vocabulary: duplicate tokens");
        return new Vocabulary(tokens);
    }

    /**
     * The vocabulary a model file stores as a JSON array of tokens ({@link #fromTokens}); a bad list is an error
     * naming {@code where}.
     */
    public static Vocabulary fromJson(org.nd4j.shade.jackson.databind.JsonNode tokens, String where) {
        List<String> list = new ArrayList<>();
        tokens.forEach(t -> list.add(t.asText()));
        try {
            return fromTokens(list);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": bad vocabulary (" + e.getMessage() + ")", e);
        }
    }

    /** A character vocabulary of every character (code point) in {@code texts}, in order of frequency. */
    public static Vocabulary ofCharacters(Iterable<String> texts, int minCount) {
        List<List<String>> seqs = new ArrayList<>();
        for (String s : texts) {
            seqs.add(characters(s));
        }
        return build(seqs, minCount, 0);
    }

    /** The characters (code points) of {@code s} as one-character strings. */
    public static List<String> characters(String s) {
        List<String> out = new ArrayList<>(s.length());
        s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
        return out;
    }

    public int size() {
        return tokens.size();
    }

    /** The index of {@code token}, or {@link #UNK_ID}. */
    public int id(String token) {
        Integer i = index.get(token);
        return i == null ? UNK_ID : i;
    }

    public boolean contains(String token) {
        return index.containsKey(token);
    }

    public String token(int id) {
        Checks.require(id >= 0 && id < tokens.size(), "Vocabulary: id %d outside [0, %d)", id, tokens.size());
        return tokens.get(id);
    }

    /** Indices of {@code seq}; unknown tokens become {@link #UNK_ID}. */
    public int[] encode(List<String> seq) {
        return seq.stream().mapToInt(this::id).toArray();
    }

    /** Tokens of {@code ids}, stopping at {@code </s>} and skipping {@code <pad>} and {@code <s>}. */
    public List<String> decode(int[] ids) {
        List<String> out = new ArrayList<>();
        for (int id : ids) {
            if (id == EOS_ID) {
                break;
            }
            if (id != PAD_ID && id != BOS_ID) {
                out.add(token(id));
            }
        }
        return out;
    }

    public List<String> tokens() {
        return Collections.unmodifiableList(tokens);
    }

    /** Writes the vocabulary, one token per line, atomically. */
    public void save(Path file) {
        for (String t : tokens) {
            Checks.require(!t.contains("\n") && !t.contains("\r"), "Vocabulary.save: token %s contains a line break",
                    t);
        }
        AtomicFiles.writeString(file, String.join("\n", tokens) + "\n");
    }

    /** Reads a vocabulary written by {@link #save}: the reserved tokens first, no empty or duplicate lines. */
    public static Vocabulary load(Path file) {
        List<String> tokens = new ArrayList<>();
        Map<String, Long> seen = new HashMap<>();
        TextLines.forEach(file, (number, line) -> {
            if (line.isEmpty()) {
                throw new DataFormatException(file, number, "empty token; a vocabulary file has one token per line");
            }
            Long first = seen.putIfAbsent(line, number);
            if (first != null) {
                throw new DataFormatException(file, number, "duplicate token '" + line + "' (first on line " + first
                        + "); each token must appear once");
            }
            if (number <= RESERVED.size() && !line.equals(RESERVED.get((int) number - 1))) {
                throw new DataFormatException(file, number, "expected reserved token '" + RESERVED.get((int) number - 1)
                        + "' (the file must start with " + RESERVED + "), got " + Checks.quote(line));
            }
            tokens.add(line);
        });
        if (tokens.size() < RESERVED.size()) {
            throw new DataFormatException(file, tokens.size(), "a vocabulary file must start with " + RESERVED
                    + ", got " + tokens.size() + " lines");
        }
        return new Vocabulary(tokens);
    }
}
