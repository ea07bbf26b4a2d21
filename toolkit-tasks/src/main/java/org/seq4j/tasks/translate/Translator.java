package org.seq4j.tasks.translate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex;
import org.deeplearning4j.nn.conf.graph.rnn.ReverseTimeSeriesVertex;
import org.deeplearning4j.nn.conf.graph.rnn.DuplicateToTimeSeriesVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.seq4j.attention.AttentionStep;
import org.seq4j.core.AttentionDecoder;
import org.seq4j.core.AttentionDecoderVertex;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.cells.RecurrentStack;
import org.seq4j.core.CellState;
import org.seq4j.core.SoftmaxOutput;
import org.seq4j.data.Batching;
import org.seq4j.data.ParallelText;
import org.seq4j.data.Vocabulary;
import org.seq4j.io.ModelArchive;
import org.seq4j.metrics.Bleu;
import org.seq4j.metrics.ChrF;
import org.seq4j.tasks.TaskResult;
import org.seq4j.train.Checkpoint;
import org.seq4j.train.EpochData;
import org.seq4j.train.RunInfo;
import org.seq4j.train.TrainConfig;
import org.seq4j.train.TiedWeights;
import org.seq4j.train.Trainer;
import org.seq4j.train.Validation;
import org.seq4j.util.Checks;

/**
 * Encoder-decoder translation with attention ({@link TranslateConfig}): trained with teacher forcing on padded,
 * masked batches of sentences of similar length; decoded step by step from the decoder's {@link CellState} (never by
 * re-reading the prefix), greedily or by beam search ({@link Decoding}), batched over sentences.
 *
 * <pre>{@code
 * List<ParallelText.Pair> train = ParallelText.readTsv(Path.of("de-en.tsv"), true, 0, 1);
 * Translator t = new Translator(TranslateConfig.defaults());
 * t.fit(train, valid, TrainConfig.defaults().withEpochs(10));
 * Translator.Evaluation e = t.evaluate(test, Decoding.beam(5));      // BLEU, chrF
 * String en = t.translate(List.of("Das ist gut."), Decoding.beam(5)).get(0).best().text();
 * }</pre>
 *
 * <p>Text is tokenized by {@link Tokens} (reversible; output is detokenized before scoring). Tokens seen fewer than
 * {@code minCount} times in training become {@code <unk>}, in training and at inference (unknown source tokens are
 * counted in {@link Translations#unknownSourceTokens}). An empty source sentence translates to the empty string.
 */
public final class Translator {

    /** The kind of {@link ModelArchive} a translator is saved as. */
    public static final String KIND = "translator";
    private static final String CONFIG = "translator";

    static final String SOURCE = "source";
    static final String TARGET = "target";
    static final String SOURCE_EMBED = "source_embed";
    static final String TARGET_EMBED = "target_embed";
    static final String ENCODER = "encoder";
    static final String DECODER = "decoder";
    static final String BRIDGE = "bridge";
    static final String ATTENTION = "attention";
    static final String ATTENTION_HIDDEN = "attention_hidden";
    static final String ATTENTION_DECODER = "attention_decoder";
    static final String OUT = "out";

    private final TranslateConfig config;
    private Vocabulary sourceVocab;
    private Vocabulary targetVocab;
    private ComputationGraph graph;
    private final List<Diagnostic> history = new ArrayList<>();
    private int skippedTooLong;
    private ScheduledSampling sampling;
    private Bpe bpe;

    /** One hypothesis: detokenized text, its tokens, scores, and its attention {@code [target token][source token]}. */
    public record Translation(String text, List<String> tokens, double score, double logProb, boolean finished,
                              float[][] attention) {
    }

    /** The n-best translations of one source sentence, best first. */
    public record Translations(String source, List<String> sourceTokens, int unknownSourceTokens,
                               List<Translation> nBest) {
        public Translation best() {
            return nBest.get(0);
        }
    }

    /**
     * Scores of a decoded set: corpus BLEU and chrF (sacreBLEU's defaults, on detokenized text), the share of
     * sentences translated exactly, and each sentence's output.
     */
    public record Evaluation(int sentences, double bleu, double chrF, double exactMatch, double seconds,
                             List<String> hypotheses, List<String> references, int[] sourceLengths) {
        public double sentencesPerSecond() {
            return seconds > 0 ? sentences / seconds : 0;
        }

        /**
         * Corpus BLEU of each of {@code n} groups of sentences by source length (sorted by length, cut into groups of
         * equal size; ties stay in one group order), shortest first: Bahdanau et al.'s Fig. 2 in small.
         */
        public List<LengthBucket> byLength(int n) {
            Checks.require(n >= 1 && n <= sentences, "Evaluation: need 1 <= buckets <= %d sentences, got %d",
                    sentences, n);
            Integer[] order = new Integer[sentences];
            for (int i = 0; i < sentences; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingInt(i -> sourceLengths[i]));
            List<LengthBucket> out = new ArrayList<>();
            for (int b = 0; b < n; b++) {
                int from = (int) ((long) b * sentences / n);
                int to = (int) ((long) (b + 1) * sentences / n);
                List<String> h = new ArrayList<>();
                List<String> r = new ArrayList<>();
                for (int j = from; j < to; j++) {
                    h.add(hypotheses.get(order[j]));
                    r.add(references.get(order[j]));
                }
                out.add(new LengthBucket(sourceLengths[order[from]], sourceLengths[order[to - 1]], to - from,
                        Bleu.corpus(h, r).score()));
            }
            return out;
        }
    }

    /** BLEU of the sentences whose source has {@code minLength..maxLength} tokens. */
    public record LengthBucket(int minLength, int maxLength, int sentences, double bleu) {
    }

    /**
     * After an epoch: BLEU of greedy decoding (the model reads its own output) next to the accuracy of the next token
     * under teacher forcing (it reads the reference) on the validation set. A gap that grows while the accuracy rises
     * is exposure bias.
     */
    public record Diagnostic(int epoch, double greedyBleu, double teacherForcedAccuracy) {
    }

    public Translator(TranslateConfig config) {
        Checks.require(config != null, "Translator: config must not be null");
        this.config = config;
    }

    public TranslateConfig config() {
        return config;
    }

    public ComputationGraph graph() {
        return graph;
    }

    public Vocabulary sourceVocabulary() {
        return sourceVocab;
    }

    public Vocabulary targetVocabulary() {
        return targetVocab;
    }

    /** Trains with scheduled sampling (null: pure teacher forcing, the default). */
    public Translator scheduledSampling(ScheduledSampling s) {
        this.sampling = s;
        return this;
    }

    /** Validation diagnostics, one per epoch of the last {@link #fit} (empty without validation pairs). */
    public List<Diagnostic> history() {
        return List.copyOf(history);
    }

    /** Training pairs left out by the last {@link #fit} because a side had more than {@code maxLength} tokens. */
    public int skippedTooLong() {
        return skippedTooLong;
    }

    // ---- training --------------------------------------------------------------------------------------------------

    /**
     * Trains on {@code train}; {@code valid} (may be null or empty) is translated greedily after every epoch and
     * scored by BLEU for early stopping and model selection. Vocabularies and network are made on the first call.
     */
    public Trainer.Result fit(List<ParallelText.Pair> train, List<ParallelText.Pair> valid, TrainConfig tc) {
        Encoded data = prepare(train, tc);
        return new Trainer(tc).fit(graph, epochs(data, tc.seed()), validation(valid));
    }

    /**
     * The translation pipeline: trains on {@code train} with model selection on {@code valid} (continuing from
     * {@code checkpoint} when it is not null), then translates {@code test} with {@code decoding} and scores it:
     * BLEU (the primary metric), chrF and exact match, in percent.
     *
     * @param dataset the pairs' name, for reports
     */
    public TaskResult<Evaluation> run(String dataset, List<ParallelText.Pair> train, List<ParallelText.Pair> valid,
                                      List<ParallelText.Pair> test, TrainConfig tc, Decoding decoding,
                                      Path checkpoint) {
        Checks.require(test != null && !test.isEmpty(), "Translator.run: no test pairs to score");
        Trainer.Result r = checkpoint == null ? fit(train, valid, tc) : resume(checkpoint, train, valid, tc);
        Evaluation e = evaluate(test, decoding);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("bleu", e.bleu());
        metrics.put("chrF", e.chrF());
        metrics.put("exactMatch", 100 * e.exactMatch());
        TaskResult.Score score = new TaskResult.Score("test", "bleu", true, metrics, e.sentences(), "sentence",
                e.seconds());
        return new TaskResult<>("translate", dataset, config.label(), parameters(), score,
                TaskResult.Training.of(r, "BLEU"), config.toMap(), RunInfo.current(tc.seed()), e);
    }

    /** Continues the run saved in {@code checkpoint} (written by {@link #fit} with the same data and options). */
    public Trainer.Result resume(Path checkpoint, List<ParallelText.Pair> train, List<ParallelText.Pair> valid,
                                 TrainConfig tc) {
        Encoded data = prepare(train, tc);
        Checkpoint c = Checkpoint.read(checkpoint);
        Checks.require(c.graph().params().length() == graph.params().length(), "checkpoint %s was written by another model (%d "
                + "parameters) than this run builds (%d): resume with the same data and options", checkpoint,
                c.graph().params().length(), graph.params().length());
        graph = c.graph();   // the network scheduled sampling predicts with
        tie(graph);
        ComputationGraph[] trained = new ComputationGraph[1];
        Trainer.Result r = new Trainer(tc).resume(c, epochs(data, tc.seed()), validation(valid), trained);
        graph = trained[0];
        return r;
    }

    /** With tied embeddings: the softmax's weights follow the target embedding ({@link TiedWeights}). */
    private void tie(ComputationGraph g) {
        if (config.tiedEmbeddings()) {
            TiedWeights.tie(g, TARGET_EMBED, OUT);
        }
    }

    /** The free parameters: the graph's, less the mirrored softmax weights when the embeddings are tied. */
    public long parameters() {
        long n = TaskResult.parameters(graph);
        return config.tiedEmbeddings() ? n - graph.getLayer(OUT).getParam("W").length() : n;
    }

    private Encoded prepare(List<ParallelText.Pair> train, TrainConfig tc) {
        Checks.require(train != null && !train.isEmpty(), "Translator: no training pairs");
        if (config.bpeMerges() > 0 && bpe == null) {
            List<List<String>> words = new ArrayList<>();
            for (ParallelText.Pair p : train) {
                words.add(Tokens.tokenize(p.source()));
                words.add(Tokens.tokenize(p.target()));
            }
            bpe = Bpe.learn(words, config.bpeMerges(), 2);
        }
        List<List<String>> src = new ArrayList<>();
        List<List<String>> tgt = new ArrayList<>();
        skippedTooLong = 0;
        for (ParallelText.Pair p : train) {
            List<String> s = pieces(p.source());
            List<String> t = pieces(p.target());
            if (s.size() > config.maxLength() || t.size() > config.maxLength()) {
                skippedTooLong++;
                continue;
            }
            src.add(s);
            tgt.add(t);
        }
        Checks.require(!src.isEmpty(), "Translator: all %d training pairs are longer than maxLength = %d tokens",
                train.size(), config.maxLength());
        if (sourceVocab == null) {
            if (config.sharedVocabulary()) {
                List<List<String>> both = new ArrayList<>(src);
                both.addAll(tgt);
                sourceVocab = Vocabulary.build(both, config.minCount(), config.maxVocab());
                targetVocab = sourceVocab;
            } else {
                sourceVocab = Vocabulary.build(src, config.minCount(), config.maxVocab());
                targetVocab = Vocabulary.build(tgt, config.minCount(), config.maxVocab());
            }
        }
        if (graph == null) {
            graph = new ComputationGraph(configuration(tc));
            graph.init();
            tie(graph);
        }
        history.clear();
        Encoded e = new Encoded(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < src.size(); i++) {
            e.sources.add(sourceVocab.encode(src.get(i)));
            e.targets.add(targetVocab.encode(tgt.get(i)));
        }
        return e;
    }

    /** Token ids of sentence pairs. */
    record Encoded(List<int[]> sources, List<int[]> targets) {
        int[] sourceLengths() {
            return sources.stream().mapToInt(s -> s.length).toArray();
        }

        MultiDataSet batch(int[] rows) {
            int s = Arrays.stream(rows).map(i -> sources.get(i).length).max().orElseThrow();
            // at least 2 target steps: DL4J M2.1's FeedForwardToRnnPreProcessor rejects a [1, 1] mask
            int t = Math.max(2, Arrays.stream(rows).map(i -> targets.get(i).length).max().orElseThrow() + 1);
            return Batching.seq2seq(sources, targets, rows, s, t);
        }
    }

    /** Each epoch: pairs bucketed by source length (buckets of 4 tokens), shuffled with {@code seed + epoch}. */
    private EpochData epochs(Encoded data, long seed) {
        int[] lengths = data.sourceLengths();
        int longest = Arrays.stream(lengths).max().orElseThrow();
        int[] bounds = new int[(longest + 3) / 4];
        for (int i = 0; i < bounds.length; i++) {
            bounds[i] = 4 * (i + 1);
        }
        return epoch -> {
            double teacherForcing = sampling == null ? 1 : sampling.teacherForcing(epoch);
            List<int[]> order = Batching.batches(lengths, config.batch(), bounds, seed + epoch);
            return EpochData.onDemand(order.size(), k -> {   // built when the trainer reads it, not kept
                MultiDataSet m = data.batch(order.get(k));
                if (teacherForcing < 1) {   // the model's predictions as they are when the batch is trained
                    mixInPredictions(m, teacherForcing, new java.util.Random((seed * 1_000_003L + epoch) * 31 + k));
                }
                return m;
            });
        };
    }

    /**
     * Scheduled sampling: each decoder input after {@code <s>} becomes, with probability {@code 1 − teacherForcing},
     * the model's most probable token at the step before (one teacher-forced pass).
     */
    void mixInPredictions(MultiDataSet m, double teacherForcing, java.util.Random coin) {
        graph.clear();
        INDArray best = graph.output(false, m.getFeatures(), m.getFeaturesMaskArrays())[0].argMax(1);   // [mb, T]
        INDArray in = m.getFeatures(1);                                                                  // [mb, 1, T]
        INDArray mask = m.getFeaturesMaskArray(1);
        for (int i = 0; i < in.size(0); i++) {
            for (int t = 1; t < in.size(2); t++) {
                if (mask.getDouble(i, t) > 0 && coin.nextDouble() >= teacherForcing) {
                    in.putScalar(new long[] {i, 0, t}, best.getDouble(i, t - 1));
                }
            }
        }
    }

    private Validation validation(List<ParallelText.Pair> valid) {
        if (valid == null || valid.isEmpty()) {
            return null;
        }
        List<String> sources = valid.stream().map(ParallelText.Pair::source).toList();
        List<String> refs = valid.stream().map(ParallelText.Pair::target).toList();
        return new Validation("valid BLEU (greedy)", g -> {
            List<String> hyps = decode(g, sources, Decoding.greedy()).stream().map(x -> x.best().text()).toList();
            double bleu = Bleu.corpus(hyps, refs).score();
            history.add(new Diagnostic(history.size(), bleu, teacherForcedAccuracy(g, valid)));
            return bleu;
        }, true);
    }

    private ComputationGraphConfiguration configuration(TrainConfig tc) {
        NeuralNetConfiguration.Builder nn = new NeuralNetConfiguration.Builder().seed(tc.seed())
                .dataType(DataType.FLOAT).updater(tc.updater()).weightInit(WeightInit.XAVIER);
        ComputationGraphConfiguration.GraphBuilder g = nn.graphBuilder().addInputs(SOURCE, TARGET);
        g.addLayer(SOURCE_EMBED, embedding(sourceVocab.size()), SOURCE);
        String enc = RecurrentStack.add(g, ENCODER, SOURCE_EMBED, config.encoder().withDropout(config.dropout()));
        g.addLayer(TARGET_EMBED, embedding(targetVocab.size()), TARGET);
        String decoderInput = TARGET_EMBED;
        if (config.bridge() == TranslateConfig.Bridge.DENSE) {
            g.addLayer(BRIDGE, new DenseLayer.Builder().nOut(config.decoder().outputSize())
                    .activation(Activation.TANH).build(), finalStates(g, enc));
            g.addVertex("bridge_steps", new DuplicateToTimeSeriesVertex(TARGET), BRIDGE);
            g.addVertex("decoder_input", new MergeVertex(), TARGET_EMBED, "bridge_steps");
            decoderInput = "decoder_input";
        }
        String top;
        if (config.flow() != TranslateConfig.Flow.OUTPUT) {
            // attention inside the recurrence: the top decoder layer is an AttentionDecoder over the encoder states
            RecurrentSpec d = config.decoder();
            String below = d.layers() == 1 ? decoderInput : RecurrentStack.add(g, DECODER, decoderInput,
                    d.withLayers(d.layers() - 1).withDropout(config.dropout()));
            AttentionDecoder decoder = new AttentionDecoder(RecurrentStack.cell(d), d.units(),
                    config.attention().score(), config.attentionUnits(),
                    config.flow() == TranslateConfig.Flow.INPUT_FEEDING ? AttentionDecoder.Flow.INPUT_FEEDING
                            : AttentionDecoder.Flow.BAHDANAU);
            if (config.bridge() == TranslateConfig.Bridge.INITIAL) {
                g.addLayer(BRIDGE, new DenseLayer.Builder().nOut(d.units()).activation(Activation.TANH).build(),
                        finalStates(g, enc));
                g.addVertex(ATTENTION_DECODER, decoder.withInitialStateInput(), below, enc, BRIDGE);
            } else if (config.bridge() == TranslateConfig.Bridge.COPY) {
                g.addVertex(ATTENTION_DECODER, decoder.withInitialStateInput(), below, enc, finalStates(g, enc));
            } else {
                g.addVertex(ATTENTION_DECODER, decoder, below, enc);
            }
            top = ATTENTION_DECODER;
        } else {
            top = RecurrentStack.add(g, DECODER, decoderInput, config.decoder().withDropout(config.dropout()));
            if (config.attention() != TranslateConfig.Attention.NONE) {
                g.addVertex(ATTENTION, new org.seq4j.attention.Attention(config.attention().score(),
                        config.attentionUnits()), top, enc);
                g.addVertex("attention_input", new MergeVertex(), ATTENTION, top);                // [c_t; h_t]
                g.addLayer(ATTENTION_HIDDEN, new DenseLayer.Builder().nOut(config.decoder().outputSize())
                        .activation(Activation.TANH).hasBias(false).build(), "attention_input");   // Luong's h̃_t
                top = ATTENTION_HIDDEN;
            }
        }
        g.addLayer(OUT, new SoftmaxOutput(targetVocab.size()).dropout(config.dropout()), top);
        // an input type's size becomes the embedding's nIn when the graph is built: the vocabulary sizes
        return g.setOutputs(OUT).setInputTypes(InputType.recurrent(sourceVocab.size()),
                InputType.recurrent(targetVocab.size())).build();
    }

    /**
     * The encoder's final states: its output at the last real step of each source; for a bidirectional encoder whose
     * directions are concatenated, the forward half there and the backward half at the first step (where the
     * backward direction has read the whole source).
     */
    private String finalStates(ComputationGraphConfiguration.GraphBuilder g, String enc) {
        g.addVertex("encoder_last", new LastTimeStepVertex(SOURCE), enc);
        if (config.encoder().bidirectional() == null) {
            return finalStatesName();
        }
        int h = (int) config.encoder().directionSize();
        // reversed within each source's real length, the first step becomes the last real one
        g.addVertex("encoder_reversed", new ReverseTimeSeriesVertex(SOURCE), enc);
        g.addVertex("encoder_first", new LastTimeStepVertex(SOURCE), "encoder_reversed");
        g.addVertex("forward_last", new SubsetVertex(0, h - 1), "encoder_last");
        g.addVertex("backward_first", new SubsetVertex(h, 2 * h - 1), "encoder_first");
        g.addVertex("encoder_final", new MergeVertex(), "forward_last", "backward_first");
        return finalStatesName();
    }

    /** The vertex that {@link #finalStates} ends in. */
    private String finalStatesName() {
        return config.encoder().bidirectional() == null ? "encoder_last" : "encoder_final";
    }

    private EmbeddingSequenceLayer embedding(int vocabSize) {
        EmbeddingSequenceLayer.Builder b = new EmbeddingSequenceLayer.Builder().nIn(vocabSize)
                .nOut(config.embedding()).hasBias(false);
        return b.build();
    }

    private String encoderTop() {
        return config.encoder().layers() == 1 ? ENCODER : ENCODER + "_" + config.encoder().layers();
    }

    /** The decoder's ordinary recurrent layers, bottom first (all but the top one when it is an AttentionDecoder). */
    private List<String> decoderLayers() {
        int n = config.decoder().layers() - (config.flow() == TranslateConfig.Flow.OUTPUT ? 0 : 1);
        List<String> out = new ArrayList<>();
        for (int l = 1; l <= n; l++) {
            out.add(n == 1 ? DECODER : DECODER + "_" + l);
        }
        return out;
    }

    // ---- translation -----------------------------------------------------------------------------------------------

    /** Translations of {@code sources}, in order. */
    public List<Translations> translate(List<String> sources, Decoding decoding) {
        Checks.requireState(graph != null, "Translator: train or load a model first");
        return decode(graph, sources, decoding);
    }

    /** Translates the sources of {@code pairs} and scores them against their targets. */
    public Evaluation evaluate(List<ParallelText.Pair> pairs, Decoding decoding) {
        Checks.require(pairs != null && !pairs.isEmpty(), "Translator: nothing to evaluate");
        long start = System.nanoTime();
        List<Translations> out = translate(pairs.stream().map(ParallelText.Pair::source).toList(), decoding);
        double seconds = (System.nanoTime() - start) / 1e9;
        List<String> hyps = out.stream().map(t -> t.best().text()).toList();
        List<String> refs = pairs.stream().map(ParallelText.Pair::target).toList();
        int exact = 0;
        for (int i = 0; i < hyps.size(); i++) {
            if (hyps.get(i).equals(Tokens.detokenize(Tokens.tokenize(refs.get(i))))) {
                exact++;
            }
        }
        return new Evaluation(hyps.size(), Bleu.corpus(hyps, refs).score(), ChrF.corpus(hyps, refs),
                (double) exact / hyps.size(), seconds, hyps, refs,
                out.stream().mapToInt(t -> t.sourceTokens().size()).toArray());
    }

    /**
     * The share of target tokens ({@code </s>} included) that the model ranks first when it reads the reference
     * prefix (teacher forcing), over {@code pairs}.
     */
    public double teacherForcedAccuracy(List<ParallelText.Pair> pairs) {
        Checks.requireState(graph != null, "Translator: train or load a model first");
        return teacherForcedAccuracy(graph, pairs);
    }

    private double teacherForcedAccuracy(ComputationGraph g, List<ParallelText.Pair> pairs) {
        long[] counts = new long[2];
        forced(g, encode(pairs), (rows, p, m) -> {
            INDArray best = p.argMax(1);                                                   // [mb, T]
            INDArray y = m.getLabels(0);
            INDArray mask = m.getLabelsMaskArray(0);
            for (int i = 0; i < rows.length; i++) {
                for (int t = 0; t < y.size(2); t++) {
                    if (mask.getDouble(i, t) > 0) {
                        counts[1]++;
                        if (best.getLong(i, t) == (long) y.getDouble(i, 0, t)) {
                            counts[0]++;
                        }
                    }
                }
            }
        });
        return counts[1] == 0 ? 0 : (double) counts[0] / counts[1];
    }

    /**
     * The log-probability of each pair's target given its source (forced decoding): the sum of ln p of its tokens and
     * of the closing {@code </s>}, with the decoder reading the reference prefix. Unknown tokens count as
     * {@code <unk>}.
     */
    public double[] logProbability(List<ParallelText.Pair> pairs) {
        Checks.requireState(graph != null, "Translator: train or load a model first");
        double[] out = new double[pairs.size()];
        float[][] steps = forcedLogProbs(encode(pairs));
        for (int i = 0; i < out.length; i++) {
            for (float x : steps[i]) {
                out[i] += x;
            }
        }
        return out;
    }

    /** Per pair, ln p of each target token and of {@code </s>} under teacher forcing. */
    float[][] forcedLogProbs(Encoded e) {
        float[][] out = new float[e.sources.size()][];
        forced(graph, e, (rows, p, m) -> {
            INDArray y = m.getLabels(0);
            for (int i = 0; i < rows.length; i++) {
                float[] lp = new float[e.targets.get(rows[i]).length + 1];
                for (int t = 0; t < lp.length; t++) {
                    lp[t] = (float) Math.log(p.getDouble(i, (long) y.getDouble(i, 0, t), t));
                }
                out[rows[i]] = lp;
            }
        });
        return out;
    }

    Encoded encode(List<ParallelText.Pair> pairs) {
        Encoded e = new Encoded(new ArrayList<>(), new ArrayList<>());
        for (ParallelText.Pair p : pairs) {
            e.sources.add(sourceVocab.encode(pieces(p.source())));
            e.targets.add(targetVocab.encode(pieces(p.target())));
        }
        return e;
    }

    /** The model's tokens of a text: {@link Tokens} words, split into subwords when the model uses BPE. */
    public List<String> pieces(String text) {
        List<String> words = Tokens.tokenize(text);
        return bpe == null ? words : bpe.apply(words);
    }

    private interface ForcedBatch {
        void accept(int[] rows, INDArray probabilities, MultiDataSet batch);
    }

    /** Teacher-forced output probabilities {@code [mb, V, T]} of every batch of {@code e}, sorted by length. */
    private void forced(ComputationGraph g, Encoded e, ForcedBatch consumer) {
        Integer[] order = sortedByLength(e.sources);
        g.clear();   // see decode
        for (int from = 0; from < order.length; from += config.batch()) {
            int[] rows = new int[Math.min(config.batch(), order.length - from)];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = order[from + i];
            }
            MultiDataSet m = e.batch(rows);
            consumer.accept(rows, g.output(false, m.getFeatures(), m.getFeaturesMaskArrays())[0], m);
        }
    }

    private static Integer[] sortedByLength(List<int[]> seqs) {
        Integer[] order = new Integer[seqs.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> seqs.get(i).length));
        return order;
    }

    private List<Translations> decode(ComputationGraph g, List<String> sources, Decoding d) {
        g.clear();   // labels left from training would set the batch size DL4J's preprocessors reshape with
        List<List<String>> tokens = new ArrayList<>();
        List<int[]> ids = new ArrayList<>();
        for (String s : sources) {
            Checks.require(s != null, "Translator: source sentence %d is null", tokens.size() + 1);
            List<String> t = pieces(s);
            tokens.add(t);
            ids.add(sourceVocab.encode(t));
        }
        Translations[] out = new Translations[sources.size()];
        List<Integer> nonEmpty = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            if (ids.get(i).length == 0) {
                out[i] = new Translations(sources.get(i), List.of(), 0,
                        List.of(new Translation("", List.of(), 0, 0, true, new float[0][0])));
            } else {
                nonEmpty.add(i);
            }
        }
        nonEmpty.sort(Comparator.comparingInt(i -> ids.get(i).length));
        int perBatch = Math.max(1, config.batch());
        for (int from = 0; from < nonEmpty.size(); from += perBatch) {
            int[] rows = nonEmpty.subList(from, Math.min(nonEmpty.size(), from + perBatch)).stream()
                    .mapToInt(x -> x).toArray();
            List<List<Translation>> found = new BeamSearch(g, ids, rows, d).run();
            for (int k = 0; k < rows.length; k++) {
                int i = rows[k];
                int unknown = (int) Arrays.stream(ids.get(i)).filter(x -> x == Vocabulary.UNK_ID).count();
                List<Translation> nBest = found.get(k);
                if (d.replaceUnknown()) {
                    nBest = nBest.stream().map(h -> replaceUnknown(h, tokens.get(i))).toList();
                }
                out[i] = new Translations(sources.get(i), tokens.get(i), unknown, nBest);
            }
        }
        return Arrays.asList(out);
    }

    private Translation replaceUnknown(Translation h, List<String> sourceTokens) {
        if (config.attention() == TranslateConfig.Attention.NONE) {
            return h;
        }
        List<String> t = new ArrayList<>(h.tokens());
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i).equals(Vocabulary.UNK)) {
                float[] a = h.attention()[i];
                int best = 0;
                for (int s = 1; s < a.length; s++) {
                    if (a[s] > a[best]) {
                        best = s;
                    }
                }
                t.set(i, sourceTokens.get(best));
            }
        }
        return new Translation(Tokens.detokenize(t), t, h.score(), h.logProb(), h.finished(), h.attention());
    }

    /**
     * Beam search over a batch of sentences, K rows per sentence ({@code row = sentence·K + slot}). The encoder runs
     * once; each step feeds every row's last token through the decoder from its carried {@link CellState}, then
     * the beams are re-formed and the decoder state is reordered to follow them.
     */
    private final class BeamSearch {
        private final ComputationGraph g;
        private final Decoding d;
        private final int n;
        private final int k;
        private final int[] sourceLength;
        private final INDArray enc;
        private final INDArray encMask;
        private final INDArray bridge;
        private final AttentionStep attention;
        /** the top decoder layer when attention is inside the recurrence, its memory and its state; else null */
        private final AttentionDecoderVertex decoder;
        private final AttentionDecoderVertex.Memory memory;
        private AttentionDecoderVertex.State state;
        private final List<String> decoderLayers = decoderLayers();
        private final LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();

        BeamSearch(ComputationGraph g, List<int[]> ids, int[] sentences, Decoding d) {
            this.g = g;
            this.d = d;
            this.n = sentences.length;
            this.k = d.beam();
            this.sourceLength = Arrays.stream(sentences).map(i -> ids.get(i).length).toArray();
            int steps = Arrays.stream(sourceLength).max().orElseThrow();
            INDArray src = Batching.ids(ids, sentences, steps);
            INDArray srcMask = Batching.mask(ids, sentences, steps);
            // the graph needs a target too: <s> and one masked step (DL4J M2.1's FeedForwardToRnnPreProcessor
            // rejects the [1, 1] mask of a one-step target when one sentence is decoded)
            INDArray bos = Nd4j.zeros(DataType.FLOAT, n, 1, 2);
            bos.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(0)).assign(Vocabulary.BOS_ID);
            INDArray bosMask = Nd4j.zeros(DataType.FLOAT, n, 2);
            bosMask.getColumn(0).assign(1);
            g.setLayerMaskArrays(new INDArray[] {srcMask, bosMask}, null);
            Map<String, INDArray> acts;
            try {
                acts = g.feedForward(new INDArray[] {src, bos}, false, false);
            } finally {
                g.clearLayerMaskArrays();
            }
            int[] rowSentence = new int[n * k];
            for (int r = 0; r < rowSentence.length; r++) {
                rowSentence[r] = r / k;
            }
            this.enc = rows(acts.get(encoderTop()), rowSentence);
            this.encMask = rows(srcMask, rowSentence);
            this.bridge = config.bridge() == TranslateConfig.Bridge.DENSE ? rows(acts.get(BRIDGE), rowSentence) : null;
            this.decoder = config.flow() == TranslateConfig.Flow.OUTPUT ? null
                    : (AttentionDecoderVertex) g.getVertex(ATTENTION_DECODER);
            this.attention = config.attention() == TranslateConfig.Attention.NONE || decoder != null ? null
                    : AttentionStep.of(g, ATTENTION);
            this.memory = decoder == null ? null : decoder.memory(enc, encMask);
            INDArray initial = switch (config.bridge()) {
                case INITIAL -> rows(acts.get(BRIDGE), rowSentence);
                case COPY -> rows(acts.get(finalStatesName()), rowSentence);
                default -> null;
            };
            this.state = decoder == null ? null : initial == null ? decoder.start(n * k) : decoder.start(initial);
        }

        /** A live hypothesis in one row. */
        private record Beam(double logProb, List<Integer> tokens, List<float[]> attention) {
        }

        private record Candidate(double logProb, int row, int token) {
        }

        List<List<Translation>> run() {
            int rowsTotal = n * k;
            Beam[] beams = new Beam[rowsTotal];
            for (int r = 0; r < rowsTotal; r++) {
                // one live beam per sentence at the start, so the first step does not pick the same token K times
                beams[r] = new Beam(r % k == 0 ? 0 : Double.NEGATIVE_INFINITY, List.of(), List.of());
            }
            List<List<Translation>> finished = new ArrayList<>();
            boolean[] done = new boolean[n];
            for (int i = 0; i < n; i++) {
                finished.add(new ArrayList<>());
            }
            int[] last = new int[rowsTotal];
            Arrays.fill(last, Vocabulary.BOS_ID);
            int maxSteps = Arrays.stream(sourceLength).map(d::maxSteps).max().orElseThrow();
            for (Layer l : g.getLayers()) {
                if (l instanceof RecurrentLayer r) {
                    r.rnnClearPreviousState();
                }
            }
            try {
                for (int t = 0; t < maxSteps; t++) {
                    float[][][] step = step(last);
                    float[][] logp = step[0];
                    float[][] att = step[1];
                    Beam[] next = new Beam[rowsTotal];
                    int[] parent = new int[rowsTotal];
                    int remaining = 0;
                    for (int i = 0; i < n; i++) {
                        if (done[i]) {
                            for (int s = 0; s < k; s++) {
                                int r = i * k + s;
                                next[r] = new Beam(Double.NEGATIVE_INFINITY, List.of(), List.of());
                                parent[r] = r;
                                last[r] = Vocabulary.PAD_ID;
                            }
                            continue;
                        }
                        boolean lastStep = t + 1 >= d.maxSteps(sourceLength[i]);
                        List<Candidate> cands = best(i, beams, logp, 2 * k);
                        int alive = 0;
                        for (int j = 0; j < cands.size() && alive < k; j++) {
                            Candidate c = cands.get(j);
                            Beam b = beams[c.row];
                            if (c.token == Vocabulary.EOS_ID) {
                                // an ending counts only when it ranks among the K best continuations (as in fairseq)
                                if (j < k) {
                                    finished.get(i).add(hypothesis(b, c.logProb, true, sourceLength[i]));
                                }
                            } else {
                                List<Integer> toks = new ArrayList<>(b.tokens);
                                toks.add(c.token);
                                List<float[]> a = new ArrayList<>(b.attention);
                                a.add(att == null ? null : att[c.row]);
                                int r = i * k + alive;
                                next[r] = new Beam(c.logProb, toks, a);
                                parent[r] = c.row;
                                last[r] = c.token;
                                alive++;
                            }
                        }
                        for (int s = alive; s < k; s++) {
                            int r = i * k + s;
                            next[r] = new Beam(Double.NEGATIVE_INFINITY, List.of(), List.of());
                            parent[r] = r;
                            last[r] = Vocabulary.PAD_ID;
                        }
                        if (lastStep) {
                            for (int s = 0; s < alive; s++) {
                                Beam b = next[i * k + s];
                                finished.get(i).add(hypothesis(b, b.logProb, false, sourceLength[i]));
                            }
                        }
                        done[i] = lastStep || finished.get(i).size() >= k || alive == 0;
                        if (!done[i]) {
                            remaining++;
                        }
                    }
                    beams = next;
                    if (remaining == 0) {
                        break;
                    }
                    if (k > 1) {
                        CellState.restore(g, CellState.reorder(CellState.capture(g), parent));
                        if (decoder != null) {
                            state = state.reorder(parent);
                        }
                    }
                }
            } finally {
                g.rnnClearPreviousState();
            }
            List<List<Translation>> out = new ArrayList<>();
            for (List<Translation> f : finished) {
                f.sort(Comparator.comparingDouble(Translation::score).reversed());
                out.add(List.copyOf(f.subList(0, Math.min(d.nBest(), f.size()))));
            }
            return out;
        }

        /** The {@code m} best continuations of sentence {@code i}'s live beams, best first. */
        private List<Candidate> best(int i, Beam[] beams, float[][] logp, int m) {
            PriorityQueue<Candidate> heap = new PriorityQueue<>(Comparator.comparingDouble(Candidate::logProb));
            for (int s = 0; s < k; s++) {
                int r = i * k + s;
                double base = beams[r].logProb;
                if (base == Double.NEGATIVE_INFINITY) {
                    continue;
                }
                float[] row = logp[r];
                for (int v = 0; v < row.length; v++) {
                    if (v == Vocabulary.PAD_ID || v == Vocabulary.BOS_ID) {
                        continue;
                    }
                    double score = base + row[v];
                    if (heap.size() < m) {
                        heap.add(new Candidate(score, r, v));
                    } else if (score > heap.peek().logProb) {
                        heap.poll();
                        heap.add(new Candidate(score, r, v));
                    }
                }
            }
            List<Candidate> out = new ArrayList<>(heap);
            out.sort(Comparator.comparingDouble(Candidate::logProb).reversed());
            return out;
        }

        private Translation hypothesis(Beam b, double logProb, boolean finished, int sourceTokens) {
            List<String> toks = new ArrayList<>();
            for (int id : b.tokens) {
                toks.add(targetVocab.token(id));
            }
            float[][] a = new float[b.attention.size()][];
            for (int j = 0; j < a.length; j++) {
                float[] row = b.attention.get(j);
                a[j] = row == null ? new float[0] : Arrays.copyOf(row, sourceTokens);
            }
            int length = toks.size() + (finished ? 1 : 0);
            return new Translation(Tokens.detokenize(toks), toks, d.lengthPenalty().score(logProb, length, d.alpha()),
                    logProb, finished, a);
        }

        /** One decoder step for every row: log-probabilities {@code [rows][V]} and attention {@code [rows][Te]}. */
        private float[][][] step(int[] tokens) {
            int rows = tokens.length;
            float[] f = new float[rows];
            for (int r = 0; r < rows; r++) {
                f[r] = tokens[r];
            }
            INDArray x = g.getLayer(TARGET_EMBED).activate(Nd4j.create(f, new long[] {rows, 1, 1}, 'c'), false, mgr);
            if (bridge != null) {
                x = Nd4j.concat(1, x, bridge.reshape(rows, bridge.size(1), 1));
            }
            for (String name : decoderLayers) {
                x = ((RecurrentLayer) g.getLayer(name)).rnnTimeStep(x, mgr);
            }
            float[][] att = null;
            if (decoder != null) {
                AttentionDecoderVertex.Step s = decoder.step(x.reshape(rows, x.size(1)), memory, state);
                state = s.next();
                att = s.weights().castTo(DataType.FLOAT).toFloatMatrix();
                x = s.output().reshape(rows, s.output().size(1), 1);
            } else if (attention != null) {
                AttentionStep.Result a = attention.attend(x.reshape(rows, x.size(1)), enc, encMask);
                att = a.weights().reshape(rows, enc.size(2)).toFloatMatrix();
                INDArray in = Nd4j.concat(1, a.context().reshape(rows, enc.size(1)), x.reshape(rows, x.size(1)));
                INDArray h = g.getLayer(ATTENTION_HIDDEN).activate(in, false, mgr);
                x = h.reshape(rows, h.size(1), 1);
            }
            INDArray p = g.getLayer(OUT).activate(x, false, mgr).reshape(rows, targetVocab.size());
            float[][] logp = Transforms.log(p.castTo(DataType.FLOAT), true).toFloatMatrix();
            return new float[][][] {logp, att};
        }
    }

    /** Rows {@code rows} of {@code x} (along dimension 0), in that order. */
    private static INDArray rows(INDArray x, int[] rows) {
        long[] shape = x.shape().clone();
        shape[0] = rows.length;
        INDArray out = Nd4j.create(x.dataType(), shape);
        for (int r = 0; r < rows.length; r++) {
            out.slice(r).assign(x.slice(rows[r]));
        }
        return out;
    }

    // ---- persistence -----------------------------------------------------------------------------------------------

    /** Writes the model (network, configuration, vocabularies) to one file, atomically. */
    public void save(Path file) {
        Checks.requireState(graph != null, "Translator: nothing to save before training");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("config", config.toMap());
        m.put("sourceVocabulary", sourceVocab.tokens());
        m.put("targetVocabulary", targetVocab.tokens());
        m.put("bpeMerges", bpe == null ? List.of() : bpe.merges());
        ModelArchive.write(file, KIND, graph, false, Map.of(CONFIG, m,
                "run-info", RunInfo.current(graph.getConfiguration().getDefaultConfiguration().getSeed())), Map.of());
    }

    /** Reads a model written by {@link #save}. */
    public static Translator load(Path file) {
        ModelArchive.Contents c = ModelArchive.read(file, KIND, Set.of(CONFIG, "run-info"), Set.of(), false);
        String where = KIND + " file " + file;
        JsonNode m = c.json(CONFIG);
        Translator t = new Translator(TranslateConfig.fromMap(m.path("config"), where));
        t.sourceVocab = Vocabulary.fromJson(m.path("sourceVocabulary"), where);
        t.targetVocab = t.config.sharedVocabulary() ? t.sourceVocab
                : Vocabulary.fromJson(m.path("targetVocabulary"), where);
        if (t.config.bpeMerges() > 0) {
            List<String[]> merges = new ArrayList<>();
            // may be empty: on text where no pair of symbols occurs twice BPE learns nothing and splits into characters
            m.path("bpeMerges").forEach(x -> merges.add(new String[] {x.path(0).asText(), x.path(1).asText()}));
            t.bpe = Bpe.of(merges);
        }
        checkVocabulary(c.graph(), SOURCE_EMBED, t.sourceVocab, where);
        checkVocabulary(c.graph(), TARGET_EMBED, t.targetVocab, where);
        t.graph = c.graph();
        return t;
    }

    private static void checkVocabulary(ComputationGraph g, String layer, Vocabulary v, String where) {
        long nIn = ((FeedForwardLayer) g.getLayer(layer).conf().getLayer()).getNIn();
        Checks.require(nIn == v.size(), "%s: layer %s reads %d token ids but its vocabulary has %d", where, layer,
                nIn, v.size());
    }
}
