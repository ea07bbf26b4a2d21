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
import org.seq4j.tasks.data.BrownCorpus;
import org.seq4j.train.TrainConfig;

class TaggerTest {

    private static TaggerConfig small(ChunkEvaluation.Scheme scheme, boolean crf) {
        return TaggerConfig.bilstmCrf(scheme)
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
