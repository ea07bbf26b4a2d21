package org.seq4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.data.ConllReader.Block;
import org.seq4j.data.DataFormatException;
import org.seq4j.data.Series;
import org.seq4j.metrics.ForecastMetric;
import org.seq4j.tasks.TaskResult;
import org.seq4j.tasks.data.BrownCorpus;
import org.seq4j.tasks.forecast.ForecastConfig;
import org.seq4j.tasks.forecast.Forecaster;
import org.seq4j.tasks.tagging.Tagger;
import org.seq4j.tasks.tagging.TaggerConfig;
import org.seq4j.train.TrainConfig;

/**
 * The tagger and the forecaster trained on Spark ({@code local[2]}: two workers averaging parameters) from files
 * read on the executors: their held-out quality within the margins of single-machine training with the same
 * configuration, seed and epochs; the saved models load in plain seq4j and predict identically; bad input (missing
 * path, malformed record in one of several files, empty files and partitions) handled as on one machine.
 */
class SparkTasksTest {

    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkSetup.context("local[2]", "seq4j-tasks-test");
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    // ---- tagging ---------------------------------------------------------------------------------------------------

    /** A small POS tagger (the bundled Brown sample's tags are plain tags: the metric is token accuracy). */
    private static TaggerConfig taggerConfig() {
        return TaggerConfig.bilstmCrf(null).withEncoding(null).withCharCnn(false).withCrf(false)
                .withDropout(TaggerConfig.Dropout.NONE)
                .withEncoder(RecurrentSpec.of("gru", 32).withBidirectional(
                        org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional.Mode.CONCAT))
                .withWords(32, null, true, 1)
                .withTrain(TrainConfig.defaults().withEpochs(8).withOptimizer(TrainConfig.Optimizer.ADAM, 0.01)
                        .withClipping(5, 0).withSeed(5).withQuiet(true));
    }

    /** The first 900 sentences of the Brown sample in three files and an empty one; the rest is dev. */
    private static List<Block> brownFiles(Path dir) throws IOException {
        List<Block> all = BrownCorpus.sample();
        TestFiles.writeConll(dir.resolve("part-0.conll"), all.subList(0, 300));
        TestFiles.writeConll(dir.resolve("part-1.conll"), all.subList(300, 600));
        TestFiles.writeConll(dir.resolve("part-2.conll"), all.subList(600, 900));
        Files.writeString(dir.resolve("part-3.conll"), "");
        return all.subList(900, all.size());
    }

    @Test
    void taggerOnSparkScoresWithinOnePointOfOneMachineAndItsModelLoadsInPlainSeq4j(@TempDir Path dir)
            throws IOException {
        Path data = Files.createDirectory(dir.resolve("train"));
        List<Block> dev = brownFiles(data);
        List<Block> train = BrownCorpus.sample().subList(0, 900);
        TaskResult<Tagger.Evaluation> local = new Tagger(taggerConfig()).run("brown", train, dev, null);

        SparkTagging spark = new SparkTagging(sc, SparkTrainer.Options.defaults().withAveragingFrequency(1), 2);
        SparkTagging.Run run = spark.train(taggerConfig(), data.toString(), dev, null);
        double localAcc = local.score().metrics().get("accuracy");
        double sparkAcc = run.result().score().metrics().get("accuracy");
        System.err.printf("tagging accuracy: one machine %.2f, Spark %.2f%n", localAcc, sparkAcc);
        assertThat(run.trainingSentences()).isEqualTo(900);
        assertThat(localAcc).as("the small tagger learns the task").isGreaterThan(80);
        assertThat(sparkAcc).as("Spark vs one machine (%.2f)", localAcc).isGreaterThan(localAcc - 1);
        assertThat(run.result().training().epochs()).isEqualTo(8);
        assertThat(run.result().training().validation()).hasSize(8);

        Path model = dir.resolve("model.zip");
        run.tagger().save(model);
        Tagger loaded = Tagger.load(model);
        assertThat(loaded.predict(dev)).isEqualTo(run.tagger().predict(dev));
        assertThat(loaded.vocabularies()).isEqualTo(run.tagger().vocabularies());
    }

    @Test
    void aSeedGivesTheSameModelTwice(@TempDir Path dir) throws IOException {
        List<Block> all = BrownCorpus.sample();
        TestFiles.writeConll(dir.resolve("a.conll"), all.subList(0, 150));
        TestFiles.writeConll(dir.resolve("b.conll"), all.subList(150, 300));
        TaggerConfig config = taggerConfig().withTrain(taggerConfig().train().withEpochs(2));
        SparkTagging spark = new SparkTagging(sc, SparkTrainer.Options.defaults().withAveragingFrequency(2), 2);
        SparkTagging.Run first = spark.train(config, dir.toString(), all.subList(900, 920), null);
        SparkTagging.Run second = spark.train(config, dir.toString(), all.subList(900, 920), null);
        assertThat(second.tagger().graph().params()).isEqualTo(first.tagger().graph().params());
        assertThat(second.result().training().losses()).isEqualTo(first.result().training().losses());
    }

    @Test
    void morePartitionsThanSentencesLeaveEmptyPartitionsThatTrainingSkips(@TempDir Path dir) throws IOException {
        List<Block> all = BrownCorpus.sample();
        TestFiles.writeConll(dir.resolve("few.conll"), all.subList(0, 5));
        SparkTagging spark = new SparkTagging(sc, SparkTrainer.Options.defaults(), 12);
        SparkTagging.Run run = spark.train(taggerConfig().withTrain(taggerConfig().train().withEpochs(1)),
                dir.toString(), all.subList(5, 10), null);
        assertThat(run.trainingSentences()).isEqualTo(5);
        assertThat(run.result().training().tokens()).as("tokens trained")
                .isEqualTo(all.subList(0, 5).stream().mapToInt(Block::length).sum());
        assertThat(run.result().training().iterations()).as("batches: at most one per sentence")
                .isBetween(1L, 5L);
    }

    @Test
    void aMalformedRecordInOneFileIsAnErrorNamingTheFileAndLine(@TempDir Path dir) throws IOException {
        List<Block> all = BrownCorpus.sample();
        TestFiles.writeConll(dir.resolve("a.conll"), all.subList(0, 20));
        Path bad = dir.resolve("b.conll");
        TestFiles.writeConll(bad, all.subList(20, 22));
        List<String> lines = new ArrayList<>(Files.readAllLines(bad));
        lines.set(3, "three columns here");
        Files.write(bad, lines);
        SparkTagging spark = new SparkTagging(sc, SparkTrainer.Options.defaults(), 2);
        assertThatThrownBy(() -> spark.train(taggerConfig(), dir.toString(), all.subList(30, 35), null))
                .isInstanceOf(DataFormatException.class)
                .hasMessage(bad + ":4: expected 2 columns like the first token line, got 3: 'three columns here'");
    }

    @Test
    void aMissingPathOrAnEmptyDirectoryIsAnErrorNamingIt(@TempDir Path dir) throws IOException {
        SparkTagging spark = new SparkTagging(sc, SparkTrainer.Options.defaults(), 2);
        List<Block> dev = BrownCorpus.sample().subList(0, 3);
        assertThatThrownBy(() -> spark.train(taggerConfig(), dir.resolve("nope").toString(), dev, null))
                .hasMessage(dir.resolve("nope") + ": no such file or directory");
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThatThrownBy(() -> spark.train(taggerConfig(), empty.toString(), dev, null))
                .hasMessage(empty + ": the directory has no files");
        Files.writeString(empty.resolve("blank.conll"), "");
        assertThatThrownBy(() -> spark.train(taggerConfig(), empty.toString(), dev, null))
                .hasMessageContaining(empty + ": no sentences");
    }

    // ---- forecasting -----------------------------------------------------------------------------------------------

    /** Seasonal series (period 12) with trend and noise, of lengths 60-80, in long format over three files. */
    private static List<Series> writeSeries(Path dir, int count) throws IOException {
        Random r = new Random(17);
        List<Series> all = new ArrayList<>();
        StringBuilder[] files = {new StringBuilder(), new StringBuilder(), new StringBuilder()};
        for (StringBuilder f : files) {
            f.append("id,t,value\n");
        }
        for (int i = 0; i < count; i++) {
            int n = 60 + r.nextInt(21);
            double level = 50 + 100 * r.nextDouble();
            double amp = 0.1 + 0.3 * r.nextDouble();
            double trend = 0.005 * r.nextGaussian();
            double phase = r.nextDouble() * 2 * Math.PI;
            double[] v = new double[n];
            for (int t = 0; t < n; t++) {
                v[t] = level * (1 + trend * t) * (1 + amp * Math.sin(2 * Math.PI * t / 12 + phase))
                        * (1 + 0.02 * r.nextGaussian());
                files[i % 3].append("s").append(i).append(',').append(t + 1).append(',').append(v[t]).append('\n');
            }
            all.add(Series.of("s" + i, v));
        }
        for (int k = 0; k < 3; k++) {
            Files.writeString(dir.resolve("series-" + k + ".csv"), files[k].toString());
        }
        return all;
    }

    private static ForecastConfig forecastConfig() {
        return ForecastConfig.of(RecurrentSpec.of("gru", 24), 24, 6, TrainConfig.defaults().withEpochs(15)
                        .withOptimizer(TrainConfig.Optimizer.ADAM, 0.01).withSeed(3).withQuiet(true))
                .withQuantiles(List.of()).withNormalization(ForecastConfig.Normalization.WINDOW)
                .withMinHistory(24).withBatchSize(16);
    }

    @Test
    void forecasterOnSparkScoresWithinFivePercentOfOneMachineAndItsModelLoadsInPlainSeq4j(@TempDir Path dir)
            throws IOException {
        List<Series> all = writeSeries(dir, 60);
        int h = 6;
        Forecaster local = new Forecaster(forecastConfig());
        local.fit(all.stream().map(s -> s.head(s.length() - h)).toList());
        double localSmape = 0;
        for (Series s : all) {
            double[] actual = java.util.Arrays.copyOfRange(s.values(), s.length() - h, s.length());
            localSmape += ForecastMetric.SMAPE.of(null, 1, actual, local.predict(s.head(s.length() - h)).point());
        }
        localSmape /= all.size();

        SparkForecasting spark = new SparkForecasting(sc, SparkTrainer.Options.defaults(), 2);
        SparkForecasting.Data data = spark.read(dir.toString(), "id", "t", "value");
        assertThat(data.count()).isEqualTo(60);
        assertThat(data.shortest()).isEqualTo(all.stream().mapToInt(Series::length).min().getAsInt());
        SparkForecasting.Run run = spark.train(forecastConfig(), data, null);
        SparkForecasting.Score score = spark.score(run.forecaster(), data, 12);
        System.err.printf("forecasting sMAPE: one machine %.3f, Spark %.3f (MASE %.3f)%n", localSmape, score.smape(),
                score.mase());
        assertThat(score.series()).isEqualTo(60);
        assertThat(localSmape).as("the small model learns the series").isLessThan(10);
        assertThat(score.smape()).as("Spark vs one machine (%.3f)", localSmape).isLessThan(1.05 * localSmape);
        assertThat(run.training().epochs()).isEqualTo(15);

        Path model = dir.resolve("forecaster.zip");
        run.forecaster().save(model);
        Forecaster loaded = Forecaster.load(model);
        for (Series s : all.subList(0, 5)) {
            Series history = s.head(s.length() - h);
            assertThat(loaded.predict(history).point()).isEqualTo(run.forecaster().predict(history).point());
        }
        // the executors scored the model the driver holds: the same sMAPE for a series, computed here
        Series s0 = all.get(0);
        double[] actual = java.util.Arrays.copyOfRange(s0.values(), s0.length() - h, s0.length());
        double expected = ForecastMetric.SMAPE.of(null, 1, actual,
                run.forecaster().predict(s0.head(s0.length() - h)).point());
        assertThat(score.perSeries().stream().filter(t -> t._1.equals("s0")).findFirst().orElseThrow()._2[0])
                .isEqualTo(expected, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aSeriesSplitOverTwoFilesOrABadValueIsAnErrorNamingTheFiles(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.csv"), "id,t,value\nx,1,1.0\nx,2,2.0\n");
        Files.writeString(dir.resolve("b.csv"), "id,t,value\nx,3,3.0\n");
        SparkForecasting spark = new SparkForecasting(sc, SparkTrainer.Options.defaults(), 2);
        assertThatThrownBy(() -> spark.read(dir.toString(), "id", "t", "value"))
                .hasMessageContaining("series 'x' has rows in ")
                .hasMessageContaining(dir.resolve("a.csv").toString())
                .hasMessageContaining(dir.resolve("b.csv").toString());
        Files.writeString(dir.resolve("b.csv"), "id,t,value\ny,1,3.0\ny,2,n/a\n");
        assertThatThrownBy(() -> spark.read(dir.toString(), "id", "t", "value"))
                .isInstanceOf(DataFormatException.class)
                .hasMessage(dir.resolve("b.csv") + ":3: column 'value': expected a number, got 'n/a'");
    }
}
