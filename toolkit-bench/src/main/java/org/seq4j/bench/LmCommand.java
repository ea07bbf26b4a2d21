package org.seq4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.seq4j.cells.CellType;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.core.Act;
import org.seq4j.decode.Sampling;
import org.seq4j.tasks.TaskResult;
import org.seq4j.tasks.lm.LanguageModel;
import org.seq4j.tasks.lm.LmConfig;
import org.seq4j.tasks.lm.LmText;
import org.seq4j.train.RunInfo;
import org.seq4j.train.TrainConfig;
import org.seq4j.util.AtomicFiles;
import org.seq4j.util.Checks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code seq4j lm train|eval|sample}: recurrent language models on word or character text. */
@Command(name = "lm", mixinStandardHelpOptions = true, description = "Language models: train, evaluate "
        + "(perplexity, bits per character), sample.",
        subcommands = {LmCommand.Train.class, LmCommand.Eval.class, LmCommand.Sample.class})
public final class LmCommand {

    static LmText.Level level(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "word", "words" -> LmText.Level.WORD;
            case "char", "chars", "character" -> LmText.Level.CHAR;
            default -> throw new IllegalArgumentException("--level must be word or char, got '" + s + "'");
        };
    }

    static Report evaluationReport(String title, LanguageModel lm, LanguageModel.Evaluation e, RunInfo info) {
        Report r = new Report(title, info);
        boolean chars = lm.config().level() == LmText.Level.CHAR;
        r.paragraph(Report.fmt("%s: perplexity **%.2f**, %.4f bits per %s, cross-entropy %.4f nats per token, over "
                        + "%,d predicted tokens (%,d unknown, scored as <unk>); %,.0f tokens/s.", e.source(),
                e.perplexity(), e.bitsPerToken(), chars ? "character" : "word", e.crossEntropy(), e.tokens(),
                e.unknown(), e.tokensPerSecond()));
        r.data("perplexity", e.perplexity()).data("bitsPerToken", e.bitsPerToken())
                .data("crossEntropy", e.crossEntropy()).data("tokens", e.tokens()).data("unknown", e.unknown())
                .data("tokensPerSecond", e.tokensPerSecond()).data("model", lm.config().toMap());
        return r;
    }

    /** {@code lm train}. */
    @Command(name = "train", mixinStandardHelpOptions = true, description = "Train a language model; report "
            + "validation perplexity and a sample.")
    static final class Train implements Callable<Integer> {
        @Option(names = "--train", required = true, description = "Training text (UTF-8, gzip ok), or "
                + "shakespeare for the bundled tiny-shakespeare.")
        String train;

        @Option(names = "--valid", description = "Validation text (default: the last --valid-fraction of --train).")
        String valid;

        @Option(names = "--valid-fraction", description = "Share of --train held out when --valid is not given "
                + "(default: ${DEFAULT-VALUE}).")
        double validFraction = 0.1;

        @Option(names = "--level", description = "word or char (default: ${DEFAULT-VALUE}).")
        String level = "word";

        @Option(names = "--max-tokens", description = "Use only the first N training tokens (0: all; default: "
                + "${DEFAULT-VALUE}).")
        int maxTokens;

        @Option(names = "--cell", description = "lstm, gru, srn, scrn or jordan (default: ${DEFAULT-VALUE}).")
        String cell = "lstm";

        @Option(names = "--units", description = "Units per layer (default: ${DEFAULT-VALUE}).")
        int units = 200;

        @Option(names = "--layers", description = "Stacked layers (default: ${DEFAULT-VALUE}).")
        int layers = 2;

        @Option(names = "--embedding", description = "Embedding size (default: --units).")
        Integer embedding;

        @Option(names = "--tied-embeddings", description = "Tie the softmax weights to the input embeddings (Press and "
                + "Wolf 2017); the embedding size must equal the top layer's output size.")
        boolean tiedEmbeddings;

        @Option(names = "--scrn-context", description = "SCRN context units (default: ${DEFAULT-VALUE}).")
        int context = 40;

        @Option(names = "--alpha", description = "SCRN context decay α (default: ${DEFAULT-VALUE}).")
        double alpha = 0.95;

        @Option(names = "--learn-alpha", description = "Learn SCRN's α per context unit.")
        boolean learnAlpha;

        @Option(names = "--activation", description = "Hidden activation of the srn and jordan cells: tanh, sigmoid "
                + "(Mikolov et al. 2014's SRN), relu or identity (default: ${DEFAULT-VALUE}).")
        String activation = "tanh";

        @Option(names = "--dropout", description = "Dropout on embeddings, between layers and before the softmax "
                + "(default: ${DEFAULT-VALUE}).")
        double dropout;

        @Option(names = "--bptt", description = "Truncated BPTT steps (default: ${DEFAULT-VALUE}).")
        int bptt = 20;

        @Option(names = "--batch", description = "Parallel streams (default: ${DEFAULT-VALUE}).")
        int batch = 20;

        @Option(names = "--max-vocab", description = "Vocabulary entries incl. 4 reserved (0: every training token; "
                + "default: ${DEFAULT-VALUE}).")
        int maxVocab;

        @Option(names = "--init-scale", description = "Uniform initialisation ±s (0: Xavier/orthogonal; default: "
                + "${DEFAULT-VALUE}).")
        double initScale = 0.1;

        @Option(names = "--optimizer", description = "sgd or adam (default: ${DEFAULT-VALUE}).")
        String optimizer = "sgd";

        @Option(names = "--lr", description = "Learning rate (default: ${DEFAULT-VALUE}).")
        double lr = 1.0;

        @Option(names = "--decay", description = "Multiply the rate by this each epoch after --decay-after "
                + "(default: ${DEFAULT-VALUE}; 1: none).")
        double decay = 0.5;

        @Option(names = "--decay-after", description = "Epochs at the full rate (default: ${DEFAULT-VALUE}).")
        int decayAfter = 4;

        @Option(names = "--plateau-decay", description = "Instead of --decay: multiply the rate by this whenever "
                + "validation perplexity does not improve (PyTorch's example: 0.25).")
        double plateauDecay;

        @Option(names = "--plateau-restore", description = "With --plateau-decay: also go back to the best epoch's "
                + "parameters and optimizer state before training on at the lower rate (Mikolov's RNNLM toolkit and "
                + "the SCRN reference code).")
        boolean plateauRestore;

        @Option(names = "--clip", description = "Gradient-norm clipping (default: ${DEFAULT-VALUE}; 0: none).")
        double clip = 5;

        @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
        int epochs = 13;

        @Option(names = "--max-iterations", description = "Stop after this many segments (0: none; default: "
                + "${DEFAULT-VALUE}), e.g. for a speed measurement.")
        long maxIterations;

        @Option(names = "--patience", description = "Stop after this many epochs without better validation "
                + "perplexity (default: ${DEFAULT-VALUE}; 0: never).")
        int patience;

        @Option(names = "--sample", description = "Tokens to sample into the report (default: ${DEFAULT-VALUE}).")
        int sample = 60;

        @Mixin
        CheckpointOptions checkpoints = new CheckpointOptions();

        @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed = 42;

        @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).")
        Path out = Path.of("out", "lm");

        @Option(names = "--quiet", description = "No progress bar.")
        boolean quiet;

        LmConfig config() {
            RecurrentSpec spec = RecurrentSpec.of(CellType.parse(cell), units).withLayers(layers);
            if (CellType.parse(cell) == CellType.SCRN) {
                spec = spec.withScrn(context, alpha, learnAlpha);
            }
            spec = spec.withActivation(Act.parse(activation));
            return new LmConfig(level(level), spec, embedding == null ? units : embedding, dropout, bptt, batch,
                    maxVocab, initScale, tiedEmbeddings);
        }

        TrainConfig trainConfig() {
            Checks.require(decay > 0 && decay <= 1, "--decay must be in (0, 1], got %s", decay);
            Checks.require(decayAfter >= 0, "--decay-after must be >= 0, got %d", decayAfter);
            TrainConfig.Optimizer opt = switch (optimizer.toLowerCase(Locale.ROOT)) {
                case "sgd" -> TrainConfig.Optimizer.SGD;
                case "adam" -> TrainConfig.Optimizer.ADAM;
                default -> throw new IllegalArgumentException("--optimizer must be sgd or adam, got '" + optimizer
                        + "'");
            };
            Checks.require(lr > 0 && Double.isFinite(lr), "--lr must be a number > 0, got %s", lr);
            Checks.require(!plateauRestore || plateauDecay > 0, "--plateau-restore needs --plateau-decay (the factor "
                    + "for the rate after going back to the best epoch)");
            TrainConfig tc;
            if (plateauDecay > 0 || decay == 1) {
                tc = TrainConfig.defaults().withEpochs(epochs).withOptimizer(opt, lr).withPlateauDecay(plateauDecay)
                        .withPlateauRestore(plateauRestore);
            } else {
                tc = TrainConfig.defaults().withEpochs(epochs).withOptimizer(opt, lr)
                        .withSchedule(LanguageModel.epochDecay(lr, epochs, decayAfter, decay));
            }
            Checks.require(maxIterations >= 0, "--max-iterations must be >= 0, got %d", maxIterations);
            return tc.withClipping(clip, 0).withPatience(patience).withSeed(seed).withQuiet(quiet)
                    .withMaxIterations(maxIterations);
        }

        @Override
        public Integer call() {
            LmConfig config = config();
            TrainConfig tc = checkpoints.apply(trainConfig(), out);
            LmText all = LmText.open(train, config.level());
            LmText trainText = all;
            LmText validText;
            if (valid != null) {
                validText = LmText.open(valid, config.level());
            } else {
                Checks.require(validFraction > 0 && validFraction < 1,
                        "--valid-fraction must be in (0, 1) (got %s), or give --valid", validFraction);
                LmText[] parts = all.split(validFraction);
                trainText = parts[0];
                validText = parts[1];
            }
            Checks.require(maxTokens >= 0, "--max-tokens must be >= 0, got %d", maxTokens);
            if (maxTokens > 0) {
                trainText = trainText.head(maxTokens);
                validText = validText.head(Math.max(maxTokens / 10, 3));
            }
            LanguageModel lm = new LanguageModel(config);
            TaskResult<LanguageModel.Evaluation> result = lm.run(train, trainText, validText, tc,
                    checkpoints.resumeFrom(out));
            TaskResult.Training r = result.training();
            Path model = out.resolve("model.zip");
            lm.save(model);
            LanguageModel.Evaluation e = result.detail();
            Report report = evaluationReport("seq4j language model: " + train, lm, e, result.runInfo());
            List<List<String>> rows = new ArrayList<>();
            for (int i = 0; i < r.validation().size(); i++) {
                rows.add(List.of(Integer.toString(i + 1), Report.fmt("%.2f", r.validation().get(i))));
            }
            report.paragraph(Report.fmt("%,d training tokens (%d streams × %,d), vocabulary %,d (%s); %s; bptt %d, "
                            + "%s lr %s, clip %s; %d epochs in %.0f s (%.1f s/epoch, %,.0f tokens/s); best validation "
                            + "at epoch %d.", trainText.size(), config.batch(), trainText.size() / config.batch(),
                    lm.vocabulary().size(), lm.openVocabulary() ? "open: unknown tokens count as <unk>" : "closed",
                    config.recurrent().label(), config.bptt(), optimizer, lr, clip, r.epochs(), r.seconds(),
                    r.seconds() / Math.max(1, r.epochs()), r.tokensPerSecond(), r.bestEpoch() + 1));
            report.table(List.of("epoch", "valid perplexity"), rows);
            String text = lm.detokenize(lm.generate(LmText.of("prompt", "", config.level()), sample,
                    new Sampling(1.0, 0, 0.95), seed));
            report.paragraph("A sample (temperature 1, top-p 0.95):\n\n```\n" + text + "\n```");
            report.data("result", result.toMap()).data("sample", text).data("train", tc.toMap());
            System.out.println(report.markdown());
            report.write(out, "valid-metrics").forEach(p -> System.out.println("wrote " + p));
            System.out.println("wrote " + model);
            return 0;
        }
    }

    /** {@code lm eval}. */
    @Command(name = "eval", mixinStandardHelpOptions = true, description = "Perplexity (and bits per character) of "
            + "a trained model on a text, with the state carried over the whole text.")
    static final class Eval implements Callable<Integer> {
        @Option(names = "--model", required = true, description = "A model.zip written by lm train.")
        Path model;

        @Option(names = "--text", required = true, description = "Text to score (UTF-8, gzip ok), or shakespeare.")
        String text;

        @Option(names = "--streams", description = "Score the text as this many parallel streams (1: exact, every "
                + "token after the first sees all before it; default: ${DEFAULT-VALUE}).")
        int streams = 1;

        @Option(names = "--token-logprobs", description = "Also write each token's ln p as TSV (index, token, "
                + "logprob) to this file.")
        Path tokenLogProbs;

        @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).")
        Path out = Path.of("out", "lm");

        @Override
        public Integer call() {
            LanguageModel lm = LanguageModel.load(model);
            LmText t = LmText.open(text, lm.config().level());
            Checks.require(streams >= 1, "--streams must be >= 1, got %d", streams);
            LanguageModel.Evaluation e = lm.evaluate(t, streams, tokenLogProbs != null);
            Report report = evaluationReport("seq4j language model evaluation: " + text, lm, e,
                    RunInfo.current(lm.graph().getConfiguration().getDefaultConfiguration().getSeed()));
            System.out.println(report.markdown());
            report.write(out, "eval-metrics").forEach(p -> System.out.println("wrote " + p));
            if (tokenLogProbs != null) {
                StringBuilder sb = new StringBuilder("index\ttoken\tlogprob\n");
                for (int i = 0; i < e.logProbs().length; i++) {
                    String tok = t.tokens().get(e.targets()[i]);
                    sb.append(e.targets()[i]).append('\t').append(tok.equals("\n") ? "\\n" : tok.equals("\t") ? "\\t"
                            : tok).append('\t').append(String.format(Locale.ROOT, "%.6f", e.logProbs()[i]))
                            .append('\n');
                }
                AtomicFiles.writeString(tokenLogProbs, sb.toString());
                System.out.println("wrote " + tokenLogProbs);
            }
            return 0;
        }
    }

    /** {@code lm sample}. */
    @Command(name = "sample", mixinStandardHelpOptions = true, description = "Generate text from a trained model.")
    static final class Sample implements Callable<Integer> {
        @Option(names = "--model", required = true, description = "A model.zip written by lm train.")
        Path model;

        @Option(names = "--prompt", description = "Text to continue (default: start after a line end).")
        String prompt = "";

        @Option(names = "--length", description = "Tokens to generate (default: ${DEFAULT-VALUE}).")
        int length = 100;

        @Option(names = "--temperature", description = "0 for greedy (default: ${DEFAULT-VALUE}).")
        double temperature = 1.0;

        @Option(names = "--top-k", description = "Sample among the k most likely tokens (0: all; default: "
                + "${DEFAULT-VALUE}).")
        int topK;

        @Option(names = "--top-p", description = "Sample from the nucleus of this mass (default: ${DEFAULT-VALUE}).")
        double topP = 1.0;

        @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed = 42;

        @Override
        public Integer call() {
            LanguageModel lm = LanguageModel.load(model);
            Sampling s = new Sampling(temperature, topK, topP);
            LmText p = LmText.of("--prompt", prompt, lm.config().level());
            String text = lm.detokenize(lm.generate(p, length, s, seed));
            System.out.println(prompt + (lm.config().level() == LmText.Level.WORD && !prompt.isEmpty() ? " " : "")
                    + text);
            return 0;
        }
    }
}
