package org.seq4j.bench.runner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.seq4j.cells.CellType;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.core.Act;
import org.seq4j.core.GradientLag;
import org.seq4j.data.ConllReader.Block;
import org.seq4j.data.ParallelText;
import org.seq4j.data.Series;
import org.seq4j.metrics.ChunkEvaluation;
import org.seq4j.tasks.TaskResult;
import org.seq4j.tasks.data.ClassicSeries;
import org.seq4j.tasks.data.M3;
import org.seq4j.tasks.forecast.Backtest;
import org.seq4j.tasks.forecast.Baselines;
import org.seq4j.tasks.forecast.Forecast;
import org.seq4j.tasks.forecast.ForecastConfig;
import org.seq4j.tasks.forecast.ForecastMethod;
import org.seq4j.tasks.forecast.Forecaster;
import org.seq4j.tasks.forecast.Seasonality;
import org.seq4j.tasks.lm.LanguageModel;
import org.seq4j.tasks.lm.LmConfig;
import org.seq4j.tasks.lm.LmText;
import org.seq4j.tasks.memory.AddingProblem;
import org.seq4j.tasks.memory.CopyMemory;
import org.seq4j.tasks.tagging.Tagger;
import org.seq4j.tasks.tagging.TaggerConfig;
import org.seq4j.tasks.tagging.TaggingData;
import org.seq4j.tasks.translate.Decoding;
import org.seq4j.tasks.translate.TranslateConfig;
import org.seq4j.tasks.translate.TranslationData;
import org.seq4j.tasks.translate.Translator;
import org.seq4j.train.TrainConfig;
import org.seq4j.util.Checks;

/**
 * Runs one {@link Suite.Run} through its task's pipeline and returns the {@link TaskResult} with what the report
 * draws besides it (the extras: baselines, gradient norm by lag, a forecast with its interval, BLEU by length, an
 * attention map).
 */
final class ScenarioRunner {

    /** The tasks a suite can name. */
    static final Set<String> TASKS = Set.of("adding", "copy-memory", "lm", "tag", "forecast", "translate");

    /** A run's result and the extra data its charts need. */
    record Outcome(TaskResult<?> result, Map<String, Object> extras) {
    }

    private final Path dataDir;

    ScenarioRunner(Path dataDir) {
        this.dataDir = dataDir;
    }

    /**
     * The dataset with {@code ${data}} replaced by the data directory, or null when it names data that is not there
     * (the scenario is skipped).
     */
    String resolve(String dataset) {
        if (dataset == null || !dataset.contains("${data}")) {
            return dataset;
        }
        if (dataDir == null) {
            return null;
        }
        int start = dataset.indexOf("${data}");
        int end = dataset.indexOf(':', start);
        String file = dataset.substring(start, end < 0 ? dataset.length() : end).replace("${data}",
                dataDir.toString());
        return Files.exists(Path.of(file)) ? dataset.replace("${data}", dataDir.toString()) : null;
    }

    Outcome run(Suite.Run run) {
        return plan(run).get();
    }

    /**
     * Reads and checks every option of {@code run} (a misspelt key or a bad value fails here, before any training)
     * and returns what runs it.
     */
    java.util.function.Supplier<Outcome> plan(Suite.Run run) {
        Suite.Scenario s = run.scenario();
        String where = "scenario " + s.name();
        Params o = new Params(s.options(), where + ", options");
        Params v = new Params(run.variant(), where + ", variant " + run.label());
        String dataset = resolve(s.dataset());
        String data = dataset != null ? dataset : s.dataset();   // planning needs no data; running does
        java.util.function.Supplier<Outcome> plan = switch (s.task()) {
            case "adding" -> adding(o, v, run.seed());
            case "copy-memory" -> copyMemory(o, v, run.seed());
            case "lm" -> lm(data, o, v, run.seed());
            case "tag" -> tag(data, o, v, run.seed());
            case "forecast" -> forecast(data, o, v, run.seed());
            case "translate" -> translate(data, o, v, run.seed());
            default -> throw new IllegalArgumentException(where + ": unknown task " + s.task());
        };
        o.checkAllRead(s.task());
        v.checkAllRead(s.task());
        return () -> {
            Checks.require(dataset != null, "%s: its data %s is not there (give --data-dir)", where, s.dataset());
            return plan.get();
        };
    }

    /** The variant's recurrent stack: cell, units, layers, bidirectional, SCRN's context and α, SRN's activation. */
    private static RecurrentSpec spec(Params v, int defaultUnits) {
        RecurrentSpec spec = RecurrentSpec.of(CellType.parse(v.text("cell", "lstm")), v.integer("units", defaultUnits))
                .withLayers(v.integer("layers", 1));
        if (v.flag("bidirectional", false)) {
            spec = spec.withBidirectional(Bidirectional.Mode.CONCAT);
        }
        int context = v.integer("context", 0);
        double alpha = v.number("alpha", 0.95);
        boolean learnAlpha = v.flag("learnAlpha", false);
        if (spec.cell() == CellType.SCRN && context > 0) {
            spec = spec.withScrn(context, alpha, learnAlpha);
        }
        String activation = v.text("activation", null);
        if (activation != null) {
            spec = spec.withActivation(Act.parse(activation));
        }
        v.text("label", null);
        return spec;
    }

    private static TrainConfig train(Params o, long seed, double lr, int epochs) {
        return train(o, seed, lr, epochs, 5);
    }

    /** Adam with the scenario's {@code epochs}, {@code lr} and global-norm {@code clip}, quiet. */
    private static TrainConfig train(Params o, long seed, double lr, int epochs, double clip) {
        return TrainConfig.defaults().withEpochs(o.integer("epochs", epochs))
                .withOptimizer(TrainConfig.Optimizer.ADAM, o.number("lr", lr)).withClipping(o.number("clip", clip), 0)
                .withSeed(seed).withQuiet(true);
    }

    private static java.util.function.Supplier<Outcome> adding(Params o, Params v, long seed) {
        RecurrentSpec spec = spec(v, 32);
        boolean sameDiff = switch (v.text("form", "core")) {
            case "core" -> false;
            case "samediff" -> true;
            default -> throw new IllegalArgumentException("variant " + spec.label() + ": form must be core or "
                    + "samediff");
        };
        AddingProblem.Options opt = new AddingProblem.Options(o.integer("steps", 50), o.integer("trainSize", 2000),
                o.integer("testSize", 500), o.integer("batch", 50), o.integer("epochs", 5), o.number("lr", 0.01), seed);
        return () -> {
            TaskResult<AddingProblem.Result> r = AddingProblem.run(spec, opt, sameDiff);
            Map<String, Object> extras = new LinkedHashMap<>();
            extras.put("baseline", Map.of("name", "predict the training mean", "value", r.detail().baselineMse()));
            if (!sameDiff) {   // at initialisation; the SameDiff form starts from the same parameters
                extras.put("gradientLag", GradientLag.of(spec, 2, opt.steps(), 16, seed).relative());
            }
            return new Outcome(r, extras);
        };
    }

    private static java.util.function.Supplier<Outcome> copyMemory(Params o, Params v, long seed) {
        RecurrentSpec spec = spec(v, 64);
        CopyMemory.Options opt = new CopyMemory.Options(o.integer("delay", 20), o.integer("trainSize", 4000),
                o.integer("epochs", 10), o.integer("batch", 50), o.number("lr", 0.005), seed);
        return () -> {
            TaskResult<CopyMemory.Result> r = CopyMemory.run(spec, opt);
            return new Outcome(r, Map.of("baseline", Map.of("name", "chance (10·ln 8 / (delay + 20))", "value",
                    r.detail().chance())));
        };
    }

    private java.util.function.Supplier<Outcome> lm(String dataset, Params o, Params v, long seed) {
        LmText.Level level = LmText.Level.valueOf(o.text("level", "char").toUpperCase(java.util.Locale.ROOT));
        RecurrentSpec spec = spec(v, 128);
        LmConfig config = new LmConfig(level, spec, o.integer("embedding", spec.units()), o.number("dropout", 0),
                o.integer("bptt", 35), o.integer("batch", 20), o.integer("maxVocab", 0), 0,
                v.flag("tied", o.flag("tied", false)));
        TrainConfig tc = train(o, seed, 0.002, 2);
        int maxTokens = o.integer("maxTokens", 0);   // a slice: its first tokens, validation its own tail
        String validPath = o.text("valid", null);
        double validFraction = o.number("validFraction", 0.1);
        return () -> {
            LmText all = LmText.open(dataset, level);
            if (maxTokens > 0) {
                all = all.head(maxTokens);
            }
            LmText trainText;
            LmText validText;
            if (validPath != null) {
                trainText = all;
                validText = LmText.open(resolveOrFail(validPath), level);
                if (maxTokens > 0) {
                    validText = validText.head(Math.max(maxTokens / 10, 3));
                }
            } else {
                LmText[] parts = all.split(validFraction);
                trainText = parts[0];
                validText = parts[1];
            }
            return new Outcome(new LanguageModel(config).run(dataset, trainText, validText, tc, null), Map.of());
        };
    }

    private String resolveOrFail(String dataset) {
        String r = resolve(dataset);
        Checks.require(r != null, "%s is not there (give --data-dir)", dataset);
        return r;
    }

    private static java.util.function.Supplier<Outcome> tag(String dataset, Params o, Params v, long seed) {
        String schemeName = o.text("scheme", "none");
        ChunkEvaluation.Scheme scheme = schemeName.equals("none") ? null : ChunkEvaluation.Scheme.parse(schemeName);
        RecurrentSpec spec = spec(v, 100);
        boolean crf = switch (o.text("output", scheme == null ? "softmax" : "crf")) {
            case "crf" -> true;
            case "softmax" -> false;
            default -> throw new IllegalArgumentException("option output must be crf or softmax");
        };
        TrainConfig tc = train(o, seed, 0.003, 5).withPatience(o.integer("patience", 5));
        double decay = o.number("lrDecay", 0.1);
        if (decay > 0) {
            tc = tc.withSchedule(TaggerConfig.inverseTimeDecay(tc.learningRate(), decay));
        }
        TaggerConfig config = TaggerConfig.bilstmCrf(scheme)
                .withColumns(0, o.integer("labelColumn", -1), o.integers("featureColumns"))
                .withEncoder(spec).withCrf(crf)
                .withCharCnn(o.flag("charCnn", scheme != null))
                .withTrain(tc);
        int limit = o.integer("maxSentences", 0);
        double devFraction = o.number("devFraction", 0.1);
        return () -> {
            TaggingData.Split split = TaggingData.holdOut(TaggingData.read(dataset), devFraction, false, seed);
            List<Block> train = limit > 0 && split.train().size() > limit ? split.train().subList(0, limit)
                    : split.train();
            return new Outcome(new Tagger(config).run(dataset, train, split.dev(), null), Map.of());
        };
    }

    private static java.util.function.Supplier<Outcome> forecast(String dataset, Params o, Params v, long seed) {
        int limit = o.integer("limit", 0);
        int horizonOption = o.integer("horizon", 0);
        int lookbackOption = o.integer("lookback", 0);
        int batch = o.integer("batch", 32);
        TrainConfig tc = train(o, seed, 0.002, 20, 1);
        RecurrentSpec spec = spec(v, 32);
        Checks.require(dataset.startsWith("classic:") || dataset.startsWith("m3:"), "dataset %s: expected "
                + "classic:NAME[,NAME…] or m3:DIR:frequency", dataset);
        Checks.require(horizonOption == 0 || dataset.startsWith("classic:"), "dataset %s: M3's horizon is its own; "
                + "leave the option horizon out", dataset);
        return () -> {
            List<Series> series = new ArrayList<>();
            int horizon;
            int m;
            Map<String, Map<String, double[]>> references = new LinkedHashMap<>();
            if (dataset.startsWith("m3:")) {
                String[] p = dataset.substring(3).split(":", 2);   // m3:DIR:frequency
                Checks.require(p.length == 2, "dataset %s: expected m3:DIR:frequency", dataset);
                Path dir = Path.of(p[0]);
                List<M3.Entry> entries = M3.load(dir, p[1]);
                if (limit > 0 && limit < entries.size()) {
                    entries = entries.subList(0, limit);
                }
                horizon = entries.get(0).horizon();
                m = entries.get(0).period();
                entries.forEach(e -> series.add(e.full()));
                references.put("M3 THETA", M3.referenceForecasts(dir, "THETA"));
            } else {
                for (String n : dataset.substring("classic:".length()).split(",")) {
                    series.add(ClassicSeries.load(ClassicSeries.parse(n.trim())));
                }
                m = Seasonality.fromTimestamps(series.get(0).timestamps());
                horizon = horizonOption > 0 ? horizonOption : Math.max(m, 4);
            }
            int lookback = lookbackOption > 0 ? lookbackOption : 2 * horizon;
            int shortest = series.stream().mapToInt(Series::length).min().orElseThrow() - horizon;
            ForecastConfig config = ForecastConfig.of(spec, lookback, horizon, tc)
                    .withMinHistory(Math.max(1, Math.min(lookback, Math.min(horizon, shortest - 1))))
                    .withBatchSize(batch).withQuantiles(List.of(0.1, 0.5, 0.9))
                    .withNormalization(ForecastConfig.Normalization.WINDOW);
            Forecaster net = new Forecaster(config);
            List<ForecastMethod> baselines = List.of(Baselines.naive2(m), Baselines.theta(m));
            TaskResult<Backtest.Result> r = Backtest.evaluate(dataset, series,
                    Backtest.Setup.horizon(horizon).season(m), net, baselines, references);
            Series first = series.get(0);
            Series history = first.head(first.length() - horizon);
            Forecast f = net.predict(history);
            double[] h = history.values();
            Map<String, Object> plot = new LinkedHashMap<>();
            plot.put("series", first.id());
            plot.put("history", Arrays.copyOfRange(h, Math.max(0, h.length - 4 * horizon), h.length));
            plot.put("actual", Arrays.copyOfRange(first.values(), h.length, first.length()));
            plot.put("point", f.point());
            plot.put("levels", f.levels());
            plot.put("quantiles", f.quantiles());
            Map<String, Object> extras = new LinkedHashMap<>();
            extras.put("forecast", plot);
            Map<String, Double> others = new LinkedHashMap<>();
            for (Backtest.Row row : r.detail().rows()) {
                if (!row.method().equals(net.name())) {
                    others.put(row.method(), row.smape());
                }
            }
            extras.put("baselineSmape", others);
            return new Outcome(r, extras);
        };
    }

    private static java.util.function.Supplier<Outcome> translate(String dataset, Params o, Params v, long seed) {
        RecurrentSpec encoder = spec(v, 64).withBidirectional(Bidirectional.Mode.CONCAT);
        TranslateConfig.Attention attention = TranslateConfig.Attention.parse(v.text("attention", "general"));
        TranslateConfig config = TranslateConfig.defaults().withEncoder(encoder)
                .withDecoder(RecurrentSpec.of(CellType.parse(o.text("decoder", "lstm")), (int) encoder.outputSize()))
                .withAttention(attention).withFlow(TranslateConfig.Flow.parse(v.text("flow", "output")))
                .withBridge(TranslateConfig.Bridge.parse(v.text("bridge", "dense")))
                .withEmbedding(o.integer("embedding", 64))
                .withDropout(o.number("dropout", 0.1)).withBatch(o.integer("batch", 32));
        int testSize = o.integer("testSize", 200);
        int validSize = o.integer("validSize", 100);
        int limit = o.integer("limit", 0);
        int beam = o.integer("beam", 1);
        Decoding decoding = beam == 1 ? Decoding.greedy() : Decoding.beam(beam);
        TrainConfig tc = train(o, seed, 0.003, 5);
        return () -> {
            List<ParallelText.Pair> all = new ArrayList<>(TranslationData.read(dataset, true, 0, 1, seed));
            Collections.shuffle(all, new Random(seed));
            Checks.require(all.size() > testSize + validSize, "dataset %s: %d pairs, fewer than test %d + valid %d",
                    dataset, all.size(), testSize, validSize);
            List<ParallelText.Pair> test = all.subList(all.size() - testSize, all.size());
            List<ParallelText.Pair> valid = all.subList(all.size() - testSize - validSize, all.size() - testSize);
            List<ParallelText.Pair> train = all.subList(0, all.size() - testSize - validSize);
            if (limit > 0 && train.size() > limit) {
                train = train.subList(0, limit);
            }
            Translator t = new Translator(config);
            TaskResult<Translator.Evaluation> r = t.run(dataset, train, valid, test, tc, decoding, null);
            Map<String, Object> extras = new LinkedHashMap<>();
            extras.put("bleuByLength", r.detail().byLength(Math.min(4, r.detail().sentences())));
            if (attention != TranslateConfig.Attention.NONE) {
                Translator.Translations shown = t.translate(List.of(test.get(0).source()), decoding).get(0);
                Translator.Translation best = shown.best();
                if (!best.tokens().isEmpty()) {
                    extras.put("attention", Map.of("source", shown.sourceTokens(), "target", best.tokens(),
                            "weights", best.attention()));
                }
            }
            return new Outcome(r, extras);
        };
    }
}
