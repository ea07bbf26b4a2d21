package org.seq4j.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.seq4j.data.ConllReader.Block;
import org.seq4j.tasks.TaskResult;
import org.seq4j.tasks.tagging.Tagger;
import org.seq4j.tasks.tagging.TaggerConfig;
import org.seq4j.train.Checkpoint;
import org.seq4j.train.Trainer;
import org.seq4j.util.Checks;
import scala.Tuple2;

/**
 * The tagger trained on Spark: the training sentences (CoNLL files under a path) are read, counted and turned into
 * batches on the executors ({@link Tagger#count}, {@link Tagger#trainingBatches}); only the vocabularies' counts come
 * to the driver, which builds the same {@link Tagger} as {@code seq4j tag train} and scores the dev sentences after
 * every epoch for early stopping. The trained tagger is a plain seq4j tagger: saved, it loads with
 * {@link Tagger#load}.
 */
public final class SparkTagging {

    /** A finished run: the trained tagger, its typed result on the dev data, and the training sentences it read. */
    public record Run(Tagger tagger, TaskResult<Tagger.Evaluation> result, long trainingSentences) {
    }

    private final JavaSparkContext sc;
    private final SparkTrainer.Options options;
    private final int partitions;

    /**
     * @param partitions how many partitions the sentences are spread over: each trains one copy of the model per
     *                   averaging round, so the number of cores (executors × cores each) is the natural choice
     */
    public SparkTagging(JavaSparkContext sc, SparkTrainer.Options options, int partitions) {
        Checks.require(partitions >= 1, "Spark: partitions must be >= 1, got %d", partitions);
        this.sc = sc;
        this.options = options;
        this.partitions = partitions;
    }

    /**
     * Trains a tagger with {@code config} on the CoNLL files under {@code trainPath} (a file or directory on any
     * Hadoop filesystem), with early stopping on {@code dev} (read on the driver), continuing from
     * {@code checkpoint} (an epoch-end checkpoint of the same run) when it is not null.
     */
    public Run train(TaggerConfig config, String trainPath, List<Block> dev, Checkpoint checkpoint) {
        Checks.require(dev != null && !dev.isEmpty(), "Spark tagging: no dev sentences to score");
        String configJson = Json.write(config.toMap());
        JavaPairRDD<String, Block> sentences = SparkInput.conll(sc, trainPath, 2, partitions)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Tagger.Counts counts = count(sentences, configJson);
            Checks.require(counts.sentences() > 0, "%s: no sentences (expected token lines 'word ... tag' separated "
                    + "by blank lines)", trainPath);
            config.checkColumns(dev, "dev data", true, counts.columns());
            Tagger tagger = new Tagger(config);
            tagger.initialise(counts, checkpoint == null ? null : checkpoint.graph());
            Map<String, String> vocabularies = tagger.vocabularies();
            long seed = config.train().seed();
            JavaRDD<Block> blocks = sentences.values();
            SparkTrainer trainer = new SparkTrainer(sc, config.train(), options, config.batchSize());
            java.util.function.IntFunction<JavaRDD<MultiDataSet>> epochs = epoch ->
                    blocks.mapPartitionsWithIndex((part, it) -> {
                        List<Block> mine = new ArrayList<>();
                        it.forEachRemaining(mine::add);
                        Tagger t = Tagger.withVocabularies(config(configJson), vocabularies);
                        // each partition's order and word dropout drawn from the run's seed, the epoch and the part
                        return batches(t.trainingBatches(mine, seed + 1_000_003L * epoch + part));
                    }, true);
            Trainer.Result r = SparkInput.action(() -> checkpoint == null
                    ? trainer.fit(tagger.graph(), epochs, tagger.validation(dev))
                    : trainer.resume(checkpoint, epochs, tagger.validation(dev), new org.deeplearning4j.nn.graph
                            .ComputationGraph[1]));
            return new Run(tagger, tagger.result(trainPath, r, dev), counts.sentences());
        } finally {
            sentences.unpersist(false);
        }
    }

    /** The counts of every partition, merged on the driver in partition order (each file's named in its errors). */
    private static Tagger.Counts count(JavaPairRDD<String, Block> sentences, String configJson) {
        List<Tuple2<Integer, Tagger.Counts>> parts = SparkInput.action(() -> sentences
                .mapPartitionsWithIndex((part, it) -> {
                    Map<String, List<Block>> byFile = new LinkedHashMap<>();
                    it.forEachRemaining(p -> byFile.computeIfAbsent(p._1, k -> new ArrayList<>()).add(p._2));
                    Tagger t = new Tagger(config(configJson));
                    Tagger.Counts c = t.count(List.of(), "");
                    for (Map.Entry<String, List<Block>> e : byFile.entrySet()) {
                        c.merge(t.count(e.getValue(), SparkInput.name(e.getKey()).toString()));
                    }
                    return List.of(new Tuple2<>(part, c)).iterator();
                }, true).collect());
        List<Tuple2<Integer, Tagger.Counts>> ordered = new ArrayList<>(parts);
        ordered.sort(Comparator.comparing(Tuple2::_1));
        Tagger.Counts all = ordered.get(0)._2;
        for (int i = 1; i < ordered.size(); i++) {
            all.merge(ordered.get(i)._2);
        }
        return all;
    }

    static TaggerConfig config(String json) {
        return TaggerConfig.fromMap(Json.read(json), "tagger configuration");
    }

    /** Batches built when the worker reads them (the list builds each on {@code get}). */
    @SuppressWarnings("unchecked")
    static Iterator<MultiDataSet> batches(List<? extends MultiDataSet> list) {
        return (Iterator<MultiDataSet>) list.iterator();
    }
}
