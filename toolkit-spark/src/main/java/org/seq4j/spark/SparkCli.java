package org.seq4j.spark;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.spark.api.java.JavaSparkContext;
import org.seq4j.bench.CheckpointOptions;
import org.seq4j.bench.Report;
import org.seq4j.bench.Seq4jCli;
import org.seq4j.bench.TaggerOptions;
import org.seq4j.data.ConllReader.Block;
import org.seq4j.tasks.TaskResult;
import org.seq4j.tasks.forecast.ForecastConfig;
import org.seq4j.tasks.tagging.TaggerConfig;
import org.seq4j.tasks.tagging.TaggingData;
import org.seq4j.train.Checkpoint;
import org.seq4j.train.RunInfo;
import org.seq4j.train.TrainConfig;
import org.seq4j.util.Checks;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code seq4j-spark}: seq4j's tasks trained on Apache Spark ({@code spark-submit --class org.seq4j.spark.SparkCli
 * toolkit-spark-job.jar ...}, or the {@code seq4j-spark} launcher for local mode). Same options, model files and
 * reports as {@code seq4j}; docs/spark.md.
 */
@Command(name = "seq4j-spark", mixinStandardHelpOptions = true, version = "seq4j 0.1.0",
        description = "seq4j's tasks on Apache Spark (DL4J parameter averaging).",
        subcommands = {SparkCli.Tag.class, SparkCli.Forecast.class})
public final class SparkCli {

    public static void main(String[] args) {
        System.exit(Seq4jCli.handlingErrors(new CommandLine(new SparkCli())).execute(args));
    }

    /** Where and how Spark trains (a picocli mixin of every command). */
    static final class SparkOptions {
        @Option(names = "--master", description = "Spark master, e.g. local[2] (default: the one spark-submit "
                + "gives).")
        String master;

        @Option(names = "--partitions", description = "Partitions the records are spread over: each trains one copy "
                + "of the model per averaging round (default: Spark's default parallelism, the cores).")
        Integer partitions;

        @Option(names = "--averaging-frequency", description = "Batches each worker trains between two parameter "
                + "averagings (default: ${DEFAULT-VALUE}).")
        int averagingFrequency = 5;

        @Option(names = "--prefetch", description = "Batches prefetched per worker (default: ${DEFAULT-VALUE}).")
        int prefetch = 2;

        @Option(names = "--export-dir", description = "Export each epoch's batches to this directory (any Hadoop "
                + "filesystem) instead of keeping them in Spark's memory: DL4J's Export approach, for large data.")
        String exportDir;

        SparkTrainer.Options options() {
            return new SparkTrainer.Options(averagingFrequency, prefetch, exportDir);
        }

        JavaSparkContext context(String app) {
            Checks.require(partitions == null || partitions >= 1, "--partitions must be >= 1, got %d", partitions);
            JavaSparkContext sc = SparkSetup.context(master, app);
            if (partitions == null) {
                partitions = sc.defaultParallelism();
            }
            return sc;
        }
    }

    /** {@code seq4j-spark tag train}. */
    @Command(name = "tag", mixinStandardHelpOptions = true, description = "Sequence tagging on Spark.",
            subcommands = {Tag.Train.class})
    static final class Tag {

        @Command(name = "train", mixinStandardHelpOptions = true, description = "Train a tagger on Spark from the "
                + "CoNLL files under --train (read on the executors) and score it on --dev (read by the driver).")
        static final class Train implements Callable<Integer> {
            @Option(names = "--train", required = true, description = "CoNLL training data: a file or a directory of "
                    + "files, on any Hadoop filesystem (hdfs://, s3a://, file:, or a local path).")
            String train;

            @Option(names = "--dev", required = true, description = "Dev data for early stopping and the score (a "
                    + "local CoNLL file).")
            String dev;

            @Mixin
            TaggerOptions options = new TaggerOptions();

            @Mixin
            SparkOptions spark = new SparkOptions();

            @Mixin
            CheckpointOptions checkpoints = new CheckpointOptions();

            @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
            long seed = 42;

            @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).")
            Path out = Path.of("out", "spark-tagger");

            @Override
            public Integer call() {
                TaggerConfig config = options.config(seed, true);
                config = config.withTrain(checkpoints.apply(config.train(), out));
                List<Block> devSet = TaggingData.read(dev);
                Path resume = checkpoints.resumeFrom(out);
                JavaSparkContext sc = spark.context("seq4j-spark tag train");
                try {
                    SparkTagging.Run run = new SparkTagging(sc, spark.options(), spark.partitions)
                            .train(config, train, devSet, resume == null ? null : Checkpoint.read(resume));
                    Path model = out.resolve("model.zip");
                    run.tagger().save(model);
                    TaskResult<org.seq4j.tasks.tagging.Tagger.Evaluation> result = run.result();
                    TaskResult.Training r = result.training();
                    Report report = new Report("seq4j-spark tagger: " + train, result.runInfo());
                    report.paragraph(Report.fmt("%s **%.2f** on %d dev sentences; %d training sentences read on %s "
                                    + "(%d partitions, averaging every %d batches); %s; %d epochs (best dev at epoch "
                                    + "%d) in %.0f s, %.0f tokens/s.", result.score().metric(),
                            result.score().metrics().get(result.score().metric()), devSet.size(),
                            run.trainingSentences(), sc.master(), spark.partitions, spark.averagingFrequency,
                            options.describe(config), r.epochs(), r.bestEpoch() + 1, r.seconds(),
                            r.tokens() / Math.max(r.seconds(), 1e-9)));
                    report.data("result", result.toMap()).data("spark", sparkInfo(sc, spark));
                    System.out.println(report.markdown());
                    report.write(out, "dev-metrics").forEach(p -> System.out.println("wrote " + p));
                    System.out.println("wrote " + model);
                    return 0;
                } finally {
                    sc.stop();
                }
            }
        }
    }

    /** {@code seq4j-spark forecast}. */
    @Command(name = "forecast", mixinStandardHelpOptions = true, description = "Train a global forecaster on Spark "
            + "from long-format CSV files (read on the executors), holding out each series' last --horizon values, "
            + "and score its forecasts of them (computed on the executors).")
    static final class Forecast implements Callable<Integer> {
        @Option(names = "--data", required = true, description = "Long-format CSV: a file or a directory of files "
                + "(any Hadoop filesystem), columns --id-column, --time-column, --value-column; the rows of a series "
                + "in one file, in time order.")
        String data;

        @Option(names = "--id-column", description = "Series id column (default: ${DEFAULT-VALUE}).")
        String idColumn = "id";

        @Option(names = "--time-column", description = "Time column (default: ${DEFAULT-VALUE}).")
        String timeColumn = "time";

        @Option(names = "--value-column", description = "Value column (default: ${DEFAULT-VALUE}).")
        String valueColumn = "value";

        @Option(names = "--horizon", required = true, description = "Steps to forecast (and hold out).")
        int horizon;

        @Option(names = "--season", description = "Season length m for MASE (default: ${DEFAULT-VALUE}).")
        int season = 1;

        @Option(names = "--batch-size", description = "Windows per batch (default: ${DEFAULT-VALUE}).")
        int batchSize = 16;

        @Mixin
        org.seq4j.bench.ForecasterOptions network = new org.seq4j.bench.ForecasterOptions(20);

        @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed = 42;

        @Mixin
        SparkOptions spark = new SparkOptions();

        @Mixin
        CheckpointOptions checkpoints = new CheckpointOptions();

        @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).")
        Path out = Path.of("out", "spark-forecast");

        @Override
        public Integer call() {
            Checks.require(horizon >= 1, "--horizon must be >= 1, got %d", horizon);
            Checks.require(season >= 1, "--season must be >= 1, got %d", season);
            Checks.require(batchSize >= 1, "--batch-size must be >= 1, got %d", batchSize);
            int lb = network.lookback(horizon, season);
            TrainConfig train = checkpoints.apply(network.train(seed, true), out);
            Path resume = checkpoints.resumeFrom(out);
            JavaSparkContext sc = spark.context("seq4j-spark forecast");
            try {
                SparkForecasting forecasting = new SparkForecasting(sc, spark.options(), spark.partitions);
                SparkForecasting.Data series = forecasting.read(data, idColumn, timeColumn, valueColumn);
                ForecastConfig config = ForecastConfig.of(network.encoder(), lb, horizon, train)
                        .withQuantiles(List.of())
                        .withNormalization(network.normalization())
                        .withMinHistory(ForecastConfig.defaultMinHistory(series.shortest() - horizon, lb, horizon))
                        .withBatchSize(batchSize);
                SparkForecasting.Run run = forecasting.train(config, series, resume == null ? null
                        : Checkpoint.read(resume));
                SparkForecasting.Score score = forecasting.score(run.forecaster(), series, season);
                Path model = out.resolve("model.zip");
                run.forecaster().save(model);
                org.seq4j.train.Trainer.Result r = run.training();
                Report report = new Report("seq4j-spark forecast: " + data, RunInfo.current(seed));
                report.paragraph(Report.fmt("sMAPE **%.3f**, MASE %.3f (m = %d) on the last %d values of %d series; "
                                + "%s, lookback %d; %d epochs in %.0f s on %s (%d partitions, averaging every %d "
                                + "batches), %.1f windows/s.", score.smape(), score.mase(), season, horizon,
                        score.series(), config.encoder().label(), lb, r.epochs(), r.seconds(), sc.master(),
                        spark.partitions, spark.averagingFrequency, r.tokens() / Math.max(r.seconds(), 1e-9)));
                report.data("smape", score.smape()).data("mase", score.mase()).data("series", score.series())
                        .data("epochs", r.epochs()).data("seconds", r.seconds()).data("windows", r.tokens())
                        .data("losses", r.epochLosses()).data("config", config.toMap())
                        .data("spark", sparkInfo(sc, spark));
                System.out.println(report.markdown());
                report.write(out, "metrics").forEach(p -> System.out.println("wrote " + p));
                System.out.println("wrote " + model);
                return 0;
            } finally {
                sc.stop();
            }
        }
    }

    private static Map<String, Object> sparkInfo(JavaSparkContext sc, SparkOptions o) {
        return Map.of("master", sc.master(), "sparkVersion", sc.version(), "defaultParallelism",
                sc.defaultParallelism(), "partitions", o.partitions, "averagingFrequency", o.averagingFrequency,
                "exportDir", o.exportDir == null ? "none (Direct)" : o.exportDir);
    }
}
