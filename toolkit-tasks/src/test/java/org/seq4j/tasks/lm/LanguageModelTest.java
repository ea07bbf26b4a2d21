package org.seq4j.tasks.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.core.RecurrentRuntime;
import org.seq4j.data.DataFormatException;
import org.seq4j.data.TokenStreams;
import org.seq4j.decode.Sampling;
import org.seq4j.train.TrainConfig;
import org.seq4j.train.Trainer;

class LanguageModelTest {

    /** A small "language": sentences from a tiny grammar, so that a model can beat the unigram baseline. */
    static String corpus(int sentences, long seed) {
        String[] subj = {"the cat", "a dog", "the bird", "my friend"};
        String[] verb = {"sees", "likes", "chases", "finds"};
        String[] obj = {"the ball", "a tree", "the house", "some food"};
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            sb.append(subj[r.nextInt(4)]).append(' ').append(verb[r.nextInt(4)]).append(' ')
                    .append(obj[r.nextInt(4)]).append(" .\n");
        }
        return sb.toString();
    }

    static LmText words(Path dir, String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return LmText.read(f, LmText.Level.WORD);
    }

    static LmConfig small(String cell) {
        return new LmConfig(LmText.Level.WORD, RecurrentSpec.of(cell, 16), 12, 0, 8, 4, 0, 0.1, false);
    }

    static TrainConfig sgd(int epochs) {
        return TrainConfig.defaults().withEpochs(epochs).withOptimizer(TrainConfig.Optimizer.ADAM, 0.02)
                .withClipping(5, 0).withQuiet(true).withSeed(3);
    }

    @Test
    void streamsAreConsecutiveSegmentsWithNextTokenLabels() {
        int[] ids = new int[23];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        TokenStreams s = TokenStreams.of(ids, 3);   // 3 streams of 7 (2 tokens dropped)
        assertThat(s.length()).isEqualTo(7);
        assertThat(s.segments(4)).isEqualTo(2);      // 6 targets per stream: 4 + 2
        MultiDataSet a = s.segment(0, 4);
        MultiDataSet b = s.segment(1, 4);
        assertThat(a.getFeatures(0).shape()).containsExactly(3, 1, 4);
        assertThat(b.getFeatures(0).shape()).containsExactly(3, 1, 2);
        for (int i = 0; i < 3; i++) {
            for (int t = 0; t < 4; t++) {
                assertThat(a.getFeatures(0).getDouble(i, 0, t)).isEqualTo(7 * i + t);
                assertThat(a.getLabels(0).getDouble(i, 0, t)).isEqualTo(7 * i + t + 1);
            }
            assertThat(b.getFeatures(0).getDouble(i, 0, 0)).isEqualTo(7 * i + 4);   // row i continues row i
            assertThat(b.getLabels(0).getDouble(i, 0, 1)).isEqualTo(7 * i + 6);
        }
        assertThat(s.targets()).isEqualTo(18);
        assertThatThrownBy(() -> TokenStreams.of(new int[5], 3)).hasMessageContaining("5 tokens cannot make 3 streams");
    }

    /**
     * Carrying the state across batches is truncated BPTT: two stateful SGD steps on consecutive segments leave
     * exactly the parameters of DL4J's own truncated BPTT over the concatenated sequence (which carries the state
     * inside one fit call), for a gated and a two-part-state cell.
     */
    @Test
    void carriedStateTrainingEqualsTruncatedBpttOverTheWholeSequence(@TempDir Path dir) throws Exception {
        for (String cell : List.of("lstm", "scrn")) {
            LmText text = words(dir, "t.txt", corpus(30, 1));
            TrainConfig tc = TrainConfig.defaults().withOptimizer(TrainConfig.Optimizer.SGD, 0.5).withQuiet(true);
            LanguageModel a = new LanguageModel(small(cell));
            a.fit(text, null, tc.withMaxIterations(1).withEpochs(1));   // builds vocabulary and graph
            ComputationGraph stateful = a.graph().clone();
            ComputationGraph tbptt = a.graph().clone();
            TokenStreams s = TokenStreams.of(a.encode(text).ids(), 4);
            MultiDataSet s0 = s.segment(0, 8);
            MultiDataSet s1 = s.segment(1, 8);

            RecurrentRuntime.carryState(stateful, true);
            stateful.rnnClearPreviousState();
            stateful.fit(s0);
            stateful.fit(s1);

            tbptt.getConfiguration().setBackpropType(BackpropType.TruncatedBPTT);
            tbptt.getConfiguration().setTbpttFwdLength(8);
            tbptt.getConfiguration().setTbpttBackLength(8);
            INDArray x = Nd4j.concat(2, s0.getFeatures(0), s1.getFeatures(0));
            INDArray y = Nd4j.concat(2, s0.getLabels(0), s1.getLabels(0));
            tbptt.fit(new MultiDataSet(x, y));

            double diff = stateful.params().sub(tbptt.params()).amaxNumber().doubleValue();
            assertThat(diff).as(cell).isLessThan(1e-6);
            assertThat(stateful.params().sub(a.graph().params()).amaxNumber().doubleValue()).as(cell)
                    .isGreaterThan(1e-4);   // the steps did change the parameters
        }
    }

    /** Streamed evaluation (state carried over chunks) equals one forward pass over the whole text. */
    @Test
    void perplexityWithCarriedStateEqualsOneForwardPassAndTrainingLowersIt(@TempDir Path dir) throws Exception {
        LmText train = words(dir, "train.txt", corpus(120, 1));
        LmText valid = words(dir, "valid.txt", corpus(40, 2));
        LanguageModel lm = new LanguageModel(small("gru"));
        lm.fit(train, null, sgd(1).withMaxIterations(1));
        double before = lm.evaluate(valid, 1, false).perplexity();
        Trainer.Result r = lm.fit(train, valid, sgd(6));
        LanguageModel.Evaluation e = lm.evaluate(valid, 1, true);

        int[] ids = lm.encode(valid).ids();
        float[] in = new float[ids.length - 1];
        for (int i = 0; i < in.length; i++) {
            in[i] = ids[i];
        }
        INDArray p = lm.graph().outputSingle(Nd4j.create(in, new long[] {1, 1, in.length}, 'c'));
        double sum = 0;
        for (int t = 0; t < in.length; t++) {
            double lp = Math.log(p.getDouble(0, ids[t + 1], t));
            sum -= lp;
            assertThat(e.logProbs()[t]).isCloseTo(lp, within(1e-4));
            assertThat(e.targets()[t]).isEqualTo(t + 1);
        }
        assertThat(e.tokens()).isEqualTo(ids.length - 1);
        assertThat(e.crossEntropy()).isCloseTo(sum / in.length, within(1e-5));
        assertThat(e.bitsPerToken()).isCloseTo(e.crossEntropy() / Math.log(2), within(1e-12));

        // the grammar has 4 choices per slot: a trained model is far below the untrained one and the 18-word
        // uniform perplexity, and near the grammar's own (about 2.2)
        assertThat(before).isGreaterThan(15);
        assertThat(e.perplexity()).isLessThan(4);
        assertThat(r.validationHistory()).hasSize(6);
        assertThat(r.bestMetric()).isEqualTo(r.validationHistory().stream().mapToDouble(Double::doubleValue).min()
                .orElseThrow());
    }

    @Test
    void generationStepsFromTheCarriedStateAndEqualsRereadingThePrefix(@TempDir Path dir) throws Exception {
        LmText train = words(dir, "train.txt", corpus(120, 1));
        LanguageModel lm = new LanguageModel(small("lstm"));
        lm.fit(train, null, sgd(4));
        // a prompt longer than the 256-token chunks it is read in: a recurrent model has no context limit
        LmText prompt = LmText.of("prompt", corpus(60, 3).replace(".\n", ". ") + " the cat", LmText.Level.WORD);
        assertThat(prompt.size()).isGreaterThan(300);
        List<String> greedy = lm.generate(prompt, 12, Sampling.greedy(), 1);

        // reference: re-run the whole prefix for every token and take the argmax of the last step
        List<Integer> prefix = new ArrayList<>();
        for (int id : lm.encode(prompt).ids()) {
            prefix.add(id);
        }
        List<String> ref = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            float[] in = new float[prefix.size()];
            for (int k = 0; k < in.length; k++) {
                in[k] = prefix.get(k);
            }
            INDArray p = lm.graph().outputSingle(Nd4j.create(in, new long[] {1, 1, in.length}, 'c'));
            double[] last = p.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(in.length - 1))
                    .toDoubleVector();
            last[0] = 0;
            last[2] = 0;
            int next = 0;
            for (int v = 1; v < last.length; v++) {
                next = last[v] > last[next] ? v : next;
            }
            prefix.add(next);
            ref.add(lm.vocabulary().token(next));
        }
        assertThat(greedy).isEqualTo(ref);
        assertThat(greedy.subList(0, 2)).isSubsetOf(List.of("sees", "likes", "chases", "finds", "the", "a", "ball",
                "tree", "house", "some", "food", "."));
        // sampling is seeded
        Sampling s = new Sampling(1.0, 5, 0.9);
        assertThat(lm.generate(prompt, 20, s, 9)).isEqualTo(lm.generate(prompt, 20, s, 9));
        assertThat(lm.detokenize(List.of("a", "b", "</s>", "c"))).isEqualTo("a b\nc");
    }

    @Test
    void samplingTruncatesAndReshapesTheDistribution() {
        double[] p = {0.5, 0.3, 0.15, 0.05};
        assertThat(Sampling.greedy().distribution(p)).containsExactly(1, 0, 0, 0);
        assertThat(Sampling.ancestral().distribution(p)).containsExactly(new double[] {0.5, 0.3, 0.15, 0.05},
                within(1e-12));
        // top-k 2: renormalised over the two most likely
        assertThat(new Sampling(1, 2, 1).distribution(p)).containsExactly(new double[] {0.625, 0.375, 0, 0},
                within(1e-12));
        // top-p 0.8: 0.5 + 0.3 reaches 0.8 — the nucleus is {0, 1}; top-p 0.81 needs the third token as well
        assertThat(new Sampling(1, 0, 0.8).distribution(p)).containsExactly(new double[] {0.625, 0.375, 0, 0},
                within(1e-12));
        assertThat(new Sampling(1, 0, 0.81).distribution(p)[2]).isCloseTo(0.15 / 0.95, within(1e-12));
        // temperature 0.5 squares the probabilities before renormalising
        double z = 0.25 + 0.09 + 0.0225 + 0.0025;
        assertThat(new Sampling(0.5, 0, 1).distribution(p)).containsExactly(new double[] {0.25 / z, 0.09 / z,
                0.0225 / z, 0.0025 / z}, within(1e-12));
        // draws follow the distribution
        Random rng = new Random(4);
        int[] counts = new int[4];
        for (int i = 0; i < 20000; i++) {
            counts[Sampling.ancestral().pick(p, rng)]++;
        }
        assertThat(counts[0] / 20000.0).isCloseTo(0.5, within(0.02));
        assertThat(counts[3] / 20000.0).isCloseTo(0.05, within(0.01));
        assertThatThrownBy(() -> new Sampling(1, 0, 0)).hasMessageContaining("top-p must be in (0, 1]");
        assertThatThrownBy(() -> new Sampling(-1, 0, 1)).hasMessageContaining("temperature");
    }

    @Test
    void savedModelScoresTheSameAndBadInputIsNamed(@TempDir Path dir) throws Exception {
        LmText train = words(dir, "train.txt", corpus(60, 1));
        LanguageModel lm = new LanguageModel(small("srn"));
        lm.fit(train, null, sgd(2));
        Path file = dir.resolve("lm.zip");
        lm.save(file);
        LanguageModel back = LanguageModel.load(file);
        LmText valid = words(dir, "valid.txt", corpus(10, 5));
        assertThat(back.evaluate(valid, 1, false).crossEntropy())
                .isEqualTo(lm.evaluate(valid, 1, false).crossEntropy());
        assertThat(back.config()).isEqualTo(lm.config());

        // closed vocabulary (no <unk> in training): an unknown word names file, line and token
        assertThat(lm.openVocabulary()).isFalse();
        LmText odd = words(dir, "odd.txt", "the cat sees the ball .\nthe zebra sees a tree .\n");
        assertThatThrownBy(() -> lm.evaluate(odd, 1, false)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("odd.txt:2").hasMessageContaining("'zebra'");
        // open vocabulary: training text with <unk> counts unknown words as <unk>
        LanguageModel open = new LanguageModel(small("srn"));
        open.fit(words(dir, "unk.txt", corpus(60, 1) + "the <unk> sees a tree .\n"), null, sgd(1));
        assertThat(open.evaluate(odd, 1, false).unknown()).isEqualTo(1);

        Path binary = dir.resolve("data.bin");
        Files.write(binary, new byte[] {'a', 'b', 0, 'c', '\n'});
        assertThatThrownBy(() -> LmText.read(binary, LmText.Level.CHAR)).hasMessageContaining("data.bin")
                .hasMessageContaining("NUL byte");
        Path empty = dir.resolve("empty.txt");
        Files.writeString(empty, "\n  \n");
        assertThatThrownBy(() -> LmText.read(empty, LmText.Level.WORD)).hasMessageContaining("empty.txt")
                .hasMessageContaining("empty or blank");
        Path notUtf8 = dir.resolve("latin1.txt");
        Files.write(notUtf8, "caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> LmText.read(notUtf8, LmText.Level.CHAR)).hasMessageContaining("latin1.txt");
        assertThatThrownBy(() -> new LanguageModel(small("gru")).fit(LmText.of("tiny", "a b c", LmText.Level.WORD),
                null, sgd(1))).hasMessageContaining("tiny has 3 tokens");
    }

    /** A run killed mid-epoch and resumed from its checkpoint ends with the uninterrupted run's parameters. */
    @Test
    void resumeMidEpochCarriesTheStreamsOn(@TempDir Path dir) throws Exception {
        LmText train = words(dir, "train.txt", corpus(80, 1));
        LmText valid = words(dir, "valid.txt", corpus(20, 2));
        TrainConfig tc = sgd(2).withCheckpoints(3, dir.resolve("ckpt.zip"));
        LanguageModel full = new LanguageModel(small("lstm"));
        Trainer.Result whole = full.fit(train, valid, tc);

        LanguageModel first = new LanguageModel(small("lstm"));
        first.fit(train, valid, tc.withMaxIterations(whole.iterations() / 2 + 1));   // stops mid-epoch 1
        LanguageModel second = new LanguageModel(small("lstm"));
        Trainer.Result rest = second.resume(dir.resolve("ckpt.zip"), train, valid, tc);
        assertThat(rest.iterations()).isEqualTo(whole.iterations());
        assertThat(second.graph().params().equalsWithEps(full.graph().params(), 0)).isTrue();
        assertThat(rest.validationHistory()).isEqualTo(whole.validationHistory());

        LanguageModel other = new LanguageModel(small("lstm").withEmbedding(5));
        assertThatThrownBy(() -> other.resume(dir.resolve("ckpt.zip"), train, valid, tc))
                .hasMessageContaining("written by another model");
    }

    /**
     * Tied embeddings: the softmax weights stay the transpose of the embedding through training, a resumed run ends
     * where the uninterrupted one does, the run reports the free parameters, a saved model scores the same.
     */
    @Test
    void tiedEmbeddingsStayTiedThroughTrainingResumeAndSaving(@TempDir Path dir) throws Exception {
        LmText train = words(dir, "train.txt", corpus(80, 1));
        LmText valid = words(dir, "valid.txt", corpus(20, 2));
        LmConfig tied = small("gru").withEmbedding(16).withTiedEmbeddings(true);
        TrainConfig tc = sgd(2).withCheckpoints(3, dir.resolve("ckpt.zip"));
        LanguageModel full = new LanguageModel(tied);
        org.seq4j.tasks.TaskResult<LanguageModel.Evaluation> r = full.run("grammar", train, valid, tc, null);
        INDArray e = full.graph().getLayer("embed").getParam("W");
        INDArray w = full.graph().getLayer("out").getParam("W");
        assertThat(w).isEqualTo(e.transpose());
        long vocab = e.size(0);
        assertThat(r.parameters()).isEqualTo(full.graph().params().length() - 16 * vocab);
        assertThat(r.score().value()).isLessThan(4);   // it learns the grammar as the untied models do

        LanguageModel first = new LanguageModel(tied);
        first.fit(train, valid, tc.withMaxIterations((int) (r.training().iterations() / 2 + 1)));
        LanguageModel second = new LanguageModel(tied);
        second.resume(dir.resolve("ckpt.zip"), train, valid, tc);
        assertThat(second.graph().params().equalsWithEps(full.graph().params(), 0)).isTrue();

        Path file = dir.resolve("lm.zip");
        full.save(file);
        LanguageModel back = LanguageModel.load(file);
        assertThat(back.config().tiedEmbeddings()).isTrue();
        assertThat(back.evaluate(valid, 1, false).crossEntropy())
                .isEqualTo(full.evaluate(valid, 1, false).crossEntropy());
        assertThatThrownBy(() -> small("gru").withTiedEmbeddings(true))
                .hasMessageContaining("tied embeddings need the embedding size (12) to equal the top recurrent "
                        + "layer's output size (16)");
    }
}
