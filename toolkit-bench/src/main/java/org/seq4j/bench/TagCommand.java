package org.seq4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.seq4j.cells.CellType;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.data.ConllReader;
import org.seq4j.data.ConllReader.Block;
import org.seq4j.metrics.ChunkEvaluation;
import org.seq4j.tasks.TaskResult;
import org.seq4j.tasks.tagging.Tagger;
import org.seq4j.tasks.tagging.TaggerConfig;
import org.seq4j.tasks.tagging.TaggingData;
import org.seq4j.train.RunInfo;
import org.seq4j.train.TrainConfig;
import org.seq4j.util.AtomicFiles;
import org.seq4j.util.Checks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code seq4j tag train|eval|predict}: sequence tagging (POS, chunking, NER) from CoNLL column files. */
@Command(name = "tag", mixinStandardHelpOptions = true, description = "Sequence tagging: train, evaluate, predict.",
        subcommands = {TagCommand.Train.class, TagCommand.Eval.class, TagCommand.Predict.class})
public final class TagCommand {

    static Report report(String title, Tagger.Evaluation e, ChunkEvaluation.Scheme scheme, RunInfo info) {
        Report r = new Report(title, info);
        ChunkEvaluation.Result res = e.result();
        if (!e.unseenTags().isEmpty()) {
            int tokens = e.unseenTags().values().stream().mapToInt(Integer::intValue).sum();
            r.paragraph(Report.fmt("**Warning:** %d token(s) carry tags the model never saw in training, so they are "
                    + "always wrong: %s. Is this data tagged with the same tag set (and columns) as the training "
                    + "data?", tokens, e.unseenTags()));
            System.err.println("warning: " + tokens + " token(s) carry tags unseen in training: " + e.unseenTags());
        }
        if (scheme == null) {
            r.paragraph(Report.fmt("Token accuracy **%.2f%%** (%d tokens).", 100 * res.tokenAccuracy(), res.tokens()));
        } else {
            r.paragraph(Report.fmt("Chunk F1 **%.2f** (precision %.2f, recall %.2f; conlleval semantics, %s); token "
                            + "accuracy %.2f%% (%d tokens).", 100 * res.overall().f1(), 100 * res.overall().precision(),
                    100 * res.overall().recall(), scheme, 100 * res.tokenAccuracy(), res.tokens()));
            List<List<String>> rows = new ArrayList<>();
            for (Map.Entry<String, ChunkEvaluation.Counts> c : res.byType().entrySet()) {
                rows.add(List.of(c.getKey(), Long.toString(c.getValue().gold()), Report.fmt("%.2f",
                        100 * c.getValue().precision()), Report.fmt("%.2f", 100 * c.getValue().recall()),
                        Report.fmt("%.2f", 100 * c.getValue().f1())));
            }
            r.table(List.of("type", "gold chunks", "precision", "recall", "F1"), rows);
        }
        List<List<String>> conf = new ArrayList<>();
        for (Map.Entry<String, Integer> c : e.topConfusions()) {
            conf.add(List.of(c.getKey(), Integer.toString(c.getValue())));
        }
        r.paragraph("Most frequent errors (gold → predicted):");
        r.table(List.of("confusion", "tokens"), conf);
        r.data("tokenAccuracy", res.tokenAccuracy()).data("unseenTags", e.unseenTags());
        if (scheme != null) {   // chunk scores mean nothing for plain tags (POS): left out, not reported as 0
            r.data("f1", res.overall().f1()).data("precision", res.overall().precision())
                    .data("recall", res.overall().recall());
        }
        return r;
    }

    /** {@code tag train}. */
    @Command(name = "train", mixinStandardHelpOptions = true, description = "Train a tagger and score it on dev data.")
    static final class Train implements Callable<Integer> {
        @Option(names = "--train", required = true, description = "Training data: CoNLL file, Brown directory, or "
                + "brown:sample.")
        String train;

        @Option(names = "--dev", description = "Dev data (default: the last --dev-fraction of --train).")
        String dev;

        @Option(names = "--dev-fraction", description = "Share of --train held out as dev when --dev is not given "
                + "(default: ${DEFAULT-VALUE}).")
        double devFraction = 0.1;

        @Option(names = "--shuffle-split", description = "Shuffle the sentences (with --seed) before holding out "
                + "--dev-fraction, instead of holding out the last ones.")
        boolean shuffleSplit;

        @Option(names = "--word2vec", description = "Train word vectors (word2vec skip-gram, --word-dim values) on the "
                + "training words and any --unlabelled-text, write them to --out/word2vec.txt, and start the word "
                + "embeddings from them (words of the unlabelled text join the vocabulary, as with --embeddings).")
        boolean word2vec;

        @Option(names = "--unlabelled-text", description = "Raw text for --word2vec, one sentence per line (split "
                + "into Penn Treebank tokens); repeatable.")
        List<Path> unlabelledText = new ArrayList<>();

        @Option(names = "--word2vec-epochs", description = "Passes of word2vec over its text (default: "
                + "${DEFAULT-VALUE}).")
        int word2vecEpochs = 10;

        @Mixin
        TaggerOptions options = new TaggerOptions();

        @Mixin
        CheckpointOptions checkpoints = new CheckpointOptions();

        @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed = 42;

        @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).")
        Path out = Path.of("out", "tagger");

        @Option(names = "--quiet", description = "No progress bar.")
        boolean quiet;

        @Override
        public Integer call() {
            TaggingData.Split split = dev != null
                    ? new TaggingData.Split(TaggingData.read(train), TaggingData.read(dev))
                    : TaggingData.holdOut(TaggingData.read(train), devFraction, shuffleSplit, seed);
            List<Block> trainSet = split.train();
            List<Block> devSet = split.dev();
            ChunkEvaluation.Scheme sch = options.scheme();
            TaggerConfig config = options.config(seed, quiet);
            config = config.withTrain(checkpoints.apply(config.train(), out));
            Checks.require(!word2vec || options.embeddings == null, "--word2vec trains the vectors that --embeddings "
                    + "would give; use one of them");
            Checks.require(word2vec || unlabelledText.isEmpty(), "--unlabelled-text is text for --word2vec");
            if (word2vec) {
                Path vectors = out.resolve("word2vec.txt");
                int words = TaggingData.trainWordVectors(trainSet, options.tokenColumn, unlabelledText, options.wordDim,
                        options.lowercase, word2vecEpochs, seed, vectors);
                System.err.println("word2vec: " + words + " word vectors written to " + vectors);
                config = config.withWords(options.wordDim, vectors, options.lowercase, 2);
            }
            config.checkColumns(trainSet, train, true, 0);
            config.checkColumns(devSet, dev != null ? dev : train, true, trainSet.get(0).rows().get(0).length);
            Tagger tagger = new Tagger(config);
            TaskResult<Tagger.Evaluation> result = tagger.run(train, trainSet, devSet, checkpoints.resumeFrom(out));
            Path model = out.resolve("model.zip");
            tagger.save(model);
            Tagger.Evaluation e = result.detail();
            TaskResult.Training r = result.training();
            Report report = report("seq4j tagger: " + train, e, sch, result.runInfo());
            report.paragraph(Report.fmt("%d training and %d dev sentences; %s; %d epochs run (best dev at epoch "
                    + "%d) in %.0f s.", trainSet.size(), devSet.size(), options.describe(config), r.epochs(),
                    r.bestEpoch() + 1, r.seconds()));
            report.data("result", result.toMap()).data("sizes", tagger.sizes());
            System.out.println(report.markdown());
            report.write(out, "dev-metrics").forEach(p -> System.out.println("wrote " + p));
            System.out.println("wrote " + model);
            return 0;
        }
    }

    /** {@code tag eval}. */
    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = "Score a trained tagger on labelled data; writes conlleval-format predictions.")
    static final class Eval implements Callable<Integer> {
        @Option(names = "--model", required = true, description = "model.zip written by tag train.")
        Path model;

        @Option(names = "--data", required = true, description = "Labelled data (CoNLL, Brown directory, "
                + "brown:sample).")
        String data;

        @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).")
        Path out = Path.of("out", "tagger-eval");

        @Override
        public Integer call() {
            Tagger tagger = Tagger.load(model);
            List<Block> blocks = TaggingData.read(data);
            tagger.checkColumns(blocks, data, true);
            Tagger.Evaluation e = tagger.evaluate(blocks);
            ChunkEvaluation.Scheme scheme = tagger.scheme();
            Report r = report("seq4j tagger evaluation: " + data, e, scheme, RunInfo.current(0));
            System.out.println(r.markdown());
            r.write(out, "metrics").forEach(p -> System.out.println("wrote " + p));
            Path conll = out.resolve("predictions.conll");
            AtomicFiles.writeString(conll, tagger.conllEval(blocks, e.predicted()));
            System.out.println("wrote " + conll + (scheme == ChunkEvaluation.Scheme.IOBES
                    ? " (IOBES written as BIO, S as B and E as I: conlleval has no IOBES rules and scores this file as"
                    + " seq4j does)" : ""));
            return 0;
        }
    }

    /** {@code tag predict}. */
    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = "Tag sentences: CoNLL (one token per line, blank line between sentences) or raw text (one "
                    + "sentence per line, split into Penn Treebank tokens); prints CoNLL with the predicted tag as the "
                    + "last column.")
    static final class Predict implements Callable<Integer> {
        @Option(names = "--model", required = true, description = "model.zip written by tag train.")
        Path model;

        @Option(names = "--input", required = true, description = "Sentences to tag.")
        Path input;

        @Option(names = "--format", description = "conll or text (default: ${DEFAULT-VALUE}).")
        String format = "conll";

        @Option(names = "--feature-tagger", description = "For input with words only: a tagger (model.zip) that "
                + "tags each feature column the model reads, in the order of its --feature-columns (e.g. a POS "
                + "tagger trained with tag train --label-column 1 --scheme none).")
        List<Path> featureTaggers = new ArrayList<>();

        @Option(names = "--output", description = "Write here instead of standard output.")
        Path output;

        @Override
        public Integer call() {
            Tagger tagger = Tagger.load(model);
            List<Block> blocks = switch (format.toLowerCase(Locale.ROOT)) {
                case "conll" -> ConllReader.readBlocks(input, 1);
                case "text" -> TaggingData.readText(input);
                default -> throw new IllegalArgumentException("--format must be conll or text, got " + format);
            };
            int columns = blocks.get(0).rows().get(0).length;
            boolean wordsOnly = columns == 1 && (!tagger.config().featureColumns().isEmpty()
                    || tagger.config().tokenColumn() > 0);
            if (wordsOnly || !featureTaggers.isEmpty()) {
                Checks.require(columns == 1, "%s has %d columns; --feature-tagger is for input with words only",
                        input, columns);
                blocks = tagger.withFeatures(blocks, featureTaggers.stream().map(Tagger::load).toList(),
                        input.toString());
            }
            tagger.checkColumns(blocks, input.toString(), false);
            List<List<String>> tags = tagger.predict(blocks);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < blocks.size(); i++) {
                for (int t = 0; t < blocks.get(i).length(); t++) {
                    sb.append(String.join(" ", blocks.get(i).rows().get(t))).append(' ').append(tags.get(i).get(t))
                            .append('\n');
                }
                sb.append('\n');
            }
            if (output != null) {
                AtomicFiles.writeString(output, sb.toString());
                System.out.println("wrote " + output);
            } else {
                System.out.print(sb);
            }
            return 0;
        }
    }
}
