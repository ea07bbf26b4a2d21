package org.seq4j.tasks.tagging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.cells.CellType;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.data.ConllReader.Block;
import org.seq4j.metrics.ChunkEvaluation;
import org.seq4j.tasks.TaskResult;
import org.seq4j.tasks.data.BrownCorpus;
import org.seq4j.train.TrainConfig;

class TaggerTest {

    private static TaggerConfig small(ChunkEvaluation.Scheme scheme, boolean crf) {
        // the mechanics under test, not the default recipe: tags learned as given, no char CNN, no dropout
        return TaggerConfig.bilstmCrf(scheme).withEncoding(scheme).withCharCnn(false)
                .withDropout(TaggerConfig.Dropout.NONE)
                .withEncoder(RecurrentSpec.of(CellType.GRU, 24).withBidirectional(Bidirectional.Mode.CONCAT))
                .withWords(24, null, true, 1)
                .withCrf(crf)
                .withTrain(TrainConfig.defaults().withEpochs(6).withOptimizer(TrainConfig.Optimizer.ADAM, 0.02)
                        .withClipping(5, 0).withSeed(3).withQuiet(true));
    }

    /**
     * Synthetic chunks: a determiner or adjective starts or continues an NP that ends at its noun, a verb is a VP;
     * the chunk tag follows from the POS column (a feature) and the previous tag.
     */
    static List<Block> chunks(int n, long seed) {
        Random r = new Random(seed);
        String[][] vocab = {{"the", "a", "this"}, {"big", "red", "old"}, {"cat", "dog", "house"}, {"sees", "likes"}};
        String[] pos = {"DT", "JJ", "NN", "VB"};
        List<Block> out = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            List<String[]> rows = new ArrayList<>();
            int phrases = 1 + r.nextInt(3);
            for (int p = 0; p < phrases; p++) {
                int adj = r.nextInt(3);
                rows.add(new String[] {vocab[0][r.nextInt(3)], pos[0], "B-NP"});
                for (int a = 0; a < adj; a++) {
                    rows.add(new String[] {vocab[1][r.nextInt(3)], pos[1], "I-NP"});
                }
                rows.add(new String[] {vocab[2][r.nextInt(3)], pos[2], "I-NP"});
                if (p < phrases - 1) {
                    rows.add(new String[] {vocab[3][r.nextInt(2)], pos[3], "B-VP"});
                }
            }
            out.add(new Block(rows, s + 1));
        }
        return out;
    }

    @Test
    void runGivesTheDevScoreOfTheKeptModelAsATypedResult() {
        Tagger t = new Tagger(small(ChunkEvaluation.Scheme.BIO, false)
                .withTrain(small(null, false).train().withEpochs(3)));
        List<Block> dev = chunks(30, 2);
        TaskResult<Tagger.Evaluation> r = t.run("synthetic chunks", chunks(120, 1), dev, null);
        ChunkEvaluation.Result again = t.evaluate(dev).result();
        assertThat(r.task()).isEqualTo("tag");
        assertThat(r.score().metric()).isEqualTo("f1");
        assertThat(r.score().metrics().keySet()).containsExactly("f1", "precision", "recall", "accuracy");
        assertThat(r.score().value()).isEqualTo(100 * again.overall().f1());
        assertThat(r.score().metrics().get("accuracy")).isEqualTo(100 * again.tokenAccuracy());
        assertThat(r.score().items()).isEqualTo(30);
        assertThat(r.score().msPerItem()).isPositive();
        // model selection: the kept parameters are the best epoch's, so the final score is the best validation score
        assertThat(r.training().validation()).hasSize(r.training().epochs()).hasSize(3);
        assertThat(100 * r.training().validation().get(r.training().bestEpoch())).isEqualTo(r.score().value());
        assertThat(r.training().losses()).hasSize(3);
        assertThat(r.parameters()).isEqualTo(t.graph().params().length());
        assertThat(r.model()).isEqualTo("bigru-24+softmax");
        assertThat(r.runInfo().seed()).isEqualTo(3);
        assertThat(r.toMap().get("config")).isEqualTo(t.config().toMap());
    }

    @Test
    void bilstmCrfLearnsSyntheticChunksWithAFeatureColumn(@TempDir Path dir) {
        Tagger t = new Tagger(small(ChunkEvaluation.Scheme.BIO, true).withColumns(0, 2, List.of(1)));
        t.fit(chunks(200, 1), chunks(40, 2));
        Tagger.Evaluation e = t.evaluate(chunks(60, 3));
        assertThat(e.result().overall().f1()).isGreaterThan(0.98);
        assertThat(e.unseenTags()).isEmpty();
        // gold tags the model never saw are counted (they can only be wrong)
        List<Block> odd = chunks(3, 9);
        odd.get(0).rows().get(0)[2] = "B-XYZ";
        assertThat(t.evaluate(odd).unseenTags()).containsExactly(java.util.Map.entry("B-XYZ", 1));
        assertThat(t.sizes()).containsEntry("feature0", 4 + 4).containsEntry("tags", 3);
        // save → load predicts the same tags
        Path model = dir.resolve("tagger.zip");
        t.save(model);
        Tagger loaded = Tagger.load(model);
        List<Block> probe = chunks(20, 4);
        assertThat(loaded.predict(probe)).isEqualTo(t.predict(probe));
        // the whole configuration comes back, not one rebuilt from defaults (encoder size, training settings)
        assertThat(loaded.config()).isEqualTo(t.config().withTrain(TrainConfig.fromMap(
                new org.nd4j.shade.jackson.databind.ObjectMapper().valueToTree(t.config().train().toMap()), "x")));
        assertThatThrownBy(() -> Tagger.load(dir.resolve("missing.zip")))
                .hasMessageContaining("tagger file " + dir.resolve("missing.zip") + " does not exist");
    }

    /**
     * The default recipe (chunk tags learned in IOBES, char CNN, dropout on the encoder's input and output, word
     * dropout, decaying learning rate) learns the synthetic chunks; the model's tag set is IOBES, its predictions and
     * conlleval file are in the data's BIO.
     */
    @Test
    void defaultRecipeLearnsInIobesAndPredictsBio() {
        TaggerConfig recipe = TaggerConfig.bilstmCrf(ChunkEvaluation.Scheme.BIO).withColumns(0, 2, List.of(1))
                .withEncoder(RecurrentSpec.of(CellType.GRU, 24).withBidirectional(Bidirectional.Mode.CONCAT))
                .withWords(24, null, true, 1).withCharCnn(true, 8, 10)
                .withTrain(TrainConfig.defaults().withEpochs(8).withOptimizer(TrainConfig.Optimizer.ADAM, 0.02)
                        .withSchedule(TaggerConfig.inverseTimeDecay(0.02, 0.1)).withClipping(5, 0).withSeed(3)
                        .withQuiet(true));
        assertThat(recipe.encoding()).isEqualTo(ChunkEvaluation.Scheme.IOBES);
        assertThat(recipe.dropout()).isEqualTo(new TaggerConfig.Dropout(0.5, 0.5, 0.05));
        Tagger t = new Tagger(recipe);
        t.fit(chunks(200, 1), chunks(40, 2));
        assertThat(t.tags()).contains("S-VP", "E-NP").doesNotContain("I-VP");
        List<Block> test = chunks(60, 3);
        Tagger.Evaluation e = t.evaluate(test);
        assertThat(e.result().overall().f1()).isGreaterThan(0.95);
        assertThat(e.unseenTags()).as("BIO gold tags are known through their IOBES forms").isEmpty();
        assertThat(e.predicted().stream().flatMap(List::stream).distinct()).allMatch(
                tag -> tag.equals("O") || tag.startsWith("B-") || tag.startsWith("I-"));
        assertThat(t.conllEval(test, e.predicted())).doesNotContain(" S-").doesNotContain(" E-");
    }

    /**
     * Counts of parts of the data merged in data order build exactly the vocabularies of one pass over all of it
     * (how toolkit-spark counts on executors); a tagger rebuilt from those vocabularies encodes the same batches.
     */
    @Test
    void countsOfPartsMergeIntoTheVocabulariesOfTheWhole() {
        TaggerConfig c = small(ChunkEvaluation.Scheme.BIO, false).withColumns(0, -1, List.of(1));
        List<Block> train = chunks(200, 9);
        Tagger whole = new Tagger(c);
        whole.initialise(whole.count(train, "train"), null);
        Tagger parts = new Tagger(c);
        Tagger.Counts merged = parts.count(List.of(), "empty")
                .merge(parts.count(train.subList(0, 70), "a"))
                .merge(parts.count(List.of(), "empty part"))
                .merge(parts.count(train.subList(70, 200), "b"));
        assertThat(merged.sentences()).isEqualTo(200);
        parts.initialise(merged, null);
        assertThat(parts.vocabularies()).isEqualTo(whole.vocabularies());
        assertThat(whole.vocabularies().get("tags")).isEqualTo("B-NP\nB-VP\nI-NP");
        // every word, character and feature value that occurs is in, most frequent first
        assertThat(whole.vocabularies().get("feature0").split("\n")).contains("DT", "JJ", "NN", "VB");
        Tagger rebuilt = Tagger.withVocabularies(c, whole.vocabularies());
        assertThat(rebuilt.trainingBatches(train, 7L).get(3).getFeatures(0))
                .isEqualTo(whole.trainingBatches(train, 7L).get(3).getFeatures(0));
        assertThat(rebuilt.trainingBatches(train, 7L).get(3).getFeatures(1))
                .isEqualTo(whole.trainingBatches(train, 7L).get(3).getFeatures(1));
        // parts with other columns do not merge
        List<Block> twoColumns = List.of(new Block(List.<String[]>of(new String[] {"the", "B-NP"},
                new String[] {"cat", "I-NP"}), 5));
        Tagger words = new Tagger(small(ChunkEvaluation.Scheme.BIO, false));
        assertThatThrownBy(() -> words.count(train.subList(0, 5), "a").merge(words.count(twoColumns, "b.txt")))
                .hasMessageContaining("b.txt:5: the sentences have 2 columns, but those at a:");
    }

    /** Word dropout: about the given share of training words read as <unk>, the same draw for the same epoch. */
    @Test
    void wordDropoutReplacesTheGivenShareOfTrainingWords() {
        Tagger t = new Tagger(small(ChunkEvaluation.Scheme.BIO, false).withDropout(new TaggerConfig.Dropout(0, 0, 0.2))
                .withTrain(TrainConfig.defaults().withEpochs(1).withSeed(3).withQuiet(true)));
        List<Block> train = chunks(300, 1);
        t.fit(train, null);
        long[] counts = new long[2];   // <unk>, real words
        for (org.nd4j.linalg.dataset.MultiDataSet m : t.trainingBatches(train, 4L)) {
            org.nd4j.linalg.api.ndarray.INDArray ids = m.getFeatures(0);
            org.nd4j.linalg.api.ndarray.INDArray mask = m.getFeaturesMaskArray(0);
            for (long i = 0; i < ids.size(0); i++) {
                for (long s = 0; s < ids.size(2); s++) {
                    if (mask.getDouble(i, s) != 0) {
                        counts[ids.getInt((int) i, 0, (int) s) == org.seq4j.data.Vocabulary.UNK_ID ? 0 : 1]++;
                    }
                }
            }
        }
        double share = (double) counts[0] / (counts[0] + counts[1]);
        assertThat(share).isBetween(0.17, 0.23);
        assertThat(t.trainingBatches(train, 4L).get(0).getFeatures(0))
                .isEqualTo(t.trainingBatches(train, 4L).get(0).getFeatures(0));
        assertThat(t.trainingBatches(train, 5L).get(0).getFeatures(0))
                .isNotEqualTo(t.trainingBatches(train, 4L).get(0).getFeatures(0));
    }

    /** Words only: a feature tagger fills the feature column a chunker reads, as the CLI's --feature-tagger does. */
    @Test
    void featureTaggersFillTheColumnsAModelReads() {
        List<Block> train = chunks(200, 1);
        Tagger pos = new Tagger(small(null, false).withColumns(0, 1, List.of()));
        pos.fit(train, null);
        Tagger chunker = new Tagger(small(ChunkEvaluation.Scheme.BIO, true).withColumns(0, 2, List.of(1)));
        chunker.fit(train, null);
        List<Block> test = chunks(30, 5);
        List<Block> words = test.stream().map(b -> new Block(b.rows().stream().map(r -> new String[] {r[0]}).toList(),
                b.firstLine())).toList();
        List<Block> filled = chunker.withFeatures(words, List.of(pos), "words.txt");
        assertThat(filled.get(0).rows().get(0)).hasSize(2);
        assertThat(filled.get(0).column(1)).isEqualTo(pos.predict(words).get(0));
        // each synthetic word has one POS, which the POS tagger learns: the filled column is the gold one, and the
        // chunker tags the filled sentences as it tags the gold ones
        assertThat(filled).extracting(b -> b.column(1)).isEqualTo(test.stream().map(b -> b.column(1)).toList());
        assertThat(chunker.predict(filled)).isEqualTo(chunker.predict(test));
        assertThatThrownBy(() -> chunker.withFeatures(words, List.of(), "words.txt"))
                .hasMessageContaining("words.txt has only words, and this model reads 1 feature column(s) [1]");
    }

    /** Seed-dependent accuracy threshold: runs with -Pquality (the CLI smoke test covers the POS path in the unit tier). */
    @Test
    @org.junit.jupiter.api.Tag("quality")
    void posTaggingOnTheBundledBrownSampleWithSoftmaxAndCharCnn() {
        List<Block> all = BrownCorpus.sample();
        assertThat(all).hasSize(1019);
        List<Block> train = all.subList(0, 800);
        List<Block> test = all.subList(900, 1019);
        Tagger t = new Tagger(small(null, false).withCharCnn(true, 16, 12)
                .withTrain(TrainConfig.defaults().withEpochs(4).withOptimizer(TrainConfig.Optimizer.ADAM, 0.02)
                        .withClipping(5, 0).withSeed(3).withQuiet(true)));
        t.fit(train, null);
        Tagger.Evaluation e = t.evaluate(test);
        assertThat(e.result().tokenAccuracy()).isGreaterThan(0.6);
        assertThat(e.topConfusions()).isNotEmpty();
        assertThat(e.predicted()).hasSize(test.size());
        for (int i = 0; i < test.size(); i++) {
            assertThat(e.predicted().get(i)).hasSize(test.get(i).length());
        }
    }

    @Test
    void unknownTagsAndBadColumnsAreClearErrors() {
        Tagger t = new Tagger(small(ChunkEvaluation.Scheme.BIO, false).withColumns(0, 2, List.of(5)));
        assertThatThrownBy(() -> t.fit(chunks(5, 1), null))
                .hasMessageContaining("training data:1: the sentence has 3 column(s), but this tagger reads column 5 "
                        + "(0-based; token column 0, feature columns [5], tag column 2)");
        assertThatThrownBy(() -> new Tagger(small(ChunkEvaluation.Scheme.BIO, false)).predict(chunks(1, 1)))
                .hasMessageContaining("train or load a model before predicting");
    }
}
