package org.seq4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.seq4j.data.Series;
import org.seq4j.metrics.ForecastMetric;
import org.seq4j.tasks.forecast.ForecastConfig;
import org.seq4j.tasks.forecast.Forecaster;
import org.seq4j.train.Checkpoint;
import org.seq4j.train.Trainer;
import org.seq4j.util.Checks;
import scala.Tuple2;

/**
 * The global forecaster trained and scored on Spark: the series (long-format CSV files under a path) are read, cut
 * into windows and batched on the executors ({@link Forecaster#trainingBatches}); each series' last {@code horizon}
 * values are held out, and the trained model forecasts them on the executors (the model file broadcast to them), so
 * neither the series nor the forecasts come to the driver, only the per-series scores. The trained forecaster is a
 * plain seq4j forecaster: saved, it loads with {@link Forecaster#load}.
 */
public final class SparkForecasting {

    /** The series read, kept in the executors' memory (or disk): how many there are and the shortest length. */
    public record Data(JavaRDD<Series> series, long count, int shortest) {
    }

    /** A trained forecaster and the trainer's account of its run. */
    public record Run(Forecaster forecaster, Trainer.Result training) {
    }

    /** Held-out scores: mean sMAPE and MASE (over the series where MASE is defined) and each series' pair. */
    public record Score(double smape, double mase, long series, List<Tuple2<String, double[]>> perSeries) {
    }

    private final JavaSparkContext sc;
    private final SparkTrainer.Options options;
    private final int partitions;

    public SparkForecasting(JavaSparkContext sc, SparkTrainer.Options options, int partitions) {
        Checks.require(partitions >= 1, "Spark: partitions must be >= 1, got %d", partitions);
        this.sc = sc;
        this.options = options;
        this.partitions = partitions;
    }

    /**
     * Reads the long-format CSV files under {@code path} on the executors; a series whose rows are in two files is
     * an error naming both.
     */
    public Data read(String path, String idColumn, String timeColumn, String valueColumn) {
        JavaPairRDD<String, Series> withFiles = SparkInput.longSeries(sc, path, idColumn, timeColumn, valueColumn,
                partitions).persist(StorageLevel.MEMORY_AND_DISK());
        List<Tuple2<String, String>> split = SparkInput.action(() -> withFiles
                .mapToPair(p -> new Tuple2<>(p._2.id(), SparkInput.name(p._1).toString()))
                .reduceByKey((a, b) -> a + " and " + b).filter(p -> p._2.contains(" and ")).take(1));
        if (!split.isEmpty()) {
            withFiles.unpersist(false);
            throw new IllegalArgumentException("series '" + split.get(0)._1 + "' has rows in " + split.get(0)._2
                    + "; keep the rows of each series in one file");
        }
        JavaRDD<Series> series = withFiles.values();
        long count = SparkInput.action(series::count);
        Checks.require(count > 0, "%s: no series (expected a header row and rows '%s,%s,%s')", path, idColumn,
                timeColumn, valueColumn);
        int shortest = SparkInput.action(() -> series.map(Series::length).reduce(Math::min));
        return new Data(series, count, shortest);
    }

    /**
     * Trains a forecaster with {@code config} on every series of {@code data} without its last
     * {@code config.horizon()} values, continuing from {@code checkpoint} when it is not null.
     */
    public Run train(ForecastConfig config, Data data, Checkpoint checkpoint) {
        int horizon = config.horizon();
        Checks.require(data.shortest() > horizon, "Spark forecasting: the shortest series has %d values, no more "
                + "than the horizon %d held out", data.shortest(), horizon);
        String configJson = Json.write(config.toMap());
        Forecaster forecaster = new Forecaster(config);
        forecaster.initialise(checkpoint == null ? null : checkpoint.graph());
        long seed = config.train().seed();
        JavaRDD<Series> histories = data.series().map(s -> s.head(s.length() - horizon));
        java.util.function.IntFunction<JavaRDD<MultiDataSet>> epochs = epoch ->
                histories.mapPartitionsWithIndex((part, it) -> {
                    List<Series> mine = new ArrayList<>();
                    it.forEachRemaining(mine::add);
                    Forecaster f = new Forecaster(config(configJson));
                    return SparkTagging.batches(f.trainingBatches(mine, seed + 1_000_003L * epoch + part));
                }, true);
        SparkTrainer trainer = new SparkTrainer(sc, config.train(), options, config.batchSize());
        Trainer.Result r = SparkInput.action(() -> checkpoint == null ? trainer.fit(forecaster.graph(), epochs, null)
                : trainer.resume(checkpoint, epochs, null, new org.deeplearning4j.nn.graph.ComputationGraph[1]));
        return new Run(forecaster, r);
    }

    /**
     * Scores {@code forecaster} on the last {@code horizon} values of every series of {@code data}, forecasting on
     * the executors; {@code season} is MASE's seasonal lag.
     */
    public Score score(Forecaster forecaster, Data data, int season) {
        byte[] model;
        try {
            Path tmp = Files.createTempFile("seq4j-forecaster", ".zip");
            try {
                forecaster.save(tmp);
                model = Files.readAllBytes(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model for the executors: " + e.getMessage(), e);
        }
        Broadcast<byte[]> bytes = sc.broadcast(model);
        int horizon = forecaster.config().horizon();
        List<Tuple2<String, double[]>> scores = SparkInput.action(() -> data.series().mapPartitions(it -> {
            List<Tuple2<String, double[]>> out = new ArrayList<>();
            if (!it.hasNext()) {
                return out.iterator();
            }
            Path tmp = Files.createTempFile("seq4j-forecaster", ".zip");
            Forecaster f;
            try {
                Files.write(tmp, bytes.value());
                f = Forecaster.load(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
            while (it.hasNext()) {
                Series s = it.next();
                double[] history = java.util.Arrays.copyOf(s.values(), s.length() - horizon);
                double[] actual = java.util.Arrays.copyOfRange(s.values(), s.length() - horizon, s.length());
                double[] point = f.predict(s.head(s.length() - horizon)).point();
                out.add(new Tuple2<>(s.id(), new double[] {ForecastMetric.SMAPE.of(history, season, actual, point),
                        ForecastMetric.maseOrUndefined(history, season, actual, point)}));
            }
            return out.iterator();
        }).collect());
        bytes.destroy();
        double smape = 0;
        double mase = 0;
        int maseCount = 0;
        for (Tuple2<String, double[]> t : scores) {
            smape += t._2[0];
            if (!Double.isNaN(t._2[1])) {
                mase += t._2[1];
                maseCount++;
            }
        }
        return new Score(smape / scores.size(), maseCount == 0 ? Double.NaN : mase / maseCount, scores.size(),
                List.copyOf(scores));
    }

    static ForecastConfig config(String json) {
        return ForecastConfig.fromMap(Json.read(json), "forecaster configuration");
    }
}
