package org.seq4j.spark;

import java.util.List;
import java.util.function.IntFunction;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.seq4j.train.Checkpoint;
import org.seq4j.train.EpochData;
import org.seq4j.train.GradientClipping;
import org.seq4j.train.TrainConfig;
import org.seq4j.train.Trainer;
import org.seq4j.train.Validation;
import org.seq4j.util.Checks;

/**
 * {@link Trainer}'s contract on Spark: the same {@link TrainConfig} (epochs, optimizer and learning rate, gradient
 * clipping, truncated BPTT, patience, learning-rate decay, checkpoints), early stopping and model selection on a
 * validation metric computed on the driver, and the same {@link Trainer.Result}; each epoch is trained by DL4J's
 * {@link SparkComputationGraph} with parameter averaging ({@link ParameterAveragingTrainingMaster}): every worker
 * trains a copy of the model on its partition's batches and the driver averages parameters (and updater state) every
 * {@link Options#averagingFrequency} batches per worker.
 *
 * <p>The data of an epoch is an RDD of ready batches built on the executors (the tasks' {@code Spark*} pipelines
 * build it from files, never on the driver). Checkpoints are written at the end of each epoch and a run resumes
 * from there. The epoch's loss is the workers' mean score in its last averaging round (what DL4J reports).
 */
public final class SparkTrainer {

    /**
     * How Spark trains: batches each worker trains between two averagings, batches prefetched per worker, and where
     * the data is exported between the steps (null: DL4J's {@code Direct} approach, the batches stay in Spark's
     * memory; a directory on a Hadoop filesystem: {@code Export}, the batches are written there once per epoch, what
     * DL4J recommends for large data). Workers train the task's own batches, as on one machine.
     */
    public record Options(int averagingFrequency, int prefetchBatches, String exportDirectory) {

        public Options {
            Checks.require(averagingFrequency > 0, "Spark: the averaging frequency must be > 0, got %d",
                    averagingFrequency);
            Checks.require(prefetchBatches >= 0, "Spark: prefetch must be >= 0, got %d", prefetchBatches);
        }

        /** Averaging every 5 batches per worker, 2 batches prefetched, data in memory. */
        public static Options defaults() {
            return new Options(5, 2, null);
        }

        public Options withAveragingFrequency(int n) {
            return new Options(n, prefetchBatches, exportDirectory);
        }

        public Options withPrefetch(int n) {
            return new Options(averagingFrequency, n, exportDirectory);
        }

        public Options withExportDirectory(String dir) {
            return new Options(averagingFrequency, prefetchBatches, dir);
        }

        /**
         * DL4J's training master for these options, for an RDD of batches of {@code batchSize} examples (workers
         * train them as they are); {@code seed} fixes how each epoch's batches are split between averagings.
         */
        public ParameterAveragingTrainingMaster master(long seed, int batchSize) {
            // the Builder's argument is the examples per RDD object; batchSizePerWorker is what workers train on
            ParameterAveragingTrainingMaster.Builder b = new ParameterAveragingTrainingMaster.Builder(batchSize)
                    .batchSizePerWorker(batchSize).averagingFrequency(averagingFrequency)
                    .workerPrefetchNumBatches(prefetchBatches).saveUpdater(true).rngSeed(seed)
                    // each partition of the epoch's RDD trains one copy of the model per averaging round; DL4J's own
                    // rebalancing between partitions is not seeded, and made runs with one seed differ
                    .repartionData(Repartition.Never);
            if (exportDirectory == null) {
                b.rddTrainingApproach(RDDTrainingApproach.Direct);
            } else {
                b.rddTrainingApproach(RDDTrainingApproach.Export).exportDirectory(exportDirectory);
            }
            return b.build();
        }
    }

    private final JavaSparkContext sc;
    private final TrainConfig config;
    private final Options options;
    private final int batchSize;

    /** @param batchSize the examples in each batch of the RDDs this trainer gets (the task's batch size) */
    public SparkTrainer(JavaSparkContext sc, TrainConfig config, Options options, int batchSize) {
        Checks.require(sc != null && config != null && options != null,
                "SparkTrainer: context, config and options must not be null");
        Checks.require(batchSize > 0, "SparkTrainer: batch size must be > 0, got %d", batchSize);
        this.sc = sc;
        this.config = config;
        this.options = options;
        this.batchSize = batchSize;
    }

    /**
     * Trains {@code graph} from scratch; {@code epochs.apply(e)} is the RDD of epoch {@code e}'s batches (its order
     * and any randomness must depend only on {@code e}, as for {@link org.seq4j.train.EpochData}).
     */
    public Trainer.Result fit(ComputationGraph graph, IntFunction<JavaRDD<MultiDataSet>> epochs, Validation validation) {
        return new Trainer(config.withQuiet(true)).fit(graph, runner(epochs), validation);
    }

    /** Continues the run whose last epoch-end checkpoint is {@code checkpoint}; the trained graph in {@code trained[0]}. */
    public Trainer.Result resume(Checkpoint checkpoint, IntFunction<JavaRDD<MultiDataSet>> epochs,
                                 Validation validation, ComputationGraph[] trained) {
        return new Trainer(config.withQuiet(true)).resume(checkpoint, runner(epochs), validation, trained);
    }

    private Trainer.EpochRunner runner(IntFunction<JavaRDD<MultiDataSet>> epochs) {
        return new Trainer.EpochRunner() {
            private SparkComputationGraph spark;

            @Override
            public Trainer.EpochRunner.Epoch fit(ComputationGraph graph, int epoch) {
                if (spark == null || spark.getNetwork() != graph) {
                    ParameterAveragingTrainingMaster master = options.master(config.seed(), batchSize);
                    if (config.clipGlobalNorm() > 0 || config.clipValue() > 0) {
                        // listeners travel to the workers, where the steps are taken
                        master.setListeners(List.<TrainingListener>of(
                                new GradientClipping(config.clipGlobalNorm(), config.clipValue())));
                    }
                    spark = new SparkComputationGraph(sc, graph, master);
                }
                LongAccumulator batches = sc.sc().longAccumulator("seq4j batches");
                LongAccumulator tokens = sc.sc().longAccumulator("seq4j tokens");
                JavaRDD<MultiDataSet> counted = epochs.apply(epoch).map(b -> {
                    batches.add(1);
                    tokens.add(EpochData.tokens(b));
                    return b;
                });
                spark.fitMultiDataSet(counted);   // DL4J keeps the epoch's batches while it splits them
                Checks.require(batches.value() > 0, "Spark: epoch %d had no training batches (every partition was "
                        + "empty)", epoch + 1);
                return new Trainer.EpochRunner.Epoch(spark.getScore(), batches.value(), tokens.value());
            }
        };
    }
}
