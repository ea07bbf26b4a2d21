package org.seq4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.seq4j.cells.CellType;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.metrics.ChunkEvaluation;
import org.seq4j.tasks.tagging.TaggerConfig;
import org.seq4j.train.TrainConfig;
import org.seq4j.util.Checks;
import picocli.CommandLine.Option;

/**
 * The tagger's data-column, model and training options (a picocli mixin), shared by {@code seq4j tag train} and
 * {@code seq4j-spark tag train}, so that both train the same model from the same flags.
 */
public final class TaggerOptions {

    @Option(names = "--token-column", description = "0-based token column (default: ${DEFAULT-VALUE}).")
    public int tokenColumn;

    @Option(names = "--label-column", description = "0-based tag column, -1 for the last (default: ${DEFAULT-VALUE}).")
    public int labelColumn = -1;

    @Option(names = "--feature-columns", split = ",", description = "Other columns to use as inputs, e.g. 1 "
            + "for the POS column of CoNLL-2000.")
    public List<Integer> featureColumns = new ArrayList<>();

    @Option(names = "--scheme", description = "The data's chunk tags: bio, iobes, or none for plain tags such as "
            + "POS (default: ${DEFAULT-VALUE}).")
    public String scheme = "bio";

    @Option(names = "--tag-encoding", description = "The scheme the model learns chunk tags in, bio or iobes "
            + "(default: ${DEFAULT-VALUE}); predictions and scores are in --scheme.")
    public String tagEncoding = "iobes";

    @Option(names = "--cell", description = "Encoder cell (default: ${DEFAULT-VALUE}).")
    public String cell = "lstm";

    @Option(names = "--units", description = "Units per direction (default: ${DEFAULT-VALUE}).")
    public int units = 200;

    @Option(names = "--layers", description = "Stacked layers (default: ${DEFAULT-VALUE}).")
    public int layers = 1;

    @Option(names = "--unidirectional", description = "A forward-only encoder instead of a bidirectional one.")
    public boolean unidirectional;

    @Option(names = "--output", description = "crf or softmax (default: ${DEFAULT-VALUE}).")
    public String output = "crf";

    @Option(names = "--char-cnn", negatable = true, description = "Character CNN word features (default: on "
            + "for chunk tags, off for plain tags).")
    public Boolean charCnn;

    @Option(names = "--dropout", description = "Dropout on the encoder's input (default: ${DEFAULT-VALUE}).")
    public double dropout = 0.5;

    @Option(names = "--locked-dropout", description = "Draw the encoder's input dropout mask once per sentence "
            + "for all its words (Flair's LockedDropout) instead of once per word.")
    public boolean lockedDropout;

    @Option(names = "--output-dropout", description = "Dropout on the encoder's output (default: "
            + "${DEFAULT-VALUE}).")
    public double outputDropout = 0.5;

    @Option(names = "--word-dropout", description = "Probability of reading a training word as <unk> (default: "
            + "${DEFAULT-VALUE}).")
    public double wordDropout = 0.05;

    @Option(names = "--embeddings", description = "Pre-trained word vectors (text format: word v1 v2 ...): the "
            + "training words start from theirs, and the file's first 100,000 words join the vocabulary, so words "
            + "never seen in training are read by their vectors instead of as <unk>.")
    public Path embeddings;

    @Option(names = "--word-dim", description = "Word embedding size (default: ${DEFAULT-VALUE}; must match "
            + "--embeddings).")
    public int wordDim = 100;

    @Option(names = "--lowercase", description = "Look words up in lower case.")
    public boolean lowercase;

    @Option(names = "--casing", negatable = true, description = "Each word's casing class (numeric, all lower, all "
            + "upper, initial upper, ...; Reimers and Gurevych 2017) as an embedded input: a word-level feature that "
            + "lets a model without characters tell unseen names from unseen words (default: on without the char "
            + "CNN, which sees the case itself).")
    public Boolean casing;

    @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
    public int epochs = 20;

    @Option(names = "--optimizer", description = "adam, sgd, or nesterov (SGD with Nesterov momentum 0.9; Ma and "
            + "Hovy: --lr 0.01 --lr-decay 0.05) (default: ${DEFAULT-VALUE}).")
    public String optimizer = "adam";

    @Option(names = "--lr", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    public double learningRate = 0.003;

    @Option(names = "--lr-decay", description = "Inverse-time decay: the learning rate at epoch e is lr / (1 + "
            + "decay * e) (default: ${DEFAULT-VALUE}; 0: constant).")
    public double lrDecay = 0.1;

    @Option(names = "--patience", description = "Stop after this many epochs without a better dev score "
            + "(default: ${DEFAULT-VALUE}; 0: never).")
    public int patience = 5;

    @Option(names = "--max-length", description = "Longest training sentence in tokens (default: "
            + "${DEFAULT-VALUE}); longer ones are an error naming the line. Prediction takes any length.")
    public int maxLength = 200;

    /** The data's chunk scheme, null for plain tags. */
    public ChunkEvaluation.Scheme scheme() {
        return scheme.equalsIgnoreCase("none") ? null : ChunkEvaluation.Scheme.parse(scheme);
    }

    /** The encoder these options describe. */
    public RecurrentSpec encoder() {
        RecurrentSpec spec = RecurrentSpec.of(CellType.parse(cell), units).withLayers(layers)
                .withLockedDropout(lockedDropout);
        return unidirectional ? spec : spec.withBidirectional(Bidirectional.Mode.CONCAT);
    }

    /** Whether the character CNN is on (by default for chunk tags, not for plain tags). */
    public boolean charCnn() {
        return charCnn != null ? charCnn : scheme() != null;
    }

    /** Whether the casing class is an input (by default when the character CNN is off). */
    public boolean casing() {
        return casing != null ? casing : !charCnn();
    }

    /** The tagger configuration these options describe (gradients clipped at norm 5; no checkpoints yet). */
    public TaggerConfig config(long seed, boolean quiet) {
        ChunkEvaluation.Scheme sch = scheme();
        TrainConfig.Optimizer opt = ForecastCommand.option("--optimizer", optimizer, TrainConfig.Optimizer.class);
        TrainConfig trainConfig = TrainConfig.defaults().withEpochs(epochs).withOptimizer(opt, learningRate)
                .withClipping(5.0, 0).withPatience(patience).withSeed(seed).withQuiet(quiet);
        if (lrDecay != 0) {
            trainConfig = trainConfig.withSchedule(TaggerConfig.inverseTimeDecay(learningRate, lrDecay));
        }
        TaggerConfig config = TaggerConfig.bilstmCrf(sch)
                .withEncoding(sch == null ? null : ChunkEvaluation.Scheme.parse(tagEncoding))
                .withDropout(new TaggerConfig.Dropout(dropout, outputDropout, wordDropout))
                .withColumns(tokenColumn, labelColumn, featureColumns)
                .withEncoder(encoder())
                .withCrf(switch (output.toLowerCase(Locale.ROOT)) {
                    case "crf" -> true;
                    case "softmax" -> false;
                    default -> throw new IllegalArgumentException("--output must be crf or softmax, got " + output);
                })
                .withWords(wordDim, embeddings, lowercase, 2)
                .withCasing(casing())
                .withCharCnn(charCnn())
                .withTrain(trainConfig);
        Checks.require(maxLength >= 1, "--max-length must be >= 1, got %d", maxLength);
        List<Integer> bounds = new ArrayList<>(config.bucketBounds().stream().filter(x -> x < maxLength).toList());
        bounds.add(maxLength);
        return config.withBatches(config.batchSize(), bounds);
    }

    /** One line on the model and recipe, for reports. */
    public String describe(TaggerConfig config) {
        ChunkEvaluation.Scheme sch = scheme();
        return Report.fmt("%s%s, %s output%s%s%s%s%s; dropout %s (input%s), %s (output), %s (words); %s lr %s, "
                        + "decay %s",
                encoder().label(), featureColumns.isEmpty() ? "" : " with feature columns " + featureColumns, output,
                config.lowercase() ? ", words in lower case" : "", config.casing() ? ", casing classes" : "",
                charCnn() ? ", char CNN" : "", sch == null ? "" : ", tags learned in " + config.encoding(),
                config.embeddings() == null ? "" : ", word vectors from " + config.embeddings(), dropout,
                lockedDropout ? ", locked" : "",
                outputDropout, wordDropout, ForecastCommand.option("--optimizer", optimizer,
                        TrainConfig.Optimizer.class), learningRate, lrDecay);
    }
}
