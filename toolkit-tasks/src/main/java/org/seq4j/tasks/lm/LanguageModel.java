package org.seq4j.tasks.lm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.seq4j.cells.RecurrentStack;
import org.seq4j.core.SoftmaxOutput;
import org.seq4j.data.DataFormatException;
import org.seq4j.data.TokenStreams;
import org.seq4j.data.Vocabulary;
import org.seq4j.decode.Sampling;
import org.seq4j.io.ModelArchive;
import org.seq4j.tasks.TaskResult;
import org.seq4j.train.RunInfo;
import org.seq4j.train.TrainConfig;
import org.seq4j.train.TiedWeights;
import org.seq4j.train.Trainer;
import org.seq4j.train.Validation;
import org.seq4j.util.Checks;

/**
 * A recurrent language model ({@link LmConfig}): trained on continuous streams with truncated BPTT and the state
 * carried across segments (Zaremba et al. 2014), evaluated by perplexity with the state carried over a whole text,
 * and sampled token by token from the carried state (never by re-reading the prefix).
 *
 * <pre>{@code
 * LmText train = LmText.read(Path.of("ptb.train.txt.gz"), LmText.Level.WORD);
 * LmText valid = LmText.read(Path.of("ptb.valid.txt.gz"), LmText.Level.WORD);
 * LanguageModel lm = new LanguageModel(LmConfig.zarembaSmall());
 * lm.fit(train, valid, LanguageModel.zarembaSchedule(13, 4, 0.5));
 * double ppl = lm.evaluate(valid, 1, false).perplexity();
 * List<String> text = lm.generate(LmText.of("prompt", "the company", LmText.Level.WORD), 20,
 *         new Sampling(0.8, 40, 0.95), 7);
 * }</pre>
 *
 * <p>Vocabulary: built from the training text (seq4j's 4 reserved tokens first). If that text contains
 * {@code <unk>} (as the PTB files do) or {@code maxVocab} cut tokens off, the vocabulary is <em>open</em>: unknown
 * tokens in other text count as {@code <unk>} and are reported. Otherwise it is <em>closed</em> (every character
 * of a char model, say) and an unknown token is an error naming the file, line and token.
 */
public final class LanguageModel {

    /** The kind of {@link ModelArchive} a language model is saved as. */
    public static final String KIND = "language-model";
    private static final String CONFIG = "language-model";

    private final LmConfig config;
    private Vocabulary vocab;
    private boolean openVocabulary;
    private ComputationGraph graph;

    public LanguageModel(LmConfig config) {
        Checks.require(config != null, "LanguageModel: config must not be null");
        this.config = config;
    }

    /**
     * What an evaluation measured: mean cross-entropy per predicted token (nats), and optionally each token's
     * log-probability in text order.
     *
     * @param unknown  tokens of the text outside the vocabulary (scored as {@code <unk>})
     * @param logProbs ln p of each predicted token, or null when not kept
     * @param targets  the index in the text of each predicted token (parallel to {@code logProbs}), or null
     */
    public record Evaluation(String source, long tokens, long unknown, double crossEntropy, double seconds,
                             double[] logProbs, int[] targets) {
        public double perplexity() {
            return Math.exp(crossEntropy);
        }

        /** Bits per token: bits per character for a character model. */
        public double bitsPerToken() {
            return crossEntropy / Math.log(2);
        }

        public double tokensPerSecond() {
            return seconds > 0 ? tokens / seconds : 0;
        }
    }

    /** Zaremba et al.'s recipe: SGD at 1, gradient norm clipped to 5, the rate halved each epoch after {@code decayAfter}. */
    public static TrainConfig zarembaSchedule(int epochs, int decayAfter, double decay) {
        return TrainConfig.defaults().withEpochs(epochs).withOptimizer(TrainConfig.Optimizer.SGD, 1.0)
                .withSchedule(epochDecay(1.0, epochs, decayAfter, decay)).withClipping(5, 0);
    }

    /** The rate {@code lr} for the first {@code decayAfter} epochs, then multiplied by {@code decay} every epoch. */
    public static org.nd4j.linalg.schedule.ISchedule epochDecay(double lr, int epochs, int decayAfter, double decay) {
        Map<Integer, Double> byEpoch = new LinkedHashMap<>();
        for (int e = 0; e < epochs; e++) {
            byEpoch.put(e, lr * Math.pow(decay, Math.max(0, e + 1 - decayAfter)));
        }
        return new org.nd4j.linalg.schedule.MapSchedule(org.nd4j.linalg.schedule.ScheduleType.EPOCH, byEpoch);
    }

    public LmConfig config() {
        return config;
    }

    public Vocabulary vocabulary() {
        return vocab;
    }

    /** Whether unknown tokens count as {@code <unk>} (true) or are an error (false); see the class comment. */
    public boolean openVocabulary() {
        return openVocabulary;
    }

    public ComputationGraph graph() {
        return graph;
    }

    // ---- training --------------------------------------------------------------------------------------------------

    /**
     * Trains on {@code train}; {@code valid} (may be null) is scored by perplexity after every epoch for early
     * stopping, model selection and plateau decay. The vocabulary and network are made from {@code train} on the
     * first call.
     */
    public Trainer.Result fit(LmText train, LmText valid, TrainConfig tc) {
        prepare(train, tc);
        return trainer(tc).fit(graph, streams(train), validation(valid));
    }

    /**
     * The language-modelling pipeline: trains on {@code train} (continuing from {@code checkpoint} when it is not
     * null), then scores {@code valid} as one stream, every token seeing all before it: perplexity (the primary
     * metric, lower is better), cross-entropy in nats and bits per token (per character for a character model).
     *
     * @param dataset the text's name, for reports
     */
    public TaskResult<Evaluation> run(String dataset, LmText train, LmText valid, TrainConfig tc, Path checkpoint) {
        Checks.require(valid != null && valid.size() >= 2, "LanguageModel.run: no validation text to score");
        Trainer.Result r = checkpoint == null ? fit(train, valid, tc) : resume(checkpoint, train, valid, tc);
        Evaluation e = evaluate(valid, 1, false);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("perplexity", e.perplexity());
        metrics.put("crossEntropy", e.crossEntropy());
        metrics.put(config.level() == LmText.Level.CHAR ? "bitsPerCharacter" : "bitsPerToken", e.bitsPerToken());
        TaskResult.Score score = new TaskResult.Score("valid", "perplexity", false, metrics, e.tokens(), "token",
                e.seconds());
        return new TaskResult<>("lm", dataset, config.recurrent().label(), parameters(), score,
                TaskResult.Training.of(r, "perplexity"), config.toMap(), RunInfo.current(tc.seed()), e);
    }

    /** Continues the run saved in {@code checkpoint} (written by {@link #fit} with the same data and options). */
    public Trainer.Result resume(Path checkpoint, LmText train, LmText valid, TrainConfig tc) {
        prepare(train, tc);
        ComputationGraph[] trained = new ComputationGraph[1];
        org.seq4j.train.Checkpoint c = org.seq4j.train.Checkpoint.read(checkpoint);
        checkSameModel(c.graph(), checkpoint);
        tie(c.graph());
        Trainer.Result r = trainer(tc).resume(c, streams(train), validation(valid), trained);
        graph = trained[0];
        return r;
    }

    private Trainer trainer(TrainConfig tc) {
        return new Trainer(tc).carryStateAcrossBatches(true);
    }

    private void prepare(LmText train, TrainConfig tc) {
        Checks.require(train != null && train.size() >= 2 * config.batch() + 1,
                "LanguageModel: the training text %s has %d tokens; %d streams (batch) need at least %d",
                train == null ? "" : train.source(), train == null ? 0 : train.size(), config.batch(),
                2 * config.batch() + 1);
        if (vocab == null) {
            vocab = Vocabulary.build(List.of(train.tokens()), 1, config.maxVocab());
            Set<String> types = new HashSet<>(train.tokens());
            types.removeAll(List.of(Vocabulary.PAD, Vocabulary.UNK, Vocabulary.BOS, Vocabulary.EOS));
            openVocabulary = train.tokens().contains(Vocabulary.UNK) || vocab.size() - 4 < types.size();
        }
        if (graph == null) {
            graph = new ComputationGraph(configuration(vocab.size(), tc));
            graph.init();
            tie(graph);
        }
    }

    /** With tied embeddings: the softmax's weights follow the embedding ({@link TiedWeights}). */
    private void tie(ComputationGraph g) {
        if (config.tiedEmbeddings()) {
            TiedWeights.tie(g, "embed", "out");
        }
    }

    /** The free parameters: the graph's, less the mirrored softmax weights when the embeddings are tied. */
    private long parameters() {
        long n = TaskResult.parameters(graph);
        return config.tiedEmbeddings() ? n - graph.getLayer("out").getParam("W").length() : n;
    }

    private org.seq4j.train.EpochData streams(LmText train) {
        return TokenStreams.of(encode(train).ids(), config.batch()).epochData(config.bptt());
    }

    private Validation validation(LmText valid) {
        if (valid == null) {
            return null;
        }
        return new Validation("valid perplexity", g -> evaluate(g, valid, 1, false).perplexity(), false);
    }

    private ComputationGraphConfiguration configuration(int vocabSize, TrainConfig tc) {
        NeuralNetConfiguration.Builder nn = new NeuralNetConfiguration.Builder().seed(tc.seed())
                .dataType(DataType.FLOAT).updater(tc.updater());
        if (config.initScale() > 0) {
            nn.weightInit(new WeightInitDistribution(new UniformDistribution(-config.initScale(),
                    config.initScale())));
        } else {
            nn.weightInit(WeightInit.XAVIER);
        }
        ComputationGraphConfiguration.GraphBuilder g = nn.graphBuilder().addInputs("tokens")
                .addLayer("embed", new EmbeddingSequenceLayer.Builder().nIn(vocabSize).nOut(config.embedding())
                        .hasBias(false).build(), "tokens");
        String top = RecurrentStack.add(g, "rnn", "embed", config.recurrent().withDropout(config.dropout()));
        SoftmaxOutput out = new SoftmaxOutput(vocabSize).dropout(config.dropout());
        // the input type's size becomes the embedding's nIn when the graph is built (even over an explicit nIn), so it
        // is the vocabulary size here, although the input itself is one token id per step
        return g.addLayer("out", out, top).setOutputs("out").setInputTypes(InputType.recurrent(vocabSize))
                .build();
    }

    private void checkSameModel(ComputationGraph other, Path file) {
        long want = graph.params().length();
        long got = other.params().length();
        long vocabIn = ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) other.getLayer("embed").conf()
                .getLayer()).getNIn();
        Checks.require(got == want && vocabIn == vocab.size(), "checkpoint %s was written by another model (%d "
                + "parameters, vocabulary %d) than this run builds (%d parameters, vocabulary %d from %s): resume "
                + "with the same data and options", file, got, vocabIn, want, vocab.size(), config.level());
    }

    // ---- encoding --------------------------------------------------------------------------------------------------

    /** Token ids of a text, and how many of its tokens were unknown. */
    public record Encoded(int[] ids, long unknown) {
    }

    /** The ids of {@code text}'s tokens; unknown tokens are {@code <unk>} (open vocabulary) or an error (closed). */
    public Encoded encode(LmText text) {
        Checks.requireState(vocab != null, "LanguageModel: train or load a model first");
        int[] ids = new int[text.size()];
        long unknown = 0;
        for (int i = 0; i < ids.length; i++) {
            String t = text.tokens().get(i);
            if (vocab.contains(t)) {
                ids[i] = vocab.id(t);
                continue;
            }
            if (!openVocabulary) {
                throw new DataFormatException(Path.of(text.source()), text.lines()[i], "token " + printable(t)
                        + " is not in the model's closed vocabulary of " + (vocab.size() - 4) + " tokens (its "
                        + "training text had no " + Vocabulary.UNK + "); map it to " + Vocabulary.UNK
                        + " or train on text that contains it");
            }
            ids[i] = Vocabulary.UNK_ID;
            unknown++;
        }
        return new Encoded(ids, unknown);
    }

    private static String printable(String t) {
        StringBuilder sb = new StringBuilder("'");
        t.codePoints().forEach(cp -> sb.append(Character.isISOControl(cp) || Character.isWhitespace(cp)
                ? String.format("\\u%04x", cp) : new String(Character.toChars(cp))));
        return sb.append('\'').toString();
    }

    // ---- evaluation ------------------------------------------------------------------------------------------------

    /**
     * Perplexity of {@code text}: cut into {@code streams} streams (1: the whole text as one, every token after the
     * first predicted from all that precede it), read in segments with the state carried, every token after a
     * stream's first scored.
     */
    public Evaluation evaluate(LmText text, int streams, boolean keepLogProbs) {
        Checks.requireState(graph != null, "LanguageModel: train or load a model first");
        return evaluate(graph, text, streams, keepLogProbs);
    }

    /** {@link #evaluate} of {@code graph}: the network being trained (validation) or this model's. */
    private Evaluation evaluate(ComputationGraph graph, LmText text, int streams, boolean keepLogProbs) {
        long start = System.nanoTime();
        Encoded enc = encode(text);
        TokenStreams s = TokenStreams.of(enc.ids(), streams);
        int chunk = Math.max(config.bptt(), 64);
        double sum = 0;
        long n = 0;
        int total = (int) s.targets();
        double[] lp = keepLogProbs ? new double[total] : null;
        int[] at = keepLogProbs ? new int[total] : null;
        graph.rnnClearPreviousState();
        try {
            for (int k = 0; k < s.segments(chunk); k++) {
                MultiDataSet seg = s.segment(k, chunk);
                INDArray p = graph.rnnTimeStep(seg.getFeatures(0))[0];
                INDArray y = seg.getLabels(0);
                int b = (int) y.size(0);
                int steps = (int) y.size(2);
                for (int i = 0; i < b; i++) {
                    for (int t = 0; t < steps; t++) {
                        double prob = p.getDouble(i, (long) y.getDouble(i, 0, t), t);
                        double l = Math.log(Math.max(prob, Double.MIN_NORMAL));
                        sum -= l;
                        if (lp != null) {
                            // stream i, position k·chunk + t + 1 of that stream
                            int idx = i * s.length() + k * chunk + t + 1;
                            int slot = i * (s.length() - 1) + k * chunk + t;
                            lp[slot] = l;
                            at[slot] = idx;
                        }
                        n++;
                    }
                }
            }
        } finally {
            graph.rnnClearPreviousState();
        }
        double ce = sum / n;
        Checks.require(Double.isFinite(ce), "LanguageModel: the cross-entropy of %s is %s (diverged model?)",
                text.source(), ce);
        return new Evaluation(text.source(), n, enc.unknown(), ce, (System.nanoTime() - start) / 1e9, lp, at);
    }

    // ---- generation ------------------------------------------------------------------------------------------------

    /**
     * Continues {@code prompt} by {@code length} tokens picked by {@code sampling} (seeded): the prompt is read once,
     * then each new token is one step from the carried recurrent state. An empty prompt starts after a line end
     * ({@code </s>} for words, {@code \n} for characters). A recurrent model has no context limit: any prompt length
     * works.
     */
    public List<String> generate(LmText prompt, int length, Sampling sampling, long seed) {
        Checks.requireState(graph != null, "LanguageModel: train or load a model first");
        Checks.require(length >= 0, "LanguageModel: length must be >= 0, got %d", length);
        int[] ids = prompt.size() == 0
                ? new int[] {vocab.id(config.level() == LmText.Level.WORD ? Vocabulary.EOS : "\n")}
                : encode(prompt).ids();
        Checks.require(ids[0] >= 0, "LanguageModel: this model never saw a line end; give a prompt");
        Random rng = new Random(seed);
        List<String> out = new ArrayList<>();
        graph.rnnClearPreviousState();
        try {
            INDArray p = null;
            for (int from = 0; from < ids.length; from += 256) {   // long prompts in chunks, state carried
                int to = Math.min(ids.length, from + 256);
                float[] chunk = new float[to - from];
                for (int i = from; i < to; i++) {
                    chunk[i - from] = ids[i];
                }
                p = graph.rnnTimeStep(Nd4j.create(chunk, new long[] {1, 1, chunk.length}, 'c'))[0];
            }
            for (int i = 0; i < length; i++) {
                double[] probs = p.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                        org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(p.size(2) - 1))
                        .castTo(DataType.DOUBLE).toDoubleVector();
                probs[Vocabulary.PAD_ID] = 0;   // never a target in training; keep it out of the text
                probs[Vocabulary.BOS_ID] = 0;
                if (!openVocabulary) {
                    probs[Vocabulary.UNK_ID] = 0;   // a closed vocabulary never saw <unk>
                }
                if (config.level() == LmText.Level.CHAR) {
                    probs[Vocabulary.EOS_ID] = 0;   // character text ends lines with \n, never </s>
                }
                int next = sampling.pick(probs, rng);
                out.add(vocab.token(next));
                p = graph.rnnTimeStep(Nd4j.create(new float[] {next}, new long[] {1, 1, 1}, 'c'))[0];
            }
        } finally {
            graph.rnnClearPreviousState();
        }
        return out;
    }

    /** Tokens joined back into text: characters as they are, words with spaces and a line break after {@code </s>}. */
    public String detokenize(List<String> tokens) {
        if (config.level() == LmText.Level.CHAR) {
            return String.join("", tokens);
        }
        StringBuilder sb = new StringBuilder();
        for (String t : tokens) {
            if (t.equals(Vocabulary.EOS)) {
                sb.append('\n');
            } else {
                sb.append(sb.length() == 0 || sb.charAt(sb.length() - 1) == '\n' ? "" : " ").append(t);
            }
        }
        return sb.toString();
    }

    // ---- persistence -----------------------------------------------------------------------------------------------

    /** Writes the model (network, configuration, vocabulary) to one file, atomically. */
    public void save(Path file) {
        Checks.requireState(graph != null, "LanguageModel: nothing to save before training");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("config", config.toMap());
        m.put("openVocabulary", openVocabulary);
        m.put("vocabulary", vocab.tokens());
        ModelArchive.write(file, KIND, graph, false, Map.of(CONFIG, m,
                "run-info", RunInfo.current(graph.getConfiguration().getDefaultConfiguration().getSeed())), Map.of());
    }

    /** Reads a model written by {@link #save}. */
    public static LanguageModel load(Path file) {
        ModelArchive.Contents c = ModelArchive.read(file, KIND, Set.of(CONFIG, "run-info"), Set.of(), false);
        String where = KIND + " file " + file;
        JsonNode m = c.json(CONFIG);
        Checks.require(m != null, "%s: no %s.json entry", where, CONFIG);
        LanguageModel lm = new LanguageModel(LmConfig.fromMap(m.path("config"), where));
        lm.vocab = Vocabulary.fromJson(m.path("vocabulary"), where);
        lm.openVocabulary = m.path("openVocabulary").asBoolean(false);
        long vocabIn = ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) c.graph().getLayer("embed").conf()
                .getLayer()).getNIn();
        Checks.require(vocabIn == lm.vocab.size(), "%s: the network reads %d token ids but the vocabulary has %d",
                where, vocabIn, lm.vocab.size());
        lm.graph = c.graph();
        return lm;
    }
}
