package org.seq4j.tasks.tagging;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.seq4j.cells.RecurrentStack;
import org.seq4j.crf.Crf;
import org.seq4j.crf.CrfLayer;
import org.seq4j.data.Batching;
import org.seq4j.data.ConllReader.Block;
import org.seq4j.data.Vocabulary;
import org.seq4j.io.ModelArchive;
import org.seq4j.metrics.ChunkEvaluation;
import org.seq4j.tasks.TaskResult;
import org.seq4j.text.Casing;
import org.seq4j.text.CharCnn;
import org.seq4j.text.WordVectors;
import org.seq4j.train.EpochData;
import org.seq4j.train.RunInfo;
import org.seq4j.train.Trainer;
import org.seq4j.train.Validation;
import org.seq4j.util.Checks;

/**
 * A sequence tagger (POS, chunking, NER): word embeddings, optional feature-column embeddings, casing-class
 * embeddings and character CNN features, a recurrent encoder from the layer library, and a CRF or softmax output, all
 * masked for variable-length sentences.
 *
 * <pre>
 *   words [mb,1,T] ─ embedding ──┐
 *   feature columns ─ embedding ─┤
 *   casing class ─── embedding ──┼─ merge ─▶ encoder (e.g. BiLSTM) ─▶ CRF (Viterbi) or softmax ─▶ tags
 *   chars [mb,L,T] ─ CharCnn ────┘
 * </pre>
 */
public final class Tagger {

    private static final String OUT = "out";
    /**
     * Words of a pre-trained vector file that join the vocabulary, from the top of the file (100,000 words of 100
     * values: 40 MB of embedding, and twice that for Adam's moments).
     */
    static final int MAX_VECTOR_WORDS = 100_000;
    /** The kind of {@link ModelArchive} a tagger is saved as, and its entry for configuration and vocabularies. */
    public static final String KIND = "tagger";
    private static final String CONFIG_KEY = "tagger";
    /** The whole {@link TaggerConfig} ({@link TaggerConfig#toMap}), so a loaded tagger is the one that was trained. */
    private static final String FULL_CONFIG_KEY = "tagger-config";

    /** An evaluation: metrics, the predictions, and the most frequent (gold → predicted) confusions. */
    /**
     * An evaluation: scores, predicted tags, the most frequent errors, and the gold tags the model never saw in
     * training with their token counts (always wrong: a tag set mismatch, worth a warning).
     */
    public record Evaluation(ChunkEvaluation.Result result, List<List<String>> predicted,
                             List<Map.Entry<String, Integer>> topConfusions, Map<String, Integer> unseenTags) {
    }

    private final TaggerConfig config;
    private Vocabulary words;
    private Vocabulary chars;
    private final List<Vocabulary> features = new ArrayList<>();
    private List<String> tags;
    /** Columns of the training data (0 when unknown), for evaluation data whose tag is its last column. */
    private int trainedColumns;
    private Map<String, Integer> tagIndex;
    private ComputationGraph graph;

    /** The configuration this tagger was built (or, after {@link #load}, trained) with. */
    public TaggerConfig config() {
        return config;
    }

    public Tagger(TaggerConfig config) {
        this.config = config;
    }

    public ComputationGraph graph() {
        return graph;
    }

    public List<String> tags() {
        return tags;
    }

    // ---- training --------------------------------------------------------------------------------------------------

    /**
     * The tagging pipeline: trains on {@code train} with early stopping on {@code dev} (continuing from
     * {@code checkpoint} when it is not null), then scores {@code dev}: chunk F1, precision and recall for chunk
     * tags (F1 the primary metric), token accuracy always.
     *
     * @param dataset the data's name, for reports
     */
    public TaskResult<Evaluation> run(String dataset, List<Block> train, List<Block> dev, Path checkpoint) {
        Checks.require(dev != null && !dev.isEmpty(), "Tagger.run: no dev sentences to score");
        return result(dataset, fit(train, dev, checkpoint), dev);
    }

    /**
     * The typed result of a training run {@code r} of this tagger (trained here or elsewhere, e.g. on Spark): scores
     * {@code dev} with the trained model, as {@link #run} does.
     */
    public TaskResult<Evaluation> result(String dataset, Trainer.Result r, List<Block> dev) {
        Checks.require(dev != null && !dev.isEmpty(), "Tagger: no dev sentences to score");
        long start = System.nanoTime();
        Evaluation e = evaluate(dev);
        double seconds = TaskResult.since(start);
        Map<String, Double> metrics = new LinkedHashMap<>();
        boolean chunks = config.scheme() != null;
        if (chunks) {
            metrics.put("f1", 100 * e.result().overall().f1());
            metrics.put("precision", 100 * e.result().overall().precision());
            metrics.put("recall", 100 * e.result().overall().recall());
        }
        metrics.put("accuracy", 100 * e.result().tokenAccuracy());
        TaskResult.Score score = new TaskResult.Score("dev", chunks ? "f1" : "accuracy", true, metrics, dev.size(),
                "sentence", seconds);
        return new TaskResult<>("tag", dataset, label(), TaskResult.parameters(graph), score,
                TaskResult.Training.of(r, chunks ? "F1" : "accuracy"), config.toMap(),
                RunInfo.current(config.train().seed()), e);
    }

    /** The model as a label: encoder, character CNN, output layer. */
    public String label() {
        return config.encoder().label() + (config.charCnn() ? "+charcnn" : "") + (config.crf() ? "+crf" : "+softmax");
    }

    /** Builds vocabularies and the graph from {@code train}, and trains with early stopping on {@code dev}. */
    public Trainer.Result fit(List<Block> train, List<Block> dev) {
        return fit(train, dev, null);
    }

    /**
     * {@link #fit(List, List)}, continuing from {@code checkpoint} when it is not null: a checkpoint the same
     * training (same data and configuration, {@code TrainConfig.withCheckpoints}) wrote before it was stopped. The
     * vocabularies are rebuilt from {@code train} (deterministic), the graph, updater and trainer state come from the
     * checkpoint, and the result equals an uninterrupted run's.
     */
    public Trainer.Result fit(List<Block> train, List<Block> dev, Path checkpoint) {
        Checks.require(!train.isEmpty(), "Tagger.fit: no training sentences");
        Counts counts = count(train, "training data");
        if (dev != null) {
            config.checkColumns(dev, "dev data", true, counts.columns());
        }
        Validation v = dev == null || dev.isEmpty() ? null : validation(dev);
        org.seq4j.train.Checkpoint c = checkpoint == null ? null : org.seq4j.train.Checkpoint.read(checkpoint);
        initialise(counts, c == null ? null : c.graph());
        Encoded trainSet = encode(train, true);
        EpochData data = epoch -> trainingBatches(trainSet, epoch);
        return c == null ? new Trainer(config.train()).fit(graph, data, v)
                : new Trainer(config.train()).resume(c, data, v, new ComputationGraph[1]);
    }

    /** Early stopping and model selection on {@code dev}: chunk F1 for chunk tags, else token accuracy. */
    public Validation validation(List<Block> dev) {
        return new Validation(config.scheme() == null ? "accuracy" : "F1", g -> score(evaluate(dev).result()), true);
    }

    /**
     * What the vocabularies are built from, counted over some training sentences: word, character and feature-value
     * counts (in order of first appearance), the tags, and the number of columns. Counts of parts of the data
     * {@link #merge} into the counts of the whole (in data order: then the vocabularies are exactly those of one
     * pass), so they can be computed where the data is, for example on a Spark cluster's executors.
     */
    public static final class Counts implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final LinkedHashMap<String, Integer> words = new LinkedHashMap<>();
        private final LinkedHashMap<String, Integer> chars = new LinkedHashMap<>();
        private final List<LinkedHashMap<String, Integer>> features = new ArrayList<>();
        private final java.util.TreeSet<String> tags = new java.util.TreeSet<>();
        private int columns;
        private String columnsSource;
        private long sentences;

        /** Columns of every sentence counted (0 before any). */
        public int columns() {
            return columns;
        }

        public long sentences() {
            return sentences;
        }

        /** Adds {@code other}'s counts (data that comes after this one's); a different column count is an error. */
        public Counts merge(Counts other) {
            if (other.sentences == 0) {
                return this;
            }
            Checks.require(columns == 0 || other.columns == columns, "%s: the sentences have %d columns, but those "
                    + "at %s have %d; all training data must have the same columns", other.columnsSource,
                    other.columns, columnsSource, columns);
            if (columns == 0) {
                columns = other.columns;
                columnsSource = other.columnsSource;
            }
            other.words.forEach((k, n) -> words.merge(k, n, Integer::sum));
            other.chars.forEach((k, n) -> chars.merge(k, n, Integer::sum));
            while (features.size() < other.features.size()) {
                features.add(new LinkedHashMap<>());
            }
            for (int i = 0; i < other.features.size(); i++) {
                Map<String, Integer> into = features.get(i);
                other.features.get(i).forEach((k, n) -> into.merge(k, n, Integer::sum));
            }
            tags.addAll(other.tags);
            sentences += other.sentences;
            return this;
        }
    }

    /**
     * The {@link Counts} of {@code train} (labelled sentences; {@code source} names them in errors), after checking
     * that every sentence has the columns this tagger reads and fits the largest length bucket.
     */
    public Counts count(List<Block> train, String source) {
        Counts c = new Counts();
        if (train.isEmpty()) {
            return c;
        }
        config.checkColumns(train, source, true, 0);
        int longestBucket = config.bucketBounds().isEmpty() ? Integer.MAX_VALUE
                : config.bucketBounds().get(config.bucketBounds().size() - 1);
        c.columns = train.get(0).rows().get(0).length;
        c.columnsSource = source + ":" + train.get(0).firstLine();
        for (int f = 0; f < config.featureColumns().size(); f++) {
            c.features.add(new LinkedHashMap<>());
        }
        for (Block b : train) {
            Checks.require(b.rows().get(0).length == c.columns, "%s:%d: the sentence has %d columns, but the one at "
                    + "%s has %d; all training data must have the same columns", source, b.firstLine(),
                    b.rows().get(0).length, c.columnsSource, c.columns);
            Checks.require(b.length() <= longestBucket, "%s:%d: the sentence has %d tokens, more than the largest "
                    + "length bucket (%d); raise it (TaggerConfig.withBatches, tag train --max-length)", source,
                    b.firstLine(), b.length(), longestBucket);
            for (String w : b.column(config.tokenColumn())) {
                c.words.merge(normalise(w), 1, Integer::sum);
                for (String ch : Vocabulary.characters(w)) {
                    c.chars.merge(ch, 1, Integer::sum);
                }
            }
            for (int f = 0; f < config.featureColumns().size(); f++) {
                for (String v : b.column(config.featureColumns().get(f))) {
                    c.features.get(f).merge(v, 1, Integer::sum);
                }
            }
            c.tags.addAll(encodedTags(b, source));
            c.sentences++;
        }
        return c;
    }

    /**
     * Builds the vocabularies from {@code counts} and the graph ({@code trained} instead when it is not null: a
     * checkpoint's graph, which must have been built from the same counts); the pre-trained word vectors, if
     * configured, initialise a new graph's word embeddings. After this the tagger encodes sentences
     * ({@link #trainingBatches(List, long)}) and can be trained.
     */
    public void initialise(Counts counts, ComputationGraph trained) {
        Checks.require(counts.sentences > 0, "Tagger: no training sentences");
        trainedColumns = counts.columns;
        WordVectors vectors = config.embeddings() == null ? null : WordVectors.read(config.embeddings(),
                counts.words.keySet(), MAX_VECTOR_WORDS, this::normalise);
        words = wordVocabulary(counts.words, vectors);
        chars = Vocabulary.fromCounts(counts.chars, 1, 0);
        features.clear();
        for (LinkedHashMap<String, Integer> f : counts.features) {
            features.add(Vocabulary.fromCounts(f, 1, 0));
        }
        tags = List.copyOf(counts.tags);
        Checks.require(tags.size() >= 2, "Tagger: the training data has only %d distinct tag(s): %s", tags.size(), tags);
        indexTags();
        if (trained != null) {
            graph = trained;
            return;
        }
        graph = buildGraph();
        if (vectors != null) {
            vectors.initialise(graph.getLayer("wordEmb").getParam("W"), words);
        }
    }

    /**
     * The word vocabulary: the training words seen at least {@code minWordCount} times, then the words of the
     * pre-trained vectors (the file's first {@link #MAX_VECTOR_WORDS}) that are not among them, so that a word never
     * seen in training but given a vector (by a pre-trained file, or by word2vec on unlabelled text) is read as
     * itself rather than as {@code <unk>} (as in Lample et al. 2016). A training word seen fewer times than
     * {@code minWordCount} is kept when it has a vector.
     */
    private Vocabulary wordVocabulary(Map<String, Integer> counts, WordVectors vectors) {
        Vocabulary training = Vocabulary.fromCounts(counts, config.minWordCount(), 0);
        if (vectors == null) {
            return training;
        }
        List<String> tokens = new ArrayList<>(training.tokens());
        Set<String> known = new HashSet<>(tokens);
        for (String w : vectors.words()) {
            if (known.add(w)) {
                tokens.add(w);
            }
        }
        return Vocabulary.fromTokens(tokens);
    }

    /**
     * The training batches of {@code sentences} (labelled, after {@link #initialise}): length-bucketed, padded and
     * masked, in an order shuffled with {@code seed}, word dropout drawn from {@code seed}; each built when read.
     */
    public List<MultiDataSet> trainingBatches(List<Block> sentences, long seed) {
        return encode(sentences, true).batches(config.batchSize(), bucketBounds(), seed, config.dropout().words());
    }

    private List<MultiDataSet> trainingBatches(Encoded train, int epoch) {
        return train.batches(config.batchSize(), bucketBounds(), config.train().seed() + epoch,
                config.dropout().words());
    }

    private int[] bucketBounds() {
        return config.bucketBounds().stream().mapToInt(Integer::intValue).toArray();
    }

    private double score(ChunkEvaluation.Result r) {
        return config.scheme() == null ? r.tokenAccuracy() : r.overall().f1();
    }

    private void indexTags() {
        tagIndex = new HashMap<>();
        for (int i = 0; i < tags.size(); i++) {
            tagIndex.put(tags.get(i), i);
        }
    }

    /**
     * The gold tags of {@code b} in the scheme the model learns ({@link TaggerConfig#encoding}); {@code source} names
     * the data in errors.
     */
    private List<String> encodedTags(Block b, String source) {
        List<String> gold = b.column(labelColumn(b));
        if (config.scheme() == null || config.encoding() == config.scheme()) {
            return gold;
        }
        try {
            return ChunkEvaluation.convert(gold, config.scheme(), config.encoding());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ":" + b.firstLine() + ": " + e.getMessage(), e);
        }
    }

    /** Predicted tags (in the model's encoding) in the data's scheme. */
    private List<String> decodedTags(List<String> predicted) {
        if (config.scheme() == null || config.encoding() == config.scheme()) {
            return predicted;
        }
        return ChunkEvaluation.convert(predicted, config.encoding(), config.scheme());
    }

    /**
     * Whether the model can predict {@code goldTag} (a tag in the data's scheme): it learned it, or the tag its
     * encoding writes for it (BIO's B is IOBES's B or S, I is I or E; IOBES's S is BIO's B, E is I).
     */
    private boolean knows(String goldTag) {
        if (tagIndex.containsKey(goldTag) || config.scheme() == null || config.encoding() == config.scheme()
                || goldTag.length() < 3 || goldTag.charAt(1) != '-') {
            return tagIndex.containsKey(goldTag);
        }
        String type = goldTag.substring(1);
        return switch (goldTag.charAt(0)) {
            case 'B' -> tagIndex.containsKey("B" + type) || tagIndex.containsKey("S" + type);
            case 'I' -> tagIndex.containsKey("I" + type) || tagIndex.containsKey("E" + type);
            case 'S' -> tagIndex.containsKey("B" + type);
            case 'E' -> tagIndex.containsKey("I" + type);
            default -> false;
        };
    }

    private int labelColumn(Block b) {
        return config.labelColumn() < 0 ? b.rows().get(0).length - 1 : config.labelColumn();
    }

    private String normalise(String word) {
        return config.lowercase() ? word.toLowerCase(Locale.ROOT) : word;
    }

    ComputationGraph buildGraph() {
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
                .seed(config.train().seed()).dataType(DataType.FLOAT).updater(config.train().updater())
                .graphBuilder();
        List<String> inputs = new ArrayList<>(List.of("words"));
        // an id input's "size" is its vocabulary: DL4J sets the embedding's nIn from the input type
        List<InputType> types = new ArrayList<>(List.of(InputType.recurrent(words.size())));
        List<String> merged = new ArrayList<>(List.of("wordEmb"));
        b.addInputs("words");
        b.addLayer("wordEmb", new EmbeddingSequenceLayer.Builder().nIn(words.size()).nOut(config.wordDim())
                .inferInputLength(true).build(), "words");
        for (int i = 0; i < features.size(); i++) {
            String in = "feature" + i;
            b.addInputs(in);
            inputs.add(in);
            types.add(InputType.recurrent(features.get(i).size()));
            b.addLayer(in + "Emb", new EmbeddingSequenceLayer.Builder().nIn(features.get(i).size())
                    .nOut(config.featureDim()).inferInputLength(true).build(), in);
            merged.add(in + "Emb");
        }
        if (config.casing()) {
            b.addInputs("casing");
            inputs.add("casing");
            types.add(InputType.recurrent(Casing.values().length));
            b.addLayer("casingEmb", new EmbeddingSequenceLayer.Builder().nIn(Casing.values().length)
                    .nOut(config.featureDim()).inferInputLength(true).build(), "casing");
            merged.add("casingEmb");
        }
        if (config.charCnn()) {
            b.addInputs("chars");
            inputs.add("chars");
            types.add(InputType.recurrent(config.maxWordLength()));
            b.addVertex("charCnn", new CharCnn(chars.size(), 16, config.charFilters(), 3, config.maxWordLength())
                    .named("charCnn"), "chars");
            merged.add("charCnn");
        }
        String features = merged.get(0);
        if (merged.size() > 1) {
            b.addVertex("features", new MergeVertex(), merged.toArray(new String[0]));
            features = "features";
        }
        String top = RecurrentStack.add(b, "encoder", features,
                config.encoder().withDropout(config.dropout().input()));
        // dropout on the encoder's output is the output layer's dropout on its input (DL4J's DropoutLayer multiplies
        // a 3-d activation by a [mb, T] mask as if it were 2-d, and fails); DL4J's Dropout takes the keep probability
        org.deeplearning4j.nn.conf.dropout.IDropout outDrop = config.dropout().output() > 0
                ? new org.deeplearning4j.nn.conf.dropout.Dropout(1 - config.dropout().output()) : null;
        if (config.crf()) {
            b.addLayer(OUT, new Crf.Builder().nOut(tags.size()).dropOut(outDrop).build(), top);
        } else {
            b.addLayer(OUT, new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                    .activation(Activation.SOFTMAX).nOut(tags.size()).dropOut(outDrop).build(), top);
        }
        b.setOutputs(OUT).setInputTypes(types.toArray(new InputType[0]));
        // the input order is fixed: words, features..., casing, chars
        ComputationGraph g = new ComputationGraph(b.build());
        g.init();
        return g;
    }

    // ---- encoding --------------------------------------------------------------------------------------------------

    /** Sentences as index arrays. */
    private final class Encoded {
        final List<int[]> wordIds = new ArrayList<>();
        final List<List<int[]>> featureIds = new ArrayList<>();
        final List<int[]> casingIds = new ArrayList<>();
        final List<int[][]> charIds = new ArrayList<>();
        final List<int[]> tagIds = new ArrayList<>();
        final int[] lengths;

        Encoded(List<Block> blocks, boolean withTags) {
            for (int f = 0; f < features.size(); f++) {
                featureIds.add(new ArrayList<>());
            }
            lengths = new int[blocks.size()];
            for (int i = 0; i < blocks.size(); i++) {
                Block b = blocks.get(i);
                lengths[i] = b.length();
                wordIds.add(b.column(config.tokenColumn()).stream().mapToInt(w -> words.id(normalise(w))).toArray());
                for (int f = 0; f < features.size(); f++) {
                    featureIds.get(f).add(features.get(f).encode(b.column(config.featureColumns().get(f))));
                }
                if (config.casing()) {
                    casingIds.add(b.column(config.tokenColumn()).stream().mapToInt(w -> Casing.of(w).ordinal())
                            .toArray());
                }
                if (config.charCnn()) {
                    int[][] c = new int[b.length()][config.maxWordLength()];
                    for (int t = 0; t < b.length(); t++) {
                        List<String> cs = Vocabulary.characters(b.rows().get(t)[config.tokenColumn()]);
                        for (int j = 0; j < Math.min(cs.size(), config.maxWordLength()); j++) {
                            c[t][j] = chars.id(cs.get(j));
                        }
                    }
                    charIds.add(c);
                }
                if (withTags) {
                    List<String> labels = encodedTags(b, "data");
                    int[] y = new int[labels.size()];
                    for (int t = 0; t < y.length; t++) {
                        Integer k = tagIndex.get(labels.get(t));
                        Checks.require(k != null, "Tagger: tag '%s' (sentence at line %d) was not in the training "
                                + "data; known tags: %s", labels.get(t), b.firstLine(), tags);
                        y[t] = k;
                    }
                    tagIds.add(y);
                }
            }
        }

        /**
         * One epoch's batches (order seeded with {@code seed}), each built when the trainer reads it and not kept;
         * each word of a training sentence is read as {@code <unk>} with probability {@code wordDropout}, drawn
         * from {@code seed} and the batch's index (a resumed run draws the same).
         */
        List<MultiDataSet> batches(int batchSize, int[] bounds, long seed, double wordDropout) {
            List<int[]> order = Batching.batches(lengths, batchSize, bounds, seed);
            return EpochData.onDemand(order.size(), k -> {
                int[] batch = order.get(k);
                List<int[]> ids = wordIds;
                if (wordDropout > 0) {   // the batch's sentences with dropped words, by their sentence index
                    java.util.Random drop = new java.util.Random((seed * 0x9E3779B97F4A7C15L + 17) * 31 + k);
                    Map<Integer, int[]> dropped = new HashMap<>();
                    for (int i : batch) {
                        int[] w = wordIds.get(i).clone();
                        for (int t = 0; t < w.length; t++) {
                            if (drop.nextDouble() < wordDropout) {
                                w[t] = Vocabulary.UNK_ID;
                            }
                        }
                        dropped.put(i, w);
                    }
                    ids = new java.util.AbstractList<>() {
                        @Override
                        public int[] get(int i) {
                            int[] w = dropped.get(i);
                            return w != null ? w : wordIds.get(i);
                        }

                        @Override
                        public int size() {
                            return wordIds.size();
                        }
                    };
                }
                return batch(batch, Batching.padLength(lengths, batch, bounds), ids);
            });
        }

        MultiDataSet batch(int[] batch, int steps) {
            return batch(batch, steps, wordIds);
        }

        private MultiDataSet batch(int[] batch, int steps, List<int[]> wordIds) {
            INDArray mask = Batching.mask(wordIds, batch, steps);
            List<INDArray> in = new ArrayList<>();
            List<INDArray> masks = new ArrayList<>();
            in.add(Batching.ids(wordIds, batch, steps));
            masks.add(mask);
            for (List<int[]> f : featureIds) {
                in.add(Batching.ids(f, batch, steps));
                masks.add(mask);
            }
            if (config.casing()) {
                in.add(Batching.ids(casingIds, batch, steps));
                masks.add(mask);
            }
            if (config.charCnn()) {
                INDArray c = Nd4j.zeros(DataType.FLOAT, batch.length, config.maxWordLength(), steps);
                for (int i = 0; i < batch.length; i++) {
                    int[][] ids = charIds.get(batch[i]);
                    for (int t = 0; t < ids.length; t++) {
                        for (int j = 0; j < ids[t].length; j++) {
                            if (ids[t][j] != 0) {
                                c.putScalar(new long[] {i, j, t}, ids[t][j]);
                            }
                        }
                    }
                }
                in.add(c);
                masks.add(mask);
            }
            INDArray labels = null;
            if (!tagIds.isEmpty()) {
                labels = Nd4j.zeros(DataType.FLOAT, batch.length, tags.size(), steps);
                for (int i = 0; i < batch.length; i++) {
                    int[] y = tagIds.get(batch[i]);
                    for (int t = 0; t < y.length; t++) {
                        labels.putScalar(new long[] {i, y[t], t}, 1.0);
                    }
                }
            }
            return new MultiDataSet(in.toArray(new INDArray[0]), labels == null ? null : new INDArray[] {labels},
                    masks.toArray(new INDArray[0]), labels == null ? null : new INDArray[] {mask});
        }
    }

    private Encoded encode(List<Block> blocks, boolean withTags) {
        return new Encoded(blocks, withTags);
    }

    // ---- prediction and evaluation ---------------------------------------------------------------------------------

    /** The tag sequence of each sentence (Viterbi for a CRF, per-token argmax for softmax). */
    public List<List<String>> predict(List<Block> sentences) {
        Checks.requireState(graph != null, "Tagger: train or load a model before predicting");
        config.checkColumns(sentences, "input", false, 0);
        Encoded e = encode(sentences, false);
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            out.add(null);
        }
        int[] bounds = bucketBounds();
        int longest = java.util.Arrays.stream(e.lengths).max().orElse(0);
        if (bounds.length > 0 && longest > bounds[bounds.length - 1]) {
            // every layer takes any length: a sentence longer than the training buckets gets a bucket of its own
            bounds = java.util.Arrays.copyOf(bounds, bounds.length + 1);
            bounds[bounds.length - 1] = longest;
        }
        for (int[] batch : Batching.batches(e.lengths, 64, bounds, 0)) {
            MultiDataSet m = e.batch(batch, Batching.padLength(e.lengths, batch, bounds));
            INDArray mask = m.getFeaturesMaskArray(0);
            List<int[]> paths = new ArrayList<>();
            if (config.crf()) {
                graph.setLayerMaskArrays(m.getFeaturesMaskArrays(), null);
                INDArray below = graph.feedForward(m.getFeatures(), false, false).get(graph.getConfiguration()
                        .getVertexInputs().get(OUT).get(0));
                paths = ((CrfLayer) graph.getLayer(OUT)).viterbi(below, mask);
                graph.clearLayerMaskArrays();
                graph.clearLayersStates();
            } else {
                INDArray probs = graph.output(false, m.getFeatures(), m.getFeaturesMaskArrays())[0];
                INDArray best = probs.argMax(1);
                for (int i = 0; i < batch.length; i++) {
                    int[] p = new int[e.lengths[batch[i]]];
                    for (int t = 0; t < p.length; t++) {
                        p[t] = best.getInt(i, t);
                    }
                    paths.add(p);
                }
            }
            for (int i = 0; i < batch.length; i++) {
                List<String> t = new ArrayList<>();
                for (int k : paths.get(i)) {
                    t.add(tags.get(k));
                }
                out.set(batch[i], decodedTags(t));
            }
        }
        return out;
    }

    /**
     * Sentences of words (token in column 0, as {@link TaggingData#readText} gives them) as the rows this tagger
     * reads: the word in its token column and each feature column filled by the tagger of {@code featureTaggers} at
     * the same position (e.g. a POS tagger trained with {@code --label-column 1 --scheme none} for a chunker trained
     * with {@code --feature-columns 1}); other columns are {@code _}. An error names {@code source} when the counts
     * differ.
     */
    public List<Block> withFeatures(List<Block> words, List<Tagger> featureTaggers, String source) {
        List<Integer> cols = config.featureColumns();
        Checks.require(featureTaggers.size() == cols.size(), "%s has only words, and this model reads %d feature "
                        + "column(s) %s besides them (it was trained with --feature-columns %s); give one feature tagger "
                        + "per column (--feature-tagger MODEL, a tagger trained on that column, e.g. tag train "
                        + "--label-column 1 --scheme none for POS), got %d, or give the columns in a CoNLL file", source,
                cols.size(), cols, String.join(",", cols.stream().map(String::valueOf).toList()),
                featureTaggers.size());
        List<List<List<String>>> tagged = new ArrayList<>();
        for (Tagger f : featureTaggers) {
            Checks.require(f.config().featureColumns().isEmpty(), "a feature tagger must read words only, but one "
                    + "reads feature columns %s", f.config().featureColumns());
            List<Block> in = words;
            if (f.config().tokenColumn() != 0) {
                in = words.stream().map(b -> shifted(b, f.config().tokenColumn())).toList();
            }
            tagged.add(f.predict(in));
        }
        int width = config.tokenColumn() + 1;
        for (int c : cols) {
            width = Math.max(width, c + 1);
        }
        List<Block> out = new ArrayList<>(words.size());
        for (int i = 0; i < words.size(); i++) {
            Block b = words.get(i);
            List<String[]> rows = new ArrayList<>(b.length());
            for (int t = 0; t < b.length(); t++) {
                String[] row = blankRow(width);
                row[config.tokenColumn()] = b.rows().get(t)[0];
                for (int j = 0; j < cols.size(); j++) {
                    row[cols.get(j)] = tagged.get(j).get(i).get(t);
                }
                rows.add(row);
            }
            out.add(new Block(rows, b.firstLine()));
        }
        return out;
    }

    /** {@code b} with its column 0 moved to column {@code tokenColumn} (other columns {@code _}). */
    private static Block shifted(Block b, int tokenColumn) {
        List<String[]> rows = new ArrayList<>();
        for (String[] r : b.rows()) {
            String[] row = blankRow(tokenColumn + 1);
            row[tokenColumn] = r[0];
            rows.add(row);
        }
        return new Block(rows, b.firstLine());
    }

    /** A row of {@code width} columns, each {@code _} (CoNLL's empty field). */
    private static String[] blankRow(int width) {
        String[] row = new String[width];
        java.util.Arrays.fill(row, "_");
        return row;
    }

    /**
     * Checks that {@code data} has the columns this tagger reads (and, when {@code labelled}, a tag column of its own
     * matching the training layout), with {@code source} (a file name) and the sentence's line in the message.
     */
    public void checkColumns(List<Block> data, String source, boolean labelled) {
        config.checkColumns(data, source, labelled, trainedColumns);
    }

    /** Tags {@code data} and scores it against its labels. */
    public Evaluation evaluate(List<Block> data) {
        config.checkColumns(data, "evaluation data", true, trainedColumns);
        List<List<String>> predicted = predict(data);
        List<List<String>> gold = new ArrayList<>();
        for (Block b : data) {
            gold.add(b.column(labelColumn(b)));
        }
        ChunkEvaluation.Result result;
        if (config.scheme() == null) {
            long correct = 0;
            long total = 0;
            for (int i = 0; i < gold.size(); i++) {
                for (int t = 0; t < gold.get(i).size(); t++) {
                    correct += gold.get(i).get(t).equals(predicted.get(i).get(t)) ? 1 : 0;
                    total++;
                }
            }
            result = new ChunkEvaluation.Result(new ChunkEvaluation.Counts(0, 0, 0), Map.of(), total, correct);
        } else {
            result = ChunkEvaluation.evaluate(gold, predicted, config.scheme());
        }
        Map<String, Integer> confusions = new HashMap<>();
        Map<String, Integer> unseen = new java.util.TreeMap<>();
        for (int i = 0; i < gold.size(); i++) {
            for (int t = 0; t < gold.get(i).size(); t++) {
                if (!knows(gold.get(i).get(t))) {
                    unseen.merge(gold.get(i).get(t), 1, Integer::sum);
                }
                if (!gold.get(i).get(t).equals(predicted.get(i).get(t))) {
                    confusions.merge(gold.get(i).get(t) + " → " + predicted.get(i).get(t), 1, Integer::sum);
                }
            }
        }
        List<Map.Entry<String, Integer>> top = new ArrayList<>(confusions.entrySet());
        top.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        return new Evaluation(result, predicted, List.copyOf(top.subList(0, Math.min(10, top.size()))),
                java.util.Collections.unmodifiableMap(unseen));
    }

    // ---- persistence -----------------------------------------------------------------------------------------------

    /** Writes the model (graph, vocabularies, columns) to one zip, atomically. */
    public void save(Path file) {
        Checks.requireState(graph != null, "Tagger: nothing to save before training");
        Properties p = new Properties();
        p.putAll(vocabularies());
        p.setProperty("tokenColumn", Integer.toString(config.tokenColumn()));
        p.setProperty("labelColumn", Integer.toString(config.labelColumn()));
        p.setProperty("featureColumns", join(config.featureColumns()));
        p.setProperty("scheme", config.scheme() == null ? "none" : config.scheme().name());
        p.setProperty("lowercase", Boolean.toString(config.lowercase()));
        p.setProperty("crf", Boolean.toString(config.crf()));
        p.setProperty("charCnn", Boolean.toString(config.charCnn()));
        p.setProperty("charFilters", Integer.toString(config.charFilters()));
        p.setProperty("maxWordLength", Integer.toString(config.maxWordLength()));
        p.setProperty("bucketBounds", join(config.bucketBounds()));
        Map<String, String> tagger = new LinkedHashMap<>();
        p.stringPropertyNames().stream().sorted().forEach(k -> tagger.put(k, p.getProperty(k)));
        ModelArchive.write(file, KIND, graph, false, Map.of(CONFIG_KEY, tagger, FULL_CONFIG_KEY, config.toMap(),
                "run-info", RunInfo.current(graph.getConfiguration().getDefaultConfiguration().getSeed())), Map.of());
    }

    private static String join(List<Integer> v) {
        return String.join(",", v.stream().map(String::valueOf).toList());
    }

    private static List<Integer> ints(String s) {
        return s.isEmpty() ? List.of() : java.util.Arrays.stream(s.split(",")).map(Integer::valueOf).toList();
    }

    /** Reads a model written by {@link #save}, with the columns, scheme and output it was trained with. */
    public static Tagger load(Path file) {
        ModelArchive.Contents contents = ModelArchive.read(file, KIND, Set.of(CONFIG_KEY, FULL_CONFIG_KEY,
                "run-info"), Set.of(), false);
        try {
            Properties p = new Properties();
            JsonNode stored = contents.json(CONFIG_KEY);
            stored.fieldNames().forEachRemaining(k -> p.setProperty(k, stored.get(k).asText()));
            JsonNode full = contents.json().get(FULL_CONFIG_KEY);   // json(name) would throw where it is missing
            if (full != null) {   // files since the whole configuration is stored
                return load(file, TaggerConfig.fromMap(full, KIND + " file " + file), p, contents.graph());
            }
            String scheme = p.getProperty("scheme");
            ChunkEvaluation.Scheme sch = scheme.equals("none") ? null : ChunkEvaluation.Scheme.valueOf(scheme);
            TaggerConfig c = TaggerConfig.bilstmCrf(sch).withEncoding(sch).withDropout(TaggerConfig.Dropout.NONE)
                    .withColumns(Integer.parseInt(p.getProperty("tokenColumn")),
                            Integer.parseInt(p.getProperty("labelColumn")), ints(p.getProperty("featureColumns")))
                    .withWords(100, null, Boolean.parseBoolean(p.getProperty("lowercase")), 1)
                    .withCrf(Boolean.parseBoolean(p.getProperty("crf")))
                    .withCasing(false)   // files of this form predate the casing input
                    .withCharCnn(Boolean.parseBoolean(p.getProperty("charCnn")),
                            Integer.parseInt(p.getProperty("charFilters")),
                            Integer.parseInt(p.getProperty("maxWordLength")))
                    .withBatches(32, ints(p.getProperty("bucketBounds")));
            return load(file, c, p, contents.graph());
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("Tagger model " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static Tagger load(Path file, TaggerConfig config, Properties p, ComputationGraph graph) {
        Map<String, String> entries = new HashMap<>();
        p.stringPropertyNames().forEach(k -> entries.put(k, p.getProperty(k)));
        Tagger t;
        try {
            t = withVocabularies(config, entries);
        } catch (Exception e) {
            throw new IllegalArgumentException("Tagger model " + file + " cannot be read: " + e.getMessage(), e);
        }
        t.graph = graph;
        return t;
    }

    /**
     * The vocabularies (words, characters, tags, feature values) and the training data's column count as text
     * entries: what a model file stores, and what {@link #withVocabularies} reads back.
     */
    public Map<String, String> vocabularies() {
        Checks.requireState(words != null, "Tagger: no vocabularies before training (or initialise)");
        Map<String, String> m = new LinkedHashMap<>();
        m.put("words", String.join("\n", words.tokens()));
        m.put("chars", String.join("\n", chars.tokens()));
        m.put("tags", String.join("\n", tags));
        m.put("trainedColumns", Integer.toString(trainedColumns));
        m.put("featureCount", Integer.toString(features.size()));
        for (int i = 0; i < features.size(); i++) {
            m.put("feature" + i, String.join("\n", features.get(i).tokens()));
        }
        return m;
    }

    /**
     * A tagger with {@code config} and the vocabularies of {@link #vocabularies()}, without a graph: it encodes
     * sentences ({@link #trainingBatches(List, long)}) exactly as the tagger they came from, for example on a Spark
     * executor.
     */
    public static Tagger withVocabularies(TaggerConfig config, Map<String, String> entries) {
        Tagger t = new Tagger(config);
        t.words = Vocabulary.fromTokens(List.of(entries.get("words").split("\n", -1)));
        t.chars = Vocabulary.fromTokens(List.of(entries.get("chars").split("\n", -1)));
        t.tags = List.of(entries.get("tags").split("\n", -1));
        t.trainedColumns = Integer.parseInt(entries.getOrDefault("trainedColumns", "0"));
        for (int i = 0; i < Integer.parseInt(entries.get("featureCount")); i++) {
            t.features.add(Vocabulary.fromTokens(List.of(entries.get("feature" + i).split("\n", -1))));
        }
        t.indexTags();
        return t;
    }

    /** The tag scheme of this tagger (null for plain tags). */
    public ChunkEvaluation.Scheme scheme() {
        return config.scheme();
    }

    /**
     * Sentences with gold and predicted tags in the format conlleval reads ({@code token gold predicted}); IOBES tags
     * are written as BIO (S as B, E as I), so that conlleval, which has no IOBES rules, gives seq4j's scores.
     */
    public String conllEval(List<Block> data, List<List<String>> predicted) {
        List<org.seq4j.data.ConllReader.Sentence> gold = new ArrayList<>();
        List<List<String>> guessed = predicted;
        boolean toBio = config.scheme() == ChunkEvaluation.Scheme.IOBES;
        if (toBio) {   // conlleval has no IOBES rules: S and E as B and I, the chunks seq4j scores
            guessed = predicted.stream().map(p -> ChunkEvaluation.convert(p, ChunkEvaluation.Scheme.IOBES,
                    ChunkEvaluation.Scheme.BIO)).toList();
        }
        for (Block b : data) {
            List<String> g = b.column(labelColumn(b));
            gold.add(new org.seq4j.data.ConllReader.Sentence(b.column(config.tokenColumn()), toBio
                    ? ChunkEvaluation.convert(g, ChunkEvaluation.Scheme.IOBES, ChunkEvaluation.Scheme.BIO) : g,
                    b.firstLine()));
        }
        return org.seq4j.data.ConllReader.toConllEval(gold, guessed);
    }

    /** The sizes of the vocabularies, for reports. */
    public Map<String, Integer> sizes() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("words", words.size());
        m.put("chars", chars.size());
        m.put("tags", tags.size());
        for (int i = 0; i < features.size(); i++) {
            m.put("feature" + i, features.get(i).size());
        }
        return m;
    }
}
