package org.seq4j.text;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.seq4j.data.DataFormatException;
import org.seq4j.data.TextLines;
import org.seq4j.data.Vocabulary;
import org.seq4j.util.Checks;

/**
 * Pre-trained word vectors in the common text format (GloVe, fastText {@code .vec}, word2vec text): one word per
 * line followed by its values, separated by spaces; an optional first line {@code count dimension} (word2vec,
 * fastText) is skipped. Only the words of a given vocabulary are kept in memory.
 */
public final class WordVectors {

    private final int dimension;
    private final Map<String, float[]> vectors;

    private WordVectors(int dimension, Map<String, float[]> vectors) {
        this.dimension = dimension;
        this.vectors = vectors;
    }

    /** Reads the vectors of the words in {@code keep} (all words when null). */
    public static WordVectors read(Path file, Set<String> keep) {
        return keep == null ? read(file, Set.of(), Integer.MAX_VALUE, UnaryOperator.identity())
                : read(file, keep, 0, UnaryOperator.identity());
    }

    /**
     * Reads the vectors of the first {@code first} distinct words of the file (pre-trained files list words from the
     * most frequent down) and of every word in {@code keep}, each keyed by {@code normalise(word)}: where several
     * words of the file normalise alike ({@code Paris} and {@code paris} in lower case), the first one's vector is
     * kept. {@link #words()} lists them in file order.
     */
    public static WordVectors read(Path file, Set<String> keep, int first, UnaryOperator<String> normalise) {
        Checks.require(first >= 0, "WordVectors: the number of leading words to read must be >= 0, got %d", first);
        Map<String, float[]> vectors = new LinkedHashMap<>();
        int[] dim = {-1};
        int[] leading = {0};
        TextLines.forEach(file, (number, line) -> {
            String[] f = line.strip().split(" +");
            if (f.length == 0 || f[0].isEmpty()) {
                return;
            }
            if (number == 1 && f.length == 2 && f[0].matches("\\d+") && f[1].matches("\\d+")) {
                return;   // "count dimension" header
            }
            if (dim[0] < 0) {
                if (f.length < 2) {
                    throw new DataFormatException(file, number, "expected 'word v1 v2 ...', got " + Checks.quote(line));
                }
                dim[0] = f.length - 1;
            } else if (f.length - 1 != dim[0]) {
                throw new DataFormatException(file, number, "expected " + dim[0] + " values after the word like the "
                        + "first vector, got " + (f.length - 1));
            }
            String word = normalise.apply(f[0]);
            if (vectors.containsKey(word)) {
                return;
            }
            boolean lead = leading[0] < first;
            if (!lead && !keep.contains(word)) {
                return;
            }
            if (lead) {
                leading[0]++;
            }
            float[] v = new float[dim[0]];
            for (int i = 0; i < v.length; i++) {
                try {
                    v[i] = Float.parseFloat(f[i + 1]);
                } catch (NumberFormatException e) {
                    throw new DataFormatException(file, number, "value " + (i + 1) + " of '" + f[0]
                            + "': expected a number, got " + Checks.quote(f[i + 1]));
                }
                if (!Float.isFinite(v[i])) {
                    throw new DataFormatException(file, number, "value " + (i + 1) + " of '" + f[0] + "' is "
                            + f[i + 1]);
                }
            }
            vectors.put(word, v);
        });
        if (dim[0] < 0) {
            throw new DataFormatException(file, 0, "no vectors: expected lines 'word v1 v2 ...'");
        }
        return new WordVectors(dim[0], vectors);
    }

    /**
     * Trains word2vec (DL4J's {@code Word2Vec}: skip-gram, hierarchical softmax, window 5, one worker, seeded; DL4J
     * does not guarantee the same vectors for the same seed: they differed once in about ten fresh-JVM runs) on {@code sentences} (lists of tokens) and writes the vectors in the text format
     * {@link #read} reads, most frequent words first, atomically, to {@code out}.
     *
     * @param dimension vector size
     * @param minCount  words seen fewer times get no vector
     * @param epochs    passes over the sentences
     * @return the number of words with a vector
     */
    public static int train(java.util.List<java.util.List<String>> sentences, int dimension, int minCount, int epochs,
                            long seed, Path out) {
        Checks.require(dimension > 0 && minCount >= 1 && epochs >= 1,
                "word2vec: dimension and epochs must be >= 1 and minCount >= 1; got %d, %d, %d", dimension, epochs,
                minCount);
        Checks.require(!sentences.isEmpty(), "word2vec: no sentences to train on");
        java.util.List<String> lines = new java.util.ArrayList<>(sentences.size());
        Map<String, Integer> counts = new HashMap<>();
        for (java.util.List<String> s : sentences) {
            lines.add(String.join(" ", s));   // the tokens have no spaces: the tokenizer splits them back
            s.forEach(w -> counts.merge(w, 1, Integer::sum));
        }
        Checks.require(counts.values().stream().anyMatch(c -> c >= minCount), "word2vec: no word occurs %d or more "
                + "times in the %d sentences", minCount, sentences.size());
        org.deeplearning4j.models.word2vec.Word2Vec w2v = new org.deeplearning4j.models.word2vec.Word2Vec.Builder()
                .layerSize(dimension).minWordFrequency(minCount).windowSize(5).epochs(epochs).iterations(1)
                .seed(seed).workers(1)
                .iterate(new org.deeplearning4j.text.sentenceiterator.CollectionSentenceIterator(lines))
                .tokenizerFactory(new org.deeplearning4j.text.tokenization.tokenizerfactory.DefaultTokenizerFactory())
                .build();
        w2v.fit();
        StringBuilder sb = new StringBuilder();
        int words = 0;
        // most frequent first, as pre-trained files are (a reader keeping the file's first words keeps the frequent)
        java.util.List<String> byFrequency = new java.util.ArrayList<>(w2v.vocab().words());
        byFrequency.sort(java.util.Comparator.comparing((String w) -> -counts.getOrDefault(w, 0))
                .thenComparing(java.util.Comparator.naturalOrder()));
        for (String w : byFrequency) {
            double[] v = w2v.getWordVector(w);
            if (v == null) {
                continue;
            }
            sb.append(w);
            for (double x : v) {
                sb.append(' ').append((float) x);
            }
            sb.append('\n');
            words++;
        }
        Checks.require(words > 0, "word2vec: no word occurs %d or more times", minCount);
        org.seq4j.util.AtomicFiles.writeString(out, sb.toString());
        return words;
    }

    public int dimension() {
        return dimension;
    }

    public int size() {
        return vectors.size();
    }

    /** The words with a vector, in the order of the file. */
    public List<String> words() {
        return List.copyOf(vectors.keySet());
    }

    /** The vector of {@code word}, or null. */
    public float[] get(String word) {
        return vectors.get(word);
    }

    /**
     * Copies the vectors of the vocabulary's words into the rows of an embedding matrix {@code [V, dimension]}; rows
     * of words without a vector are left as they are. Returns how many rows were set.
     */
    public int initialise(INDArray embedding, Vocabulary vocab) {
        if (embedding.size(1) != dimension) {
            throw new IllegalArgumentException("Word vectors have " + dimension + " dimensions but the embedding has "
                    + embedding.size(1) + "; set the word embedding size to " + dimension);
        }
        int set = 0;
        for (int i = 0; i < vocab.size(); i++) {
            float[] v = vectors.get(vocab.token(i));
            if (v != null) {
                for (int j = 0; j < dimension; j++) {
                    embedding.putScalar(i, j, v[j]);
                }
                set++;
            }
        }
        return set;
    }
}
