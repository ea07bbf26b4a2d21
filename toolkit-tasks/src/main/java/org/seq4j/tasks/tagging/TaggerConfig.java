package org.seq4j.tasks.tagging;

import java.nio.file.Path;
import java.util.List;

import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.seq4j.cells.CellType;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.metrics.ChunkEvaluation;
import org.seq4j.train.TrainConfig;
import org.seq4j.util.Checks;

/**
 * What a {@link Tagger} builds and how it trains.
 *
 * @param tokenColumn     CoNLL column of the word (0-based)
 * @param labelColumn     CoNLL column of the tag (-1: the last)
 * @param featureColumns  other CoNLL columns used as inputs (e.g. the POS column for chunking), each embedded
 * @param scheme          the tag scheme of the data, for chunk F1, or null for plain tags (POS): token accuracy only
 * @param encoding        the scheme the model learns and predicts chunk tags in (the data's tags are converted to it
 *                        for training and predictions back to {@code scheme}); IOBES (Flair's default) marks
 *                        single-token chunks and chunk ends; null for plain tags
 * @param wordDim         word embedding size
 * @param embeddings      pre-trained word vectors to start from (text format), or null
 * @param lowercase       look words up in lower case
 * @param casing          add each word's {@link org.seq4j.text.Casing} class as an embedded input (a word-level
 *                        feature: with {@code lowercase}, the case information the lookup drops)
 * @param minWordCount    words seen fewer times in training map to {@code <unk>}
 * @param featureDim      embedding size of each feature column
 * @param charCnn         add character-level word features ({@code CharCnn})
 * @param charFilters     CharCnn output size
 * @param maxWordLength   characters per word the CharCnn sees
 * @param encoder         the recurrent encoder (any cell, stacked, bidirectional)
 * @param crf             a CRF output layer (Viterbi decoding) instead of a per-token softmax
 * @param dropout         dropout on the encoder's input and output, and word dropout (a training word read as
 *                        {@code <unk>})
 * @param batchSize       sentences per batch
 * @param bucketBounds    sentence-length buckets (padding to the bucket bound)
 * @param train           epochs, optimizer, clipping, early stopping patience, seed
 */
public record TaggerConfig(int tokenColumn, int labelColumn, List<Integer> featureColumns,
                           ChunkEvaluation.Scheme scheme, ChunkEvaluation.Scheme encoding, int wordDim, Path embeddings,
                           boolean lowercase, boolean casing, int minWordCount, int featureDim, boolean charCnn,
                           int charFilters, int maxWordLength, RecurrentSpec encoder, boolean crf, Dropout dropout,
                           int batchSize, List<Integer> bucketBounds, TrainConfig train) {

    /**
     * Dropout probabilities, each in [0, 1).
     *
     * @param input  on every recurrent layer's input (the merged word, feature and character features for the
     *               first; Lample et al. 2016: 0.5)
     * @param output on the encoder's output, before the CRF or softmax (Flair: 0.5)
     * @param words  a training word's id replaced by {@code <unk>}'s, so the model learns what to do with words it
     *               does not know (Flair's word dropout: 0.05)
     */
    public record Dropout(double input, double output, double words) {
        public Dropout {
            Checks.require(input >= 0 && input < 1 && output >= 0 && output < 1 && words >= 0 && words < 1,
                    "TaggerConfig.Dropout: probabilities must be in [0, 1), got input %s, output %s, words %s",
                    input, output, words);
        }

        /** No dropout. */
        public static final Dropout NONE = new Dropout(0, 0, 0);
    }

    public TaggerConfig {
        Checks.require((scheme == null) == (encoding == null),
                "TaggerConfig: plain tags (no scheme) have no chunk encoding, and chunk tags need one; got scheme %s, "
                        + "encoding %s", scheme, encoding);
        Checks.require(dropout != null, "TaggerConfig: dropout must not be null (Dropout.NONE for none)");
        Checks.require(tokenColumn >= 0, "TaggerConfig: tokenColumn must be >= 0, got %d", tokenColumn);
        featureColumns = List.copyOf(featureColumns);
        Checks.require(wordDim > 0 && featureDim > 0 && charFilters > 0 && maxWordLength > 2,
                "TaggerConfig: embedding sizes must be > 0 and maxWordLength > 2");
        Checks.require(minWordCount >= 1, "TaggerConfig: minWordCount must be >= 1, got %d", minWordCount);
        Checks.require(encoder != null, "TaggerConfig: encoder must not be null");
        Checks.require(batchSize > 0, "TaggerConfig: batchSize must be > 0, got %d", batchSize);
        bucketBounds = List.copyOf(bucketBounds);
        Checks.require(train != null, "TaggerConfig: train must not be null");
    }

    /**
     * A BiLSTM-CRF trained as the strong taggers are (Lample et al. 2016; Ma and Hovy 2016; Flair): word embeddings
     * 100 (words seen once map to {@code <unk>}), character CNN word features (30 filters) for chunk tags and the
     * casing class ({@link org.seq4j.text.Casing}) instead for plain tags, a bidirectional LSTM of 200 units per
     * direction, a CRF; chunk tags learned in IOBES; dropout 0.5 on the encoder's input and output, word dropout 0.05;
     * Adam 0.003 with inverse-time decay {@code lr / (1 + 0.1 epoch)}, global-norm clipping 5; 20 epochs, early
     * stopping after 5 without a better dev score.
     */
    public static TaggerConfig bilstmCrf(ChunkEvaluation.Scheme scheme) {
        TrainConfig train = TrainConfig.defaults().withEpochs(20).withOptimizer(TrainConfig.Optimizer.ADAM, 0.003)
                .withClipping(5.0, 0).withPatience(5);
        return new TaggerConfig(0, -1, List.of(), scheme, scheme == null ? null : ChunkEvaluation.Scheme.IOBES, 100,
                null, false, scheme == null, 2, 20, scheme != null, 30, 20,
                RecurrentSpec.of(CellType.LSTM, 200).withBidirectional(Bidirectional.Mode.CONCAT), true,
                new Dropout(0.5, 0.5, 0.05), 32, List.of(10, 20, 30, 40, 60, 80, 120, 200),
                train.withSchedule(inverseTimeDecay(train.learningRate(), 0.1)));
    }

    /**
     * The learning rate {@code lr / (1 + decay * epoch)} (Ma and Hovy 2016 use 0.05 with SGD), as an ND4J schedule
     * for {@link TrainConfig#withSchedule}.
     */
    public static org.nd4j.linalg.schedule.ISchedule inverseTimeDecay(double lr, double decay) {
        Checks.require(decay >= 0 && Double.isFinite(decay), "learning-rate decay must be >= 0, got %s", decay);
        return new org.nd4j.linalg.schedule.InverseSchedule(org.nd4j.linalg.schedule.ScheduleType.EPOCH, lr, decay, 1);
    }

    public TaggerConfig withColumns(int token, int label, List<Integer> features) {
        return new TaggerConfig(token, label, features, scheme, encoding, wordDim, embeddings, lowercase, casing,
                minWordCount, featureDim, charCnn, charFilters, maxWordLength, encoder, crf, dropout, batchSize,
                bucketBounds, train);
    }

    public TaggerConfig withEncoder(RecurrentSpec e) {
        return new TaggerConfig(tokenColumn, labelColumn, featureColumns, scheme, encoding, wordDim, embeddings,
                lowercase, casing, minWordCount, featureDim, charCnn, charFilters, maxWordLength, e, crf, dropout,
                batchSize, bucketBounds, train);
    }

    public TaggerConfig withCrf(boolean useCrf) {
        return new TaggerConfig(tokenColumn, labelColumn, featureColumns, scheme, encoding, wordDim, embeddings,
                lowercase, casing, minWordCount, featureDim, charCnn, charFilters, maxWordLength, encoder, useCrf,
                dropout, batchSize, bucketBounds, train);
    }

    public TaggerConfig withWords(int dim, Path vectors, boolean lower, int minCount) {
        return new TaggerConfig(tokenColumn, labelColumn, featureColumns, scheme, encoding, dim, vectors, lower, casing,
                minCount, featureDim, charCnn, charFilters, maxWordLength, encoder, crf, dropout, batchSize,
                bucketBounds, train);
    }

    /** The word's casing class ({@link org.seq4j.text.Casing}) as an input, or not. */
    public TaggerConfig withCasing(boolean on) {
        return new TaggerConfig(tokenColumn, labelColumn, featureColumns, scheme, encoding, wordDim, embeddings,
                lowercase, on, minWordCount, featureDim, charCnn, charFilters, maxWordLength, encoder, crf, dropout,
                batchSize, bucketBounds, train);
    }

    /** The character CNN on or off, with this config's filters and word length (the recipe's: 30 and 20). */
    public TaggerConfig withCharCnn(boolean on) {
        return withCharCnn(on, charFilters, maxWordLength);
    }

    public TaggerConfig withCharCnn(boolean on, int filters, int maxLength) {
        return new TaggerConfig(tokenColumn, labelColumn, featureColumns, scheme, encoding, wordDim, embeddings,
                lowercase, casing, minWordCount, featureDim, on, filters, maxLength, encoder, crf, dropout, batchSize,
                bucketBounds, train);
    }

    public TaggerConfig withBatches(int size, List<Integer> bounds) {
        return new TaggerConfig(tokenColumn, labelColumn, featureColumns, scheme, encoding, wordDim, embeddings,
                lowercase, casing, minWordCount, featureDim, charCnn, charFilters, maxWordLength, encoder, crf, dropout,
                size, bounds, train);
    }

    public TaggerConfig withEncoding(ChunkEvaluation.Scheme e) {
        return new TaggerConfig(tokenColumn, labelColumn, featureColumns, scheme, e, wordDim, embeddings, lowercase,
                casing, minWordCount, featureDim, charCnn, charFilters, maxWordLength, encoder, crf, dropout, batchSize,
                bucketBounds, train);
    }

    public TaggerConfig withDropout(Dropout d) {
        return new TaggerConfig(tokenColumn, labelColumn, featureColumns, scheme, encoding, wordDim, embeddings,
                lowercase, casing, minWordCount, featureDim, charCnn, charFilters, maxWordLength, encoder, crf, d,
                batchSize, bucketBounds, train);
    }

    public TaggerConfig withTrain(TrainConfig t) {
        return new TaggerConfig(tokenColumn, labelColumn, featureColumns, scheme, encoding, wordDim, embeddings,
                lowercase, casing, minWordCount, featureDim, charCnn, charFilters, maxWordLength, encoder, crf, dropout,
                batchSize, bucketBounds, t);
    }

    /**
     * Checks that every sentence of {@code data} has the columns this configuration reads, and, for labelled data,
     * a tag column of its own; {@code source} (a file name) and the sentence's line go into the message.
     *
     * @param trainedColumns the column count of the training data when the tag is read from the last column
     *                       ({@code labelColumn = -1}) of a trained model, else 0: labelled data must then have the same
     *                       count, or the "last column" would be another column
     */
    public void checkColumns(List<org.seq4j.data.ConllReader.Block> data, String source, boolean labelled,
                             int trainedColumns) {
        int need = tokenColumn;
        for (int f : featureColumns) {
            need = Math.max(need, f);
        }
        if (labelled && labelColumn >= 0) {
            need = Math.max(need, labelColumn);
        }
        for (org.seq4j.data.ConllReader.Block b : data) {
            int cols = b.rows().get(0).length;
            String where = source + ":" + b.firstLine();
            Checks.require(cols > need, "%s: the sentence has %d column(s), but this tagger reads column %d "
                            + "(0-based; token column %d, feature columns %s%s)", where, cols, need, tokenColumn,
                    featureColumns, labelled ? ", tag column " + (labelColumn < 0 ? "last" : labelColumn) : "");
            if (!labelled) {
                continue;
            }
            int label = labelColumn < 0 ? cols - 1 : labelColumn;
            Checks.require(label != tokenColumn && !featureColumns.contains(label),
                    "%s: the sentence has %d column(s), so the tag column (%s) is also the %s column; labelled data "
                            + "needs its tags in a column of their own", where, cols,
                    labelColumn < 0 ? "the last, " + label : String.valueOf(label),
                    label == tokenColumn ? "token" : "feature");
            Checks.require(labelColumn >= 0 || trainedColumns <= 0 || cols == trainedColumns,
                    "%s: the sentence has %d column(s) but the model was trained on %d with the tag in the last; "
                            + "the last column here would be another one", where, cols, trainedColumns);
        }
    }

    /**
     * This configuration as plain values, for model files ({@link #fromMap}). The pre-trained vectors' path is kept
     * for provenance only: a loaded model has its embeddings in its parameters.
     */
    public java.util.Map<String, Object> toMap() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("tokenColumn", tokenColumn);
        m.put("labelColumn", labelColumn);
        m.put("featureColumns", featureColumns);
        m.put("scheme", scheme == null ? "none" : scheme.name());
        m.put("encoding", encoding == null ? "none" : encoding.name());
        m.put("wordDim", wordDim);
        m.put("embeddings", embeddings == null ? "" : embeddings.toString());
        m.put("lowercase", lowercase);
        m.put("casing", casing);
        m.put("minWordCount", minWordCount);
        m.put("featureDim", featureDim);
        m.put("charCnn", charCnn);
        m.put("charFilters", charFilters);
        m.put("maxWordLength", maxWordLength);
        m.put("encoder", encoder.toMap());
        m.put("crf", crf);
        java.util.Map<String, Object> d = new java.util.LinkedHashMap<>();
        d.put("input", dropout.input());
        d.put("output", dropout.output());
        d.put("words", dropout.words());
        m.put("dropout", d);
        m.put("batchSize", batchSize);
        m.put("bucketBounds", bucketBounds);
        m.put("train", train.toMap());
        return m;
    }

    /** The configuration {@link #toMap} wrote; {@code where} names the source in errors. */
    public static TaggerConfig fromMap(org.nd4j.shade.jackson.databind.JsonNode m, String where) {
        org.seq4j.cells.JsonFields f = new org.seq4j.cells.JsonFields(m, where);
        List<Integer> features = new java.util.ArrayList<>();
        f.array("featureColumns").forEach(v -> features.add(v.asInt()));
        List<Integer> bounds = new java.util.ArrayList<>();
        f.array("bucketBounds").forEach(v -> bounds.add(v.asInt()));
        String scheme = f.text("scheme");
        String vectors = f.text("embeddings");
        ChunkEvaluation.Scheme sch = scheme.equals("none") ? null : ChunkEvaluation.Scheme.valueOf(scheme);
        // files written before the encoding and dropout were stored: the data's scheme, no dropout
        String encoding = m.has("encoding") ? f.text("encoding") : scheme;
        Dropout dropout = Dropout.NONE;
        if (m.has("dropout")) {
            org.seq4j.cells.JsonFields d = new org.seq4j.cells.JsonFields(f.object("dropout"), where + " dropout");
            dropout = new Dropout(d.number("input"), d.number("output"), d.number("words"));
        }
        return new TaggerConfig(f.integer("tokenColumn"), f.integer("labelColumn"), features, sch,
                encoding.equals("none") ? null : ChunkEvaluation.Scheme.valueOf(encoding), f.integer("wordDim"),
                vectors.isEmpty() ? null : Path.of(vectors), f.bool("lowercase"),
                m.has("casing") && f.bool("casing"), f.integer("minWordCount"),
                f.integer("featureDim"), f.bool("charCnn"), f.integer("charFilters"), f.integer("maxWordLength"),
                RecurrentSpec.fromMap(f.object("encoder"), where + " encoder"), f.bool("crf"), dropout,
                f.integer("batchSize"), bounds, TrainConfig.fromMap(f.object("train"), where + " train"));
    }
}
