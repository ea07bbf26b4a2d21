package org.seq4j.tasks.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.cells.CellType;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.data.Series;
import org.seq4j.metrics.ForecastMetric;
import org.seq4j.train.TrainConfig;

class ForecasterTest {

    private static final TrainConfig TRAIN = TrainConfig.defaults().withEpochs(12)
            .withOptimizer(TrainConfig.Optimizer.ADAM, 0.01).withSeed(7).withQuiet(true);

    static Series sine(String id, int n, double amplitude, double offset, double phase) {
        double[] v = new double[n];
        for (int t = 0; t < n; t++) {
            v[t] = offset + amplitude * Math.sin(2 * Math.PI * t / 12 + phase);
        }
        return Series.of(id, v);
    }

    private static ForecastConfig config() {
        return ForecastConfig.of(RecurrentSpec.of(CellType.GRU, 16), 24, 6, TRAIN);
    }

    @Test
    void learnsANoiselessSineToLowErrorAndBeatsNaive() {
        Series s = sine("sine", 160, 1, 0, 0);
        Forecaster f = new Forecaster(config());
        f.fit(List.of(s.head(154)));
        double[] actual = java.util.Arrays.copyOfRange(s.values(), 154, 160);
        double[] predicted = f.predict(s.head(154)).point();
        double mae = ForecastMetric.MAE.of(null, 1, actual, predicted);
        double naive = ForecastMetric.MAE.of(null, 1, actual, Baselines.naive().forecast(s.head(154).values(), 6));
        assertThat(mae).isLessThan(0.1).isLessThan(naive / 5);
    }

    @Test
    void oneGlobalModelForSeriesOfDifferentScales() {
        Series a = sine("a", 120, 1, 0, 0);
        Series b = sine("b", 120, 100, 500, 1.0);
        Forecaster f = new Forecaster(config());
        Forecaster.Windows w = f.windows(List.of(a, b));
        assertThat(w.count()).isEqualTo(2 * (120 - 24 - 6 + 1));
        // an epoch's batches are built when asked for, each window once, the same for the same seed
        List<org.nd4j.linalg.dataset.MultiDataSet> epoch = w.batches(32, 5);
        assertThat(epoch).hasSize((w.count() + 31) / 32);
        assertThat(epoch.stream().mapToLong(m -> m.getFeatures(0).size(0)).sum()).isEqualTo(w.count());
        assertThat(epoch.get(3)).isNotSameAs(epoch.get(3));
        assertThat(epoch.get(3).getFeatures(0)).isEqualTo(w.batches(32, 5).get(3).getFeatures(0));
        assertThat(epoch.get(3).getLabels(0)).isEqualTo(w.batches(32, 5).get(3).getLabels(0));
        assertThat(epoch.get(0).getFeatures(0).shape()).containsExactly(32, 1, 24);
        // every third origin: 91 origins per series (24 … 114) become 31
        assertThat(new Forecaster(config().withOriginStride(3)).windows(List.of(a, b)).count()).isEqualTo(2 * 31);
        f.fit(List.of(a.head(114), b.head(114)));
        for (Series s : List.of(a, b)) {
            double[] actual = java.util.Arrays.copyOfRange(s.values(), 114, 120);
            double smape = ForecastMetric.SMAPE.of(null, 1, actual, f.predict(s.head(114)).point());
            double naive = ForecastMetric.SMAPE.of(null, 1, actual, Baselines.naive().forecast(s.head(114).values(), 6));
            assertThat(smape).as(s.id()).isLessThan(naive);
        }
    }

    @Test
    void quantileForecastsMapToTheirRowsAndSurviveSaveLoad(@TempDir Path dir) throws Exception {
        double[] v = noisySine();
        Forecaster f = new Forecaster(config().withQuantiles(List.of(0.1, 0.5, 0.9)));
        f.fit(List.of(Series.of("noisy", v)));
        Forecast fc = f.predict(Series.of("noisy", v));
        assertThat(fc.quantiles()).hasDimensions(3, 6);
        // (no "lower ≤ point ≤ upper" check: the forecaster sorts the quantile outputs, so it could not fail)
        // the interval is the outer quantile rows and the point the median row
        assertThat(fc.lower()).containsExactly(fc.quantiles()[0]);
        assertThat(fc.point()).containsExactly(fc.quantiles()[1]);
        assertThat(fc.upper()).containsExactly(fc.quantiles()[2]);

        // save -> load forecasts exactly the same, with the whole configuration restored
        Path file = dir.resolve("forecaster.zip");
        f.save(file);
        Forecaster back = Forecaster.load(file);
        assertThat(back.config().toMap()).isEqualTo(f.config().toMap());
        assertThat(back.predict(Series.of("noisy", v)).quantiles()).isEqualTo(fc.quantiles());
        // a damaged configuration entry is an error naming the file, the entry and the field
        Path bad = dir.resolve("bad.zip");
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(file.toFile());
             java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(bad))) {
            for (java.util.zip.ZipEntry e : java.util.Collections.list(z.entries())) {
                byte[] b = z.getInputStream(e).readAllBytes();
                if (e.getName().equals("forecaster.json")) {
                    b = new String(b, java.nio.charset.StandardCharsets.UTF_8).replace("\"lookback\"", "\"lookbak\"")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                }
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                out.write(b);
                out.closeEntry();
            }
        }
        assertThatThrownBy(() -> Forecaster.load(bad)).hasMessageContaining("forecaster file " + bad)
                .hasMessageContaining("entry 'forecaster.json'").hasMessageContaining("missing field 'lookback'");
    }

    @Test
    void validationSeriesDriveEarlyStoppingAndPatienceWithoutThemIsAnError() {
        Series s = sine("sine", 160, 1, 0, 0);
        ForecastConfig c = config();
        org.seq4j.train.TrainConfig tc = c.train().withEpochs(6).withPatience(1)
                .withOptimizer(org.seq4j.train.TrainConfig.Optimizer.ADAM, 0.05);
        Forecaster f = new Forecaster(c.withTrain(tc));
        assertThatThrownBy(() -> f.fit(List.of(s.head(140)), null, null))
                .hasMessageContaining("early stopping (patience 1) needs validation series");
        long[] iterations = {0};
        f.addListeners(new org.deeplearning4j.optimize.api.BaseTrainingListener() {
            @Override
            public void iterationDone(org.deeplearning4j.nn.api.Model model, int iteration, int epoch) {
                iterations[0]++;
            }
        });
        org.seq4j.train.Trainer.Result r = f.fit(List.of(s.head(140)), List.of(s), null);
        assertThat(r.validationHistory()).hasSize(r.epochs()).allSatisfy(v -> assertThat(v).isFinite());
        assertThat(iterations[0]).isEqualTo(r.iterations());
        // the kept parameters are the best epoch's: the validation loss now equals the best one recorded
        double best = r.validationHistory().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        assertThat(r.bestMetric()).isEqualTo(best);
        // patience 1: training goes on while every epoch improves, and stops at the first that does not
        List<Double> h = r.validationHistory();
        for (int i = 1; i < h.size() - 1; i++) {
            assertThat(h.get(i)).isLessThan(java.util.Collections.min(h.subList(0, i)));
        }
        int last = h.size() - 1;
        boolean lastImproved = last == 0 || h.get(last) < java.util.Collections.min(h.subList(0, last));
        assertThat(r.stoppedEarly()).isEqualTo(!lastImproved);
    }

    @Test
    void windowNormalizationExtrapolatesGrowth() {
        // a seasonal series growing 2% a step ends far above anything seen in training: relative windows still fit
        double[] v = new double[120];
        for (int t = 0; t < v.length; t++) {
            v[t] = 10 * Math.pow(1.02, t) * (1 + 0.3 * Math.sin(2 * Math.PI * t / 12));
        }
        Series s = Series.of("growth", v);
        Forecaster f = new Forecaster(config().withNormalization(ForecastConfig.Normalization.WINDOW));
        f.fit(List.of(s.head(114)));
        double[] actual = java.util.Arrays.copyOfRange(v, 114, 120);
        double smape = ForecastMetric.SMAPE.of(null, 1, actual, f.predict(s.head(114)).point());
        double snaive = ForecastMetric.SMAPE.of(null, 1, actual,
                Baselines.seasonalNaive(12).forecast(s.head(114).values(), 6));
        assertThat(smape).isLessThan(snaive / 2);
        assertThatThrownBy(() -> f.predict(Series.of("neg", -1, 2, 3)))
                .hasMessageContaining("window normalization works in log space and needs values > 0");
    }

    @Test
    void recursiveStrategyForecastsAnyHorizon() {
        Series s = sine("sine", 160, 1, 0, 0);
        Forecaster f = new Forecaster(config().withStrategy(ForecastConfig.Strategy.RECURSIVE));
        f.fit(List.of(s.head(150)));
        double[] p = f.forecast(s.head(150).values(), 10);
        assertThat(p).hasSize(10);
        double[] actual = java.util.Arrays.copyOfRange(s.values(), 150, 160);
        assertThat(ForecastMetric.MAE.of(null, 1, actual, p)).isLessThan(0.3);
    }

    @Test
    void knownFutureCovariatesReachTheModel() {
        // the target is a known-future covariate (white noise): only the future input can predict it
        Random r = new Random(5);
        int n = 200;
        double[] cov = new double[n];
        for (int t = 0; t < n; t++) {
            cov[t] = r.nextGaussian();
        }
        double[] y = cov.clone();
        List<String> ts = java.util.stream.IntStream.range(0, n).mapToObj(Integer::toString).toList();
        Series s = new Series("s", ts, y, Map.of("plan", cov));
        Forecaster f = new Forecaster(config().withCovariates(List.of(), List.of("plan"))
                .withTrain(TRAIN.withEpochs(40)));
        f.fit(List.of(s.slice(0, 194)));
        double[] future = java.util.Arrays.copyOfRange(cov, 194, 200);
        double[] p = f.predict(s.slice(0, 194), Map.of("plan", future), 6).point();
        double mae = ForecastMetric.MAE.of(null, 1, future, p);
        double naive = ForecastMetric.MAE.of(null, 1, future, Baselines.naive().forecast(java.util.Arrays.copyOf(cov, 194), 6));
        assertThat(mae).isLessThan(0.2).isLessThan(naive / 4);
    }

    @Test
    void pastCovariatesReachTheModel() {
        // the target is a past covariate delayed by 6 steps (the horizon): only that channel's last values predict it
        Random r = new Random(6);
        int n = 220;
        double[] cov = new double[n];
        double[] y = new double[n];
        for (int t = 0; t < n; t++) {
            cov[t] = r.nextGaussian();
            y[t] = t >= 6 ? cov[t - 6] : 0;
        }
        List<String> ts = java.util.stream.IntStream.range(0, n).mapToObj(Integer::toString).toList();
        Series s = new Series("s", ts, y, Map.of("lead", cov));
        Forecaster f = new Forecaster(config().withCovariates(List.of("lead"), List.of())
                .withTrain(TRAIN.withEpochs(60)));
        f.fit(List.of(s.slice(0, 214)));
        double[] actual = java.util.Arrays.copyOfRange(y, 214, 220);
        double[] p = f.predict(s.slice(0, 214), null, 6).point();
        double naive = ForecastMetric.MAE.of(null, 1, actual, Baselines.naive().forecast(java.util.Arrays.copyOf(y, 214), 6));
        assertThat(ForecastMetric.MAE.of(null, 1, actual, p)).isLessThan(0.35).isLessThan(naive / 3);
    }

    @Test
    void backtestComparesWithBaselines() {
        Random rnd = new Random(9);
        double[] v = sine("sine", 120, 10, 50, 0).values();
        for (int t = 0; t < v.length; t++) {
            v[t] += 0.5 * rnd.nextGaussian();
        }
        Backtest.Result r = Backtest.run(List.of(Series.of("noisy", v)),
                Backtest.Setup.horizon(6).season(12).folds(2), new Forecaster(config()), Baselines.all(12));
        assertThat(r.rows()).extracting(Backtest.Row::method)
                .containsExactly("gru-16", "naive", "snaive", "drift", "naive2", "ses", "theta");
        assertThat(r.row("gru-16").smape()).isLessThan(r.row("naive").smape());
        assertThat(r.row("gru-16").coverage()).isNaN();
        Backtest.Row gru = r.row("gru-16");
        Backtest.Row n2 = r.row("naive2");
        assertThat(r.owa("gru-16")).as("M4's OWA from the rows").isCloseTo(
                0.5 * (gru.smape() / n2.smape() + gru.mase() / n2.mase()), org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void backtestScoresIntervalsWithMsisAndPinballAndOwaAgainstAnyReference() {
        Random rnd = new Random(4);
        double[] v = sine("sine", 96, 12, 50, 0).values();
        for (int t = 0; t < v.length; t++) {
            v[t] += rnd.nextGaussian();   // a noiseless sine repeats exactly: its seasonal naive scale would be 0
        }
        Forecaster f = new Forecaster(config().withQuantiles(List.of(0.1, 0.5, 0.9)).withTrain(TRAIN.withEpochs(2)));
        Backtest.Result r = Backtest.run(List.of(Series.of("s", v)), Backtest.Setup.horizon(6).season(12), f,
                List.of(Baselines.naive2(12), Baselines.theta(12)));
        // the same forecast again (fitted once, deterministic), scored by hand
        double[] history = java.util.Arrays.copyOf(v, 90);
        double[] actual = java.util.Arrays.copyOfRange(v, 90, 96);
        Forecast fc = f.predict(Series.of("s", history));
        Backtest.Row row = r.row(f.name());
        assertThat(row.msis()).isCloseTo(ForecastMetric.msis(history, 12, actual, fc.lower(), fc.upper(), 0.2),
                org.assertj.core.data.Offset.offset(1e-9));
        double pinball = (ForecastMetric.pinball(actual, fc.quantiles()[0], 0.1)
                + ForecastMetric.pinball(actual, fc.quantiles()[1], 0.5)
                + ForecastMetric.pinball(actual, fc.quantiles()[2], 0.9)) / 3;
        assertThat(row.pinball()).isCloseTo(pinball, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.row("theta").msis()).isNaN();   // a point forecast has no interval to score
        Backtest.Row theta = r.row("theta");
        assertThat(r.owa(f.name(), "theta")).isCloseTo(0.5 * (row.smape() / theta.smape()
                + row.mase() / theta.mase()), org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void anEnsembleForecastsTheMedianOfItsMembers() {
        assertThat(Ensemble.median(List.of(new double[] {1, 9}, new double[] {3, 2}, new double[] {2, 5})))
                .containsExactly(2, 5);
        assertThat(Ensemble.median(List.of(new double[] {1}, new double[] {4}))).containsExactly(2.5);
        Ensemble e = Ensemble.ofSeeds(config().withQuantiles(List.of(0.1, 0.5, 0.9)).withTrain(TRAIN.withEpochs(2)),
                3);
        assertThat(e.members()).extracting(f -> f.config().train().seed()).containsExactly(TRAIN.seed(),
                TRAIN.seed() + 1, TRAIN.seed() + 2);
        Series s = sine("s", 96, 10, 50, 0);
        Backtest.Result r = Backtest.run(List.of(s), Backtest.Setup.horizon(6).season(12), e,
                List.of(Baselines.naive2(12)));
        assertThat(r.rows()).extracting(Backtest.Row::method).containsExactly("median of 3 × gru-16", "naive2");
        assertThat(r.training().iterations()).isEqualTo(3 * e.members().get(0).fit(List.of(s.head(90))).iterations());
        Series history = s.head(90);
        Forecast f = e.predict(history);
        List<Forecast> each = e.members().subList(0, 2).stream().map(m -> m.predict(history)).toList();
        Forecast third = e.members().get(2).predict(history);
        double[] expected = Ensemble.median(List.of(each.get(0).point(), each.get(1).point(), third.point()));
        assertThat(f.point()).containsExactly(expected);
        assertThat(f.upper()).containsExactly(Ensemble.median(List.of(each.get(0).upper(), each.get(1).upper(),
                third.upper())));
        assertThat(e.parameters()).isEqualTo(3 * e.members().get(0).parameters());
    }

    @Test
    void badConfigurationAndUsage() {
        assertThatThrownBy(() -> config().withQuantiles(List.of(0.9, 0.1)))
                .hasMessageContaining("quantile levels must increase");
        assertThatThrownBy(() -> config().withStrategy(ForecastConfig.Strategy.RECURSIVE)
                .withCovariates(List.of("x"), List.of())).hasMessageContaining("covariates need the DIRECT strategy");
        assertThatThrownBy(() -> new Forecaster(config()).predict(Series.of("s", 1, 2, 3)))
                .hasMessageContaining("call fit before predict");
        assertThatThrownBy(() -> new Forecaster(config()).fit(List.of(Series.of("short", 1, 2, 3))))
                .hasMessageContaining("no training windows");
    }

    /** Seed-dependent: the 80% interval of Gaussian noise (sd 0.3) is about 0.77 wide. Runs with -Pquality. */
    @Test
    @org.junit.jupiter.api.Tag("quality")
    void quantileIntervalHasAboutTheRightWidth() {
        double[] v = noisySine();
        Forecaster f = new Forecaster(config().withQuantiles(List.of(0.1, 0.5, 0.9)));
        f.fit(List.of(Series.of("noisy", v)));
        Forecast fc = f.predict(Series.of("noisy", v));
        double width = 0;
        for (int h = 0; h < 6; h++) {
            width += fc.upper()[h] - fc.lower()[h];
        }
        assertThat(width / 6).isBetween(0.2, 2.0);
    }

    /** A monthly-seasonal sine with Gaussian noise of sd 0.3, 150 steps, seeded. */
    private static double[] noisySine() {
        Random r = new Random(3);
        double[] v = new double[150];
        for (int t = 0; t < v.length; t++) {
            v[t] = Math.sin(2 * Math.PI * t / 12) + 0.3 * r.nextGaussian();
        }
        return v;
    }
}
