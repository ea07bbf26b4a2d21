package org.seq4j.text;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

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
        Map<String, float[]> vectors = new HashMap<>();
        int[] dim = {-1};
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
            if (keep != null && !keep.contains(f[0])) {
                return;
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
            vectors.put(f[0], v);
        });
        if (dim[0] < 0) {
            throw new DataFormatException(file, 0, "no vectors: expected lines 'word v1 v2 ...'");
        }
        return new WordVectors(dim[0], vectors);
    }

    public int dimension() {
        return dimension;
    }

    public int size() {
        return vectors.size();
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
