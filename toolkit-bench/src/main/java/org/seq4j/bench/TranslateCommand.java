package org.seq4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.seq4j.cells.CellType;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.data.ParallelText;
import org.seq4j.tasks.TaskResult;
import org.seq4j.tasks.translate.Decoding;
import org.seq4j.tasks.translate.ScheduledSampling;
import org.seq4j.tasks.translate.TranslateConfig;
import org.seq4j.tasks.translate.TranslationData;
import org.seq4j.tasks.translate.TranslationPlots;
import org.seq4j.tasks.translate.Translator;
import org.seq4j.train.RunInfo;
import org.seq4j.train.TrainConfig;
import org.seq4j.util.AtomicFiles;
import org.seq4j.util.Checks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code seq4j translate train|eval|translate}: encoder-decoder translation with attention and beam search. */
@Command(name = "translate", mixinStandardHelpOptions = true, description = "Sequence-to-sequence translation: "
        + "train, evaluate (BLEU, chrF), translate stdin.",
        subcommands = {TranslateCommand.Train.class, TranslateCommand.Eval.class, TranslateCommand.Run.class,
            TranslateCommand.Score.class})
public final class TranslateCommand {

    /** Where sentence pairs come from: a TSV file, or a synthetic task. */
    static final class PairOptions {
        @Option(names = "--source-column", description = "0-based TSV column of the source (default: "
                + "${DEFAULT-VALUE}).")
        int sourceColumn;

        @Option(names = "--target-column", description = "0-based TSV column of the target (default: "
                + "${DEFAULT-VALUE}).")
        int targetColumn = 1;

        @Option(names = "--header", negatable = true, description = "The TSV's first line is a header (default: "
                + "${DEFAULT-VALUE}; --no-header when it is not).")
        boolean header = true;

        /** {@code synthetic:reverse|copy|dates[:N]} or a TSV path. */
        List<ParallelText.Pair> read(String where, long seed) {
            return TranslationData.read(where, header, sourceColumn, targetColumn, seed);
        }
    }

    /** Search options shared by every command that decodes. */
    static final class DecodingOptions {
        @Option(names = "--beam", description = "Beam size; 1 is greedy (default: ${DEFAULT-VALUE}).")
        int beam = 5;

        @Option(names = "--length-penalty", description = "none, avg or gnmt (default: ${DEFAULT-VALUE}).")
        String lengthPenalty = "avg";

        @Option(names = "--alpha", description = "GNMT length-penalty α (default: ${DEFAULT-VALUE}).")
        double alpha = 0.6;

        @Option(names = "--max-length-ratio", description = "At most ceil(ratio × source tokens) + 1 output "
                + "tokens (default: ${DEFAULT-VALUE}).")
        double maxLengthRatio = 2.0;

        @Option(names = "--n-best", description = "Hypotheses per sentence (default: ${DEFAULT-VALUE}).")
        int nBest = 1;

        @Option(names = "--replace-unk", description = "Replace <unk> in the output by the most-attended source "
                + "token.")
        boolean replaceUnk;

        Decoding decoding() {
            return new Decoding(beam, Decoding.LengthPenalty.parse(lengthPenalty), alpha, maxLengthRatio, nBest,
                    replaceUnk);
        }
    }

    /** {@code translate train}. */
    @Command(name = "train", mixinStandardHelpOptions = true, description = "Train a translation model on sentence "
            + "pairs; report BLEU and chrF on a held-out test split, greedy and beam.")
    static final class Train implements Callable<Integer> {
        @Option(names = "--train", required = true, description = "Sentence pairs: a TSV file (source and target "
                + "columns), or synthetic:reverse, synthetic:copy, synthetic:dates (optionally :N pairs).")
        String train;

        @Option(names = "--valid", description = "Validation pairs (same format; default: --valid-size pairs held "
                + "out of --train).")
        String valid;

        @Option(names = "--test", description = "Test pairs (same format; default: --test-size pairs held out of "
                + "--train).")
        String test;

        @Option(names = "--valid-size", description = "Pairs held out for validation (default: ${DEFAULT-VALUE}).")
        int validSize = 500;

        @Option(names = "--test-size", description = "Pairs held out for the test (default: ${DEFAULT-VALUE}).")
        int testSize = 1000;

        @Option(names = "--limit", description = "Train on at most N pairs after the hold-outs (0: all; default: "
                + "${DEFAULT-VALUE}).")
        int limit;

        @Mixin
        PairOptions pairs = new PairOptions();

        @Option(names = "--encoder-cell", description = "Encoder cell: lstm, gru, srn, scrn, jordan (default: "
                + "${DEFAULT-VALUE}).")
        String encoderCell = "lstm";

        @Option(names = "--encoder-units", description = "Units per direction (default: ${DEFAULT-VALUE}).")
        int encoderUnits = 128;

        @Option(names = "--encoder-layers", description = "Encoder layers (default: ${DEFAULT-VALUE}).")
        int encoderLayers = 1;

        @Option(names = "--bidirectional", negatable = true, description = "Bidirectional encoder (default: "
                + "${DEFAULT-VALUE}).")
        boolean bidirectional = true;

        @Option(names = "--decoder-cell", description = "Decoder cell: lstm or gru (default: ${DEFAULT-VALUE}).")
        String decoderCell = "lstm";

        @Option(names = "--decoder-units", description = "Decoder units (default: the encoder's output size).")
        Integer decoderUnits;

        @Option(names = "--decoder-layers", description = "Decoder layers (default: ${DEFAULT-VALUE}).")
        int decoderLayers = 1;

        @Option(names = "--attention", description = "none, bahdanau, dot or general (default: ${DEFAULT-VALUE}).")
        String attention = "bahdanau";

        @Option(names = "--attention-units", description = "Bahdanau's hidden size (default: ${DEFAULT-VALUE}).")
        int attentionUnits = 128;

        @Option(names = "--tied-embeddings", description = "Tie the softmax weights to the target embeddings (Press "
                + "and Wolf 2017); --embedding must equal the decoder's size.")
        boolean tiedEmbeddings;

        @Option(names = "--attention-flow", description = "Where attention sits in the decoder: output (Luong's "
                + "global attention after the recurrence), input-feeding (Luong's, h̃ fed to the next step) or "
                + "bahdanau (the previous state attends, the context is a step input) (default: ${DEFAULT-VALUE}).")
        String attentionFlow = "output";

        @Option(names = "--bridge", description = "How the decoder sees the encoder's final states: dense (a dense "
                + "layer's output at every step), initial (a dense layer's output as the attention decoder's initial "
                + "state), copy (the states themselves as that initial state) or none; initial and copy need "
                + "--attention-flow input-feeding or bahdanau (default: ${DEFAULT-VALUE}).")
        String bridge = "dense";

        @Option(names = "--embedding", description = "Embedding size (default: ${DEFAULT-VALUE}).")
        int embedding = 128;

        @Option(names = "--dropout", description = "Dropout (default: ${DEFAULT-VALUE}).")
        double dropout = 0.3;

        @Option(names = "--batch", description = "Sentence pairs per batch (default: ${DEFAULT-VALUE}).")
        int batch = 64;

        @Option(names = "--min-count", description = "Tokens seen fewer times become <unk> (default: "
                + "${DEFAULT-VALUE}).")
        int minCount = 2;

        @Option(names = "--max-vocab", description = "Entries per vocabulary incl. 4 reserved (0: no limit; "
                + "default: ${DEFAULT-VALUE}).")
        int maxVocab;

        @Option(names = "--max-length", description = "Leave out training pairs with a side longer than this "
                + "(tokens; default: ${DEFAULT-VALUE}).")
        int maxLength = 50;

        @Option(names = "--shared-vocab", description = "One vocabulary for both sides.")
        boolean sharedVocab;

        @Option(names = "--bpe", description = "Joint BPE subwords: this many merges learned from the training "
                + "pairs (0: whole words; default: ${DEFAULT-VALUE}).")
        int bpe;

        @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
        int epochs = 10;

        @Option(names = "--lr", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
        double lr = 0.002;

        @Option(names = "--clip", description = "Gradient-norm clipping (default: ${DEFAULT-VALUE}; 0: none).")
        double clip = 5;

        @Option(names = "--patience", description = "Stop after this many epochs without better validation BLEU "
                + "(default: ${DEFAULT-VALUE}; 0: never).")
        int patience = 3;

        @Option(names = "--max-iterations", description = "Stop after this many batches (0: none; default: "
                + "${DEFAULT-VALUE}).")
        long maxIterations;

        @Option(names = "--scheduled-sampling", description = "Decay of the teacher-forcing probability over "
                + "epochs: linear, exp or sigmoid (default: none, pure teacher forcing).")
        String scheduledSampling;

        @Option(names = "--ss-k", description = "Scheduled sampling k: linear start, exp base, sigmoid k (default: "
                + "${DEFAULT-VALUE}).")
        double ssK = 1.0;

        @Option(names = "--ss-c", description = "Linear decay per epoch (default: ${DEFAULT-VALUE}).")
        double ssC = 0.05;

        @Option(names = "--ss-min", description = "Lowest teacher-forcing probability (default: ${DEFAULT-VALUE}).")
        double ssMin = 0.5;

        @Mixin
        DecodingOptions search = new DecodingOptions();

        @Option(names = "--heatmaps", description = "Attention heat maps (PNG) of this many test sentences "
                + "(default: ${DEFAULT-VALUE}).")
        int heatmaps = 3;

        @Mixin
        CheckpointOptions checkpoints = new CheckpointOptions();

        @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed = 42;

        @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).")
        Path out = Path.of("out", "translate");

        @Option(names = "--quiet", description = "No progress bar.")
        boolean quiet;

        TranslateConfig config() {
            RecurrentSpec enc = RecurrentSpec.of(CellType.parse(encoderCell), encoderUnits).withLayers(encoderLayers);
            if (bidirectional) {
                enc = enc.withBidirectional(Bidirectional.Mode.CONCAT);
            }
            int dec = decoderUnits != null ? decoderUnits : (int) enc.outputSize();
            return new TranslateConfig(enc, RecurrentSpec.of(CellType.parse(decoderCell), dec)
                    .withLayers(decoderLayers), TranslateConfig.Attention.parse(attention), attentionUnits,
                    TranslateConfig.Bridge.parse(bridge), embedding, dropout, batch, minCount, maxVocab, maxLength,
                    sharedVocab, bpe, TranslateConfig.Flow.parse(attentionFlow), tiedEmbeddings);
        }

        @Override
        public Integer call() {
            TranslateConfig config = config();
            Decoding decoding = search.decoding();
            Checks.require(lr > 0 && Double.isFinite(lr), "--lr must be a number > 0, got %s", lr);
            Checks.require(validSize >= 0 && testSize >= 0 && limit >= 0,
                    "--valid-size, --test-size and --limit must be >= 0");
            TrainConfig tc = checkpoints.apply(TrainConfig.defaults().withEpochs(epochs)
                    .withOptimizer(TrainConfig.Optimizer.ADAM, lr).withClipping(clip, 0).withPatience(patience)
                    .withSeed(seed).withQuiet(quiet).withMaxIterations(maxIterations), out);

            List<ParallelText.Pair> all = new ArrayList<>(pairs.read(train, seed));
            Collections.shuffle(all, new Random(seed));   // a seeded split: the same seed, the same test set
            List<ParallelText.Pair> testPairs = test != null ? pairs.read(test, seed + 1) : take(all, testSize);
            List<ParallelText.Pair> validPairs = valid != null ? pairs.read(valid, seed + 2) : take(all, validSize);
            List<ParallelText.Pair> trainPairs = limit > 0 && all.size() > limit ? all.subList(0, limit) : all;
            Checks.require(!trainPairs.isEmpty() && !testPairs.isEmpty(), "%s: %d pairs leave nothing to train or "
                    + "test on after holding out %d for test and %d for validation", train,
                    trainPairs.size() + testPairs.size() + validPairs.size(), testSize, validSize);

            Translator t = new Translator(config);
            if (scheduledSampling != null) {
                t.scheduledSampling(new ScheduledSampling(ScheduledSampling.Decay.parse(scheduledSampling), ssK, ssC,
                        ssMin));
            }
            TaskResult<Translator.Evaluation> result = t.run(train, trainPairs, validPairs, testPairs, tc, decoding,
                    checkpoints.resumeFrom(out));
            TaskResult.Training r = result.training();
            Path model = out.resolve("model.zip");
            t.save(model);

            Translator.Evaluation beam = result.detail();
            Translator.Evaluation greedy = decoding.beam() == 1 ? beam : t.evaluate(testPairs, Decoding.greedy());
            Report report = new Report("seq4j translation: " + train, result.runInfo());
            report.paragraph(Report.fmt("%s%s. %,d training pairs (%,d left out as longer than %d tokens), %,d "
                            + "validation, %,d test (a seeded split, seed %d). Vocabularies: %,d source, %,d target "
                            + "(tokens seen fewer than %d times are <unk>). %d epochs in %.0f s (%,.0f target "
                            + "tokens/s); best validation BLEU at epoch %d.", config.label(),
                    scheduledSampling == null ? "" : Report.fmt(", scheduled sampling (%s, k %s, c %s, min %s)",
                            scheduledSampling, ssK, ssC, ssMin), trainPairs.size(),
                    t.skippedTooLong(), maxLength, validPairs.size(), testPairs.size(), seed,
                    t.sourceVocabulary().size(), t.targetVocabulary().size(), minCount, r.epochs(), r.seconds(),
                    r.tokensPerSecond(), r.bestEpoch() + 1));
            List<List<String>> epochsTable = new ArrayList<>();
            for (int i = 0; i < r.losses().size(); i++) {
                Translator.Diagnostic d = i < t.history().size() ? t.history().get(i) : null;
                epochsTable.add(List.of(Integer.toString(i + 1), Report.fmt("%.4f", r.losses().get(i)),
                        d == null ? "" : Report.fmt("%.2f", d.greedyBleu()),
                        d == null ? "" : Report.fmt("%.4f", d.teacherForcedAccuracy())));
            }
            report.paragraph("Training: loss per sentence (nats, summed over its target tokens); validation BLEU of greedy decoding (the model reads "
                    + "its own output) next to teacher-forced next-token accuracy (it reads the reference). A gap "
                    + "that widens as the accuracy rises is exposure bias.");
            report.table(List.of("epoch", "train loss / sentence", "valid BLEU (greedy)", "valid teacher-forced accuracy"),
                    epochsTable);
            report.table(List.of("test decoding", "BLEU", "chrF", "exact", "ms / sentence"),
                    List.of(row("greedy", greedy), row(describe(decoding), beam)));
            List<Translator.LengthBucket> buckets = beam.byLength(Math.min(3, beam.sentences()));
            List<List<String>> bucketRows = new ArrayList<>();
            for (Translator.LengthBucket b : buckets) {
                bucketRows.add(List.of(b.minLength() + "–" + b.maxLength(), Integer.toString(b.sentences()),
                        Report.fmt("%.2f", b.bleu())));
            }
            report.paragraph("Test BLEU by source length (thirds of the test set, " + describe(decoding) + "):");
            report.table(List.of("source tokens", "sentences", "BLEU"), bucketRows);
            List<Translator.LengthBucket> sixths = beam.byLength(Math.min(6, beam.sentences()));
            TranslationPlots.bleuByLength(out.resolve("bleu-by-length.png"), "test BLEU by source length",
                    Map.of(config.label(), sixths));
            List<List<String>> examples = new ArrayList<>();
            for (int i = 0; i < Math.min(5, testPairs.size()); i++) {
                examples.add(List.of(testPairs.get(i).source(), testPairs.get(i).target(), beam.hypotheses().get(i)));
            }
            report.table(List.of("source", "reference", "output"), examples);
            if (config.attention() != TranslateConfig.Attention.NONE && heatmaps > 0) {
                List<Translator.Translations> shown = t.translate(testPairs.subList(0, Math.min(heatmaps,
                        testPairs.size())).stream().map(ParallelText.Pair::source).toList(), decoding);
                for (int i = 0; i < shown.size(); i++) {
                    Translator.Translation h = shown.get(i).best();
                    if (!h.tokens().isEmpty()) {
                        Path png = out.resolve("attention-" + (i + 1) + ".png");
                        TranslationPlots.attention(png, shown.get(i).sourceTokens(), h.tokens(), h.attention());
                        report.paragraph("![attention " + (i + 1) + "](" + png.getFileName() + ")");
                    }
                }
            }
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("greedy", metrics(greedy));
            results.put("beam", metrics(beam));
            report.data("result", result.toMap()).data("train", tc.toMap()).data("decoding", describe(decoding))
                    .data("diagnostics", t.history())
                    .data("test", results).data("bleuByLength", buckets).data("bleuByLengthSixths", sixths)
                    .data("label", config.label()).data("trainPairs", trainPairs.size())
                    .data("skippedTooLong", t.skippedTooLong());
            AtomicFiles.writeString(out.resolve("test.hyp.txt"), String.join("\n", beam.hypotheses()) + "\n");
            StringBuilder split = new StringBuilder("source\ttarget\n");
            testPairs.forEach(p -> split.append(p.source()).append('\t').append(p.target()).append('\n'));
            AtomicFiles.writeString(out.resolve("test.tsv"), split.toString());   // the held-out pairs, for eval
            System.out.println(report.markdown());
            report.write(out, "test-metrics").forEach(p -> System.out.println("wrote " + p));
            System.out.println("wrote " + model);
            return 0;
        }

        private static List<ParallelText.Pair> take(List<ParallelText.Pair> all, int n) {
            int k = Math.min(n, Math.max(0, all.size() - 1));
            List<ParallelText.Pair> out = new ArrayList<>(all.subList(all.size() - k, all.size()));
            all.subList(all.size() - k, all.size()).clear();
            return out;
        }
    }

    static String describe(Decoding d) {
        return d.beam() == 1 ? "greedy" : Report.fmt("beam %d, %s%s", d.beam(),
                d.lengthPenalty().name().toLowerCase(Locale.ROOT),
                d.lengthPenalty() == Decoding.LengthPenalty.GNMT ? Report.fmt(" α=%.2f", d.alpha()) : "");
    }

    static List<String> row(String name, Translator.Evaluation e) {
        return List.of(name, Report.fmt("%.2f", e.bleu()), Report.fmt("%.2f", e.chrF()),
                Report.fmt("%.1f%%", 100 * e.exactMatch()), Report.fmt("%.1f", 1000 * e.seconds() / e.sentences()));
    }

    static Map<String, Object> metrics(Translator.Evaluation e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bleu", e.bleu());
        m.put("chrF", e.chrF());
        m.put("exactMatch", e.exactMatch());
        m.put("seconds", e.seconds());
        m.put("sentences", e.sentences());
        return m;
    }

    /** {@code translate eval}. */
    @Command(name = "eval", mixinStandardHelpOptions = true, description = "BLEU and chrF of a trained model on "
            + "sentence pairs.")
    static final class Eval implements Callable<Integer> {
        @Option(names = "--model", required = true, description = "A model.zip written by translate train.")
        Path model;

        @Option(names = "--test", required = true, description = "Sentence pairs (TSV, or synthetic:...).")
        String test;

        @Mixin
        PairOptions pairs = new PairOptions();

        @Mixin
        DecodingOptions search = new DecodingOptions();

        @Option(names = "--seed", description = "Seed of synthetic test pairs (default: ${DEFAULT-VALUE}).")
        long seed = 7;

        @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).")
        Path out = Path.of("out", "translate");

        @Override
        public Integer call() {
            Translator t = Translator.load(model);
            Decoding d = search.decoding();
            Translator.Evaluation e = t.evaluate(pairs.read(test, seed), d);
            Report report = new Report("seq4j translation evaluation: " + test,
                    RunInfo.current(t.graph().getConfiguration().getDefaultConfiguration().getSeed()));
            report.table(List.of("decoding", "BLEU", "chrF", "exact", "ms / sentence"), List.of(row(describe(d), e)));
            report.data("test", metrics(e)).data("decoding", describe(d)).data("model", t.config().toMap())
                    .data("label", t.config().label()).data("bleuByLength", e.byLength(Math.min(3, e.sentences())))
                    .data("bleuByLengthSixths", e.byLength(Math.min(6, e.sentences())));
            AtomicFiles.writeString(out.resolve("eval.hyp.txt"), String.join("\n", e.hypotheses()) + "\n");
            System.out.println(report.markdown());
            report.write(out, "eval-metrics").forEach(p -> System.out.println("wrote " + p));
            return 0;
        }
    }

    /** {@code translate translate}: stdin to stdout. */
    @Command(name = "translate", mixinStandardHelpOptions = true, description = "Translate stdin line by line to "
            + "stdout (an empty line gives an empty line). With --n-best > 1: 'index ||| text ||| score' lines.")
    static final class Run implements Callable<Integer> {
        @Option(names = "--model", required = true, description = "A model.zip written by translate train.")
        Path model;

        @Mixin
        DecodingOptions search = new DecodingOptions();

        @Option(names = "--batch-lines", description = "Lines translated together (default: ${DEFAULT-VALUE}).")
        int batchLines = 64;

        @Override
        public Integer call() throws IOException {
            Translator t = Translator.load(model);
            Decoding d = search.decoding();
            Checks.require(batchLines >= 1, "--batch-lines must be >= 1, got %d", batchLines);
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            int index = 0;
            for (String line = in.readLine(); ; line = in.readLine()) {
                if (line != null) {
                    lines.add(line);
                }
                if (!lines.isEmpty() && (line == null || lines.size() == batchLines)) {
                    for (Translator.Translations tr : t.translate(lines, d)) {
                        if (d.nBest() == 1) {
                            out.println(tr.best().text());
                        } else {
                            for (Translator.Translation h : tr.nBest()) {
                                out.println(index + " ||| " + h.text() + " ||| " + Report.fmt("%.4f", h.score()));
                            }
                        }
                        index++;
                    }
                    lines.clear();
                }
                if (line == null) {
                    return 0;
                }
            }
        }
    }

    /** {@code translate score}: sacreBLEU's command line, in Java. */
    @Command(name = "score", mixinStandardHelpOptions = true, description = "BLEU, chrF and chrF++ of a "
            + "hypothesis file against one or more reference files (one sentence per line), as sacreBLEU 2.x "
            + "computes them; prints each score with its signature.")
    static final class Score implements Callable<Integer> {
        @Option(names = "--hyp", required = true, description = "Hypotheses, one per line (UTF-8).")
        Path hyp;

        @Option(names = "--ref", required = true, description = "References, one per line; repeat for several.")
        List<Path> refs;

        @Option(names = "--tokenize", description = "BLEU tokenizer: 13a, intl, char or none (default: "
                + "${DEFAULT-VALUE}).")
        String tokenize = "13a";

        @Option(names = "--smooth", description = "BLEU smoothing: none, floor, add-k or exp (default: "
                + "${DEFAULT-VALUE}).")
        String smooth = "exp";

        @Option(names = "--lowercase", description = "Case-insensitive.")
        boolean lowercase;

        @Override
        public Integer call() {
            List<String> h = lines(hyp);
            List<List<String>> r = new ArrayList<>();
            for (Path p : refs) {
                List<String> lines = lines(p);
                Checks.require(lines.size() == h.size(), "%s has %d lines but %s has %d; every hypothesis needs one "
                        + "line in each reference file", p, lines.size(), hyp, h.size());
                r.add(lines);
            }
            org.seq4j.metrics.Bleu.Options bo = org.seq4j.metrics.Bleu.Options.DEFAULT
                    .tokenize(org.seq4j.metrics.Bleu.Tokenizer.parse(tokenize))
                    .smooth(org.seq4j.metrics.Bleu.Smoothing.parse(smooth), Double.NaN).lowercase(lowercase);
            org.seq4j.metrics.Bleu.Result b = org.seq4j.metrics.Bleu.corpus(h, r, bo);
            System.out.println(Report.fmt("BLEU|%s = %.17g (precisions %s, BP %.17g, hyp_len %d, ref_len %d)",
                    bo.signature(r.size()), b.score(), java.util.Arrays.toString(b.precisions()), b.brevityPenalty(),
                    b.systemLength(), b.referenceLength()));
            for (org.seq4j.metrics.ChrF.Options co : List.of(org.seq4j.metrics.ChrF.Options.CHRF.lowercase(lowercase),
                    org.seq4j.metrics.ChrF.Options.CHRF_PLUS_PLUS.lowercase(lowercase))) {
                System.out.println(Report.fmt("%s|%s = %.17g", co.name(), co.signature(r.size()),
                        org.seq4j.metrics.ChrF.corpus(h, r, co)));
            }
            return 0;
        }

        private static List<String> lines(Path p) {
            List<String> out = new ArrayList<>();
            org.seq4j.data.TextLines.forEach(p, (n, line) -> out.add(line));
            return out;
        }
    }
}
