package org.seq4j.tasks.tagging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seq4j.cells.CellType;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.data.ConllReader.Block;
import org.seq4j.data.Vocabulary;
import org.seq4j.train.TrainConfig;

/** The tagger's word-level inputs: the casing class, and the vocabulary a vector file extends. */
class TaggerWordFeaturesTest {

    private static TaggerConfig plainTags(boolean casing) {
        return TaggerConfig.bilstmCrf(null).withCharCnn(false).withCrf(false).withCasing(casing)
                .withDropout(TaggerConfig.Dropout.NONE)
                .withEncoder(RecurrentSpec.of(CellType.GRU, 16).withBidirectional(Bidirectional.Mode.CONCAT))
                .withWords(16, null, false, 2)
                .withTrain(TrainConfig.defaults().withEpochs(4).withOptimizer(TrainConfig.Optimizer.ADAM, 0.02)
                        .withClipping(5, 0).withPatience(0).withSeed(5).withQuiet(true));
    }

    /**
     * Sentences of words never seen twice (so all are {@code <unk>} to the model), tagged by their casing alone:
     * {@code NP} when capitalised, {@code NN} in lower case, {@code CD} for a number; the order is random, so
     * context tells nothing.
     */
    private static List<Block> unseenWords(int n, long seed) {
        Random r = new Random(seed);
        java.util.Set<String> used = new java.util.HashSet<>();
        List<Block> out = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            List<String[]> rows = new ArrayList<>();
            int length = 3 + r.nextInt(6);
            for (int t = 0; t < length; t++) {
                int kind = r.nextInt(3);
                StringBuilder w;
                do {
                    w = new StringBuilder();
                    for (int i = 0; i < 4 + r.nextInt(4); i++) {
                        w.append(kind == 2 ? (char) ('0' + r.nextInt(10)) : (char) ('a' + r.nextInt(26)));
                    }
                    if (kind == 0) {
                        w.setCharAt(0, Character.toUpperCase(w.charAt(0)));
                    }
                } while (!used.add(w.toString()));
                rows.add(new String[] {w.toString(), new String[] {"NP", "NN", "CD"}[kind]});
            }
            out.add(new Block(rows, s + 1));
        }
        return out;
    }

    @Test
    void theCasingClassTagsWordsTheModelHasNeverSeen(@TempDir Path dir) throws Exception {
        List<Block> train = unseenWords(150, 1);
        List<Block> test = unseenWords(60, 2);
        Tagger withCasing = new Tagger(plainTags(true));
        withCasing.fit(train, unseenWords(20, 3));
        Tagger without = new Tagger(plainTags(false));
        without.fit(train, unseenWords(20, 3));
        assertThat(withCasing.vocabularies().get("words").split("\n")).as("every word was seen once: all <unk>")
                .hasSize(4);
        assertThat(withCasing.evaluate(test).result().tokenAccuracy()).isGreaterThan(0.99);
        assertThat(without.evaluate(test).result().tokenAccuracy()).as("words alone: about the largest class")
                .isLessThan(0.5);
        // the casing input is part of the model file
        Path model = dir.resolve("cased.zip");
        withCasing.save(model);
        Tagger loaded = Tagger.load(model);
        assertThat(loaded.config().casing()).isTrue();
        assertThat(loaded.predict(test)).isEqualTo(withCasing.predict(test));
        // a file from before the whole configuration was stored (no tagger-config entry) has no casing input, though
        // the plain-tag recipe it is rebuilt from now has one
        Path old = dir.resolve("old.zip");
        without.save(model);
        try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(model.toFile());
             java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(old))) {
            for (java.util.zip.ZipEntry e : java.util.Collections.list(in.entries())) {
                if (!e.getName().equals("tagger-config.json")) {
                    out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                    in.getInputStream(e).transferTo(out);
                }
            }
        }
        Tagger legacy = Tagger.load(old);
        assertThat(legacy.config().casing()).isFalse();
        assertThat(legacy.predict(test)).isEqualTo(without.predict(test));
    }

    @Test
    void wordsWithAVectorJoinTheVocabularyWithTheirVectors(@TempDir Path dir) throws Exception {
        Path vectors = dir.resolve("vectors.txt");
        Files.writeString(vectors, """
                4 3
                Paris 0.5 0.25 -1
                the 1 2 3
                paris 9 9 9
                zebra -2 0.5 0.125
                """);
        List<Block> train = List.of(
                new Block(List.of(new String[] {"the", "DT"}, new String[] {"cat", "NN"}), 1),
                new Block(List.of(new String[] {"the", "DT"}, new String[] {"dog", "NN"}), 4),
                new Block(List.of(new String[] {"a", "DT"}, new String[] {"cat", "NN"}), 7));
        Tagger t = new Tagger(plainTags(false).withWords(3, vectors, true, 2));
        t.initialise(t.count(train, "train"), null);
        List<String> words = List.of(t.vocabularies().get("words").split("\n"));
        // "the" and "cat" seen twice; "dog" and "a" seen once and without a vector: <unk>; "paris" (the file's
        // "Paris" in lower case) and "zebra" never seen in training, but given vectors
        assertThat(words.subList(4, words.size())).containsExactly("the", "cat", "paris", "zebra");
        INDArray emb = t.graph().getLayer("wordEmb").getParam("W");
        assertThat(emb.getRow(words.indexOf("paris")).toFloatVector()).containsExactly(0.5f, 0.25f, -1f);
        assertThat(emb.getRow(words.indexOf("zebra")).toFloatVector()).containsExactly(-2f, 0.5f, 0.125f);
        assertThat(emb.getRow(words.indexOf("the")).toFloatVector()).containsExactly(1f, 2f, 3f);
        assertThat(words.indexOf("zebra")).isNotEqualTo(Vocabulary.UNK_ID);
        // without the vectors the unseen words are <unk>
        Tagger plain = new Tagger(plainTags(false).withWords(3, null, true, 2));
        plain.initialise(plain.count(train, "train"), null);
        assertThat(plain.vocabularies().get("words").split("\n")).hasSize(6).doesNotContain("zebra", "paris");
    }
}
