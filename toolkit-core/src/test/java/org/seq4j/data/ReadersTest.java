package org.seq4j.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

class ReadersTest {

    @Test
    void longFormatGroupsSeriesInOrder() {
        List<Series> s = SeriesCsv.readLong(Resources.path("good-input/long.csv"), "series_id", "t", "value");
        assertThat(s).extracting(Series::id).containsExactly("A", "B");
        assertThat(s.get(1).values()).containsExactly(5, 6, 7);
        assertThat(s.get(1).timestamps()).containsExactly("1", "2", "3");
    }

    @Test
    void conllSkipsDocstartAndSplitsSentences() {
        List<ConllReader.Sentence> s = ConllReader.read(Resources.path("good-input/tagged.conll"), 0, -1);
        assertThat(s).hasSize(2);
        assertThat(s.get(0).tokens()).containsExactly("Confidence", "in", "the", "pound");
        assertThat(s.get(0).labels()).containsExactly("B-NP", "B-PP", "B-NP", "I-NP");
        assertThat(s.get(0).firstLine()).isEqualTo(3);
        assertThat(ConllReader.read(Resources.path("good-input/tagged.conll"), 0, 1).get(1).labels())
                .containsExactly("PRP", "VBD");
        assertThat(ConllReader.toConllEval(s.subList(1, 2), List.of(List.of("B-NP", "O"))))
                .isEqualTo("He B-NP B-NP\nsaid B-VP O\n\n");
    }

    /** As in conlleval: a -DOCSTART- line and a -X- token end the sentence they are in, without a blank line. */
    @Test
    void docstartAndBoundaryTokensEndASentence(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("docs.conll");
        java.nio.file.Files.writeString(f, "a DT B-NP\nb NN I-NP\n-DOCSTART- -X- O\nc VB B-VP\n-X- O O\nd NN B-NP\n\n"
                + "e NN B-NP\n");
        List<ConllReader.Block> b = ConllReader.readBlocks(f, 1);
        assertThat(b).extracting(x -> x.column(0)).containsExactly(List.of("a", "b"), List.of("c"), List.of("d"),
                List.of("e"));
        assertThat(b).extracting(ConllReader.Block::firstLine).containsExactly(1L, 4L, 6L, 8L);
    }

    @Test
    void parallelTsvAndAlignedFiles(@TempDir Path dir) throws Exception {
        List<ParallelText.Pair> p = ParallelText.readTsv(Resources.path("good-input/pairs.tsv"), true, 0, 1);
        assertThat(p).extracting(ParallelText.Pair::source).containsExactly("Ich bin müde.", "Das ist gut.");
        assertThat(p.get(1).line()).isEqualTo(3);
        java.nio.file.Files.writeString(dir.resolve("a.txt"), "one\ntwo\n");
        java.nio.file.Files.writeString(dir.resolve("b.txt"), "eins\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        ParallelText.readAligned(dir.resolve("a.txt"), dir.resolve("b.txt")))
                .hasMessageContaining("b.txt: has 1 lines but").hasMessageContaining("a.txt has 2");
    }

    @Test
    void wordVectorsReadAndInitialiseAnEmbedding(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("vectors.txt");
        java.nio.file.Files.writeString(f, "3 2\ncat 0.5 -1\ndog 2 3\nzebra 9 9\n");
        Vocabulary v = Vocabulary.build(List.of(List.of("cat", "dog", "emu")), 1, 0);
        org.seq4j.text.WordVectors wv = org.seq4j.text.WordVectors.read(f, new java.util.HashSet<>(v.tokens()));
        assertThat(wv.dimension()).isEqualTo(2);
        assertThat(wv.size()).isEqualTo(2);
        INDArray emb = org.nd4j.linalg.factory.Nd4j.zeros(v.size(), 2);
        assertThat(wv.initialise(emb, v)).isEqualTo(2);
        assertThat(emb.getRow(v.id("cat")).toDoubleVector()).containsExactly(0.5, -1);
        assertThat(emb.getRow(v.id("emu")).toDoubleVector()).containsExactly(0, 0);
        java.nio.file.Files.writeString(f, "cat 0.5 -1\ndog 2\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> org.seq4j.text.WordVectors.read(f, null))
                .hasMessageContaining("vectors.txt:2: expected 2 values after the word like the first vector, got 1");
        java.nio.file.Files.writeString(f, "cat 0.5 x\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> org.seq4j.text.WordVectors.read(f, null))
                .hasMessageContaining("vectors.txt:1: value 2 of 'cat': expected a number, got 'x'");
    }

    @Test
    void wordVectorsReadTheLeadingWordsAndTheKeptOnesUnderTheirNormalForm(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("vectors.txt");
        java.nio.file.Files.writeString(f, "The 1 1\nthe 2 2\nCat 3 3\nDog 4 4\nEmu 5 5\nemu 6 6\nYak 7 7\n");
        org.seq4j.text.WordVectors wv = org.seq4j.text.WordVectors.read(f, java.util.Set.of("emu"), 2,
                w -> w.toLowerCase(java.util.Locale.ROOT));
        // the first two distinct lower-case words ("the" from "The", then "cat"), and "emu" (kept) from its first line
        assertThat(wv.words()).containsExactly("the", "cat", "emu");
        assertThat(wv.get("the")).containsExactly(1, 1);
        assertThat(wv.get("emu")).containsExactly(5, 5);
        assertThat(wv.get("dog")).isNull();
        assertThat(org.seq4j.text.WordVectors.read(f, null).words())
                .containsExactly("The", "the", "Cat", "Dog", "Emu", "emu", "Yak");
    }

    @Test
    void vocabularyBuildSaveLoad(@TempDir Path dir) {
        List<List<String>> data = List.of(List.of("a", "b", "a", "c"), List.of("b", "a", "d"));
        Vocabulary v = Vocabulary.build(data, 2, 0);
        assertThat(v.tokens()).containsExactly("<pad>", "<unk>", "<s>", "</s>", "a", "b");
        assertThat(v.encode(List.of("a", "zzz", "b"))).containsExactly(4, 1, 5);
        assertThat(v.decode(new int[] {2, 4, 5, 3, 4})).containsExactly("a", "b");
        assertThat(Vocabulary.build(data, 1, 5).tokens()).containsExactly("<pad>", "<unk>", "<s>", "</s>", "a");
        v.save(dir.resolve("v.txt"));
        assertThat(Vocabulary.load(dir.resolve("v.txt")).tokens()).isEqualTo(v.tokens());
        Vocabulary chars = Vocabulary.ofCharacters(List.of("abca"), 1);
        assertThat(chars.tokens().subList(4, 7)).containsExactly("a", "b", "c");
    }

    @Test
    void bucketedBatchesArePaddedToTheirBucketAndSeeded() {
        int[] lengths = {2, 7, 3, 8, 1, 5};
        int[] bounds = {4, 8};
        List<int[]> a = Batching.batches(lengths, 2, bounds, 7);
        List<int[]> b = Batching.batches(lengths, 2, bounds, 7);
        assertThat(a).usingRecursiveComparison().isEqualTo(b);
        assertThat(a.stream().mapToInt(x -> x.length).sum()).isEqualTo(6);
        for (int[] batch : a) {
            int pad = Batching.padLength(lengths, batch, bounds);
            for (int i : batch) {
                assertThat(pad).isEqualTo(lengths[i] <= 4 ? 4 : 8);
            }
        }
    }

    @Test
    void seq2seqBatchShiftsTheTarget() {
        List<int[]> src = List.of(new int[] {5, 6, 7}, new int[] {8});
        List<int[]> tgt = List.of(new int[] {9}, new int[] {10, 11});
        MultiDataSet m = Batching.seq2seq(src, tgt, new int[] {0, 1}, 3, 3);
        INDArray decIn = m.getFeatures(1);
        INDArray decOut = m.getLabels(0);
        assertThat(decIn.getDouble(0, 0, 0)).isEqualTo(Vocabulary.BOS_ID);
        assertThat(decIn.getDouble(1, 0, 1)).isEqualTo(10);
        assertThat(decOut.getDouble(0, 0, 0)).isEqualTo(9);
        assertThat(decOut.getDouble(0, 0, 1)).isEqualTo(Vocabulary.EOS_ID);
        assertThat(decOut.getDouble(1, 0, 2)).isEqualTo(Vocabulary.EOS_ID);
        assertThat(m.getFeaturesMaskArray(0).toDoubleMatrix()).isEqualTo(new double[][] {{1, 1, 1}, {1, 0, 0}});
        assertThat(m.getLabelsMaskArray(0).toDoubleMatrix()).isEqualTo(new double[][] {{1, 1, 0}, {1, 1, 1}});
    }

    @Test
    void windowsSplitsAndScalers() {
        assertThat(Windows.starts(8, 4, 2, 2)).containsExactly(0, 2);
        double[] v = {1, 2, 3, 4, 5, 6, 7, 8};
        INDArray x = Windows.inputs(v, List.of(), List.of(2), 4);
        INDArray y = Windows.targets(v, List.of(2), 4, 2);
        assertThat(x.reshape(4).toDoubleVector()).containsExactly(3, 4, 5, 6);
        assertThat(y.reshape(2).toDoubleVector()).containsExactly(7, 8);
        // forecaster windows end at an origin; a lookback that reaches before the start is left-padded and masked
        assertThat(Windows.origins(8, 2, 3, 1)).containsExactly(2, 3, 4, 5);
        assertThat(Windows.origins(8, 2, 3, 2)).containsExactly(2, 4);
        double[] cov = {10, 20, 30, 40, 50, 60, 70, 80, 90};   // a covariate may run past the target (future values)
        float[][] past = Windows.past(new double[][] {v, cov}, 2, 4, Windows.levelBefore(v, 2, 4));
        assertThat(Windows.levelBefore(v, 2, 4)).isEqualTo(1.5);
        assertThat(past[0]).containsExactly(0f, 0f, -0.5f, 0.5f);
        assertThat(past[1]).containsExactly(0f, 0f, 10f, 20f);
        assertThat(Windows.pastMask(2, 4)).containsExactly(0f, 0f, 1f, 1f);
        assertThat(Windows.levelBefore(v, 6, 4)).isEqualTo((3 + 4 + 5 + 6) / 4.0);
        // fitted on the training part only; mean 2, population std sqrt(2/3)
        Scaler std = Scaler.Kind.STANDARD.fit(new double[] {1, 2, 3});
        assertThat(std.transform(3.0)).isCloseTo(1 / Math.sqrt(2.0 / 3), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(std.inverse(std.transform(new double[] {10, -4}))).containsExactly(10, -4);
        Scaler mm = Scaler.Kind.MIN_MAX.fit(new double[] {2, 4, 6});
        assertThat(mm.transform(new double[] {2, 5, 8})).containsExactly(0, 0.75, 1.5);
        Scaler log = Scaler.Kind.LOG.fit(new double[] {1, Math.E});
        assertThat(log.inverse(log.transform(5.0))).isCloseTo(5.0, org.assertj.core.data.Offset.offset(1e-12));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Scaler.Kind.LOG.fit(new double[] {1, 0}))
                .hasMessageContaining("every value must be > 0, got 0.0 at index 1");
    }
}
