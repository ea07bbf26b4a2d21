package org.seq4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.LinkedHashMap;
import java.util.Map;

import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seq4j.testkit.RestoresDataType;
import org.seq4j.layers.Lstm;
import org.seq4j.layers.Scrn;
import org.seq4j.testkit.Arrays3;
import org.seq4j.testkit.GradientChecks;
import org.seq4j.testkit.TestGraphs;

/**
 * The core against the other forms of the same cells: DL4J's own LSTM (parameter layout and gate order), the legacy
 * {@link Lstm} configuration (the masked-gradient defect B13 is gone), and the SameDiff SCRN (the second form the
 * bench compares), to 1e-10 in double precision.
 */
@ExtendWith(RestoresDataType.class)
class CoreFormsTest {

    private static final int N_IN = 3;
    private static final int H = 4;
    private static final int T = 6;

    @BeforeAll
    static void doublePrecision() {
        GradientChecks.useDoublePrecision();
    }


    private static double diff(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }

    /** Without masks DL4J's LSTM is right; the core's LSTM must equal it in outputs and every gradient. */
    @Test
    void lstmCellEqualsDl4jLstmWithoutMasks() {
        LSTM dl4j = new LSTM.Builder().nOut(H).activation(Activation.TANH).build();
        ComputationGraph stock = TestGraphs.layerBetween(dl4j, N_IN, 3, 2);
        ComputationGraph core = TestGraphs.layerBetween(new Recurrent.Builder().cell(new LstmCell()).units(H).build(),
                N_IN, 3, 2);
        TestGraphs.randomizeParams(stock, 3, 0.8);
        core.params().assign(stock.params());   // same keys, shapes and order: W, RW, b
        INDArray x = TestGraphs.uniform(4, 3, N_IN, T);
        INDArray y = TestGraphs.uniform(5, 3, 2, T);
        assertThat(diff(core.outputSingle(x), stock.outputSingle(x))).isLessThan(1e-12);
        Map<String, INDArray> gs = TestGraphs.gradient(stock, x, y, null);
        Map<String, INDArray> gc = TestGraphs.gradient(core, x, y, null);
        assertThat(gc.keySet()).isEqualTo(gs.keySet());
        gs.forEach((k, v) -> assertThat(diff(gc.get(k), v)).as(k).isLessThan(1e-12));
    }

    /**
     * Regression for DL4J M2.1 defect B13 (masked LSTM gradients): the legacy {@code Lstm} configuration inside
     * {@code Bidirectional} on right-padded batches with a masked loss (the tagger's encoder), and left-padded
     * unidirectional, pass the gradient check, and padded steps send no gradient to the layer below.
     */
    @Test
    void legacyLstmConfigurationHasCorrectMaskedGradients() {
        Lstm lstm = Lstm.of(new LSTM.Builder().nOut(H).activation(Activation.TANH).build());
        INDArray x = TestGraphs.uniform(6, 3, N_IN, T);
        INDArray y = TestGraphs.uniform(7, 3, 2, T);
        INDArray right = Arrays3.prefixMask(T, 6, 4, 2);
        ComputationGraph bi = TestGraphs.layerBetween(new Bidirectional(Bidirectional.Mode.CONCAT, lstm), N_IN, 3, 2);
        TestGraphs.randomizeParams(bi, 8, 0.8);
        GradientChecks.assertCorrect(bi, new INDArray[] {x}, new INDArray[] {y}, new INDArray[] {right},
                new INDArray[] {right});
        INDArray left = right.dup();
        for (int i = 0; i < 3; i++) {
            INDArray row = right.getRow(i).dup();
            for (int t = 0; t < T; t++) {
                left.putScalar(i, t, row.getDouble(T - 1 - t));
            }
        }
        ComputationGraph uni = TestGraphs.layerBetween(lstm, N_IN, 3, 2);
        TestGraphs.randomizeParams(uni, 9, 0.8);
        GradientChecks.assertCorrect(uni, new INDArray[] {x}, new INDArray[] {y}, new INDArray[] {left},
                new INDArray[] {left});
        // changing the input on padded steps changes neither the loss nor any gradient
        INDArray x2 = x.dup();
        x2.get(interval(2, 3), all(), interval(2, T)).assign(50.0);
        Map<String, INDArray> g1 = TestGraphs.gradient(bi, x, y, right);
        Map<String, INDArray> g2 = TestGraphs.gradient(bi, x2, y, right);
        g1.forEach((k, v) -> assertThat(diff(g2.get(k), v)).as(k).isLessThan(1e-12));
    }

    /** The SameDiff SCRN and the core SCRN: same outputs and gradients on a masked batch. */
    @ParameterizedTest(name = "learnAlpha={0}")
    @CsvSource({"false", "true"})
    void sameDiffScrnEqualsCoreScrn(boolean learnAlpha) {
        int c = 3;
        double alpha = learnAlpha ? 0.7 : 0.95;
        Layer sd = new Scrn.Builder().units(H).contextUnits(c).alpha(alpha).learnAlpha(learnAlpha).build();
        Layer core = new Recurrent.Builder().cell(new ScrnCell(c, alpha, learnAlpha)).units(H).build();
        ComputationGraph gs = TestGraphs.layerBetween(sd, N_IN, 3, 2);
        ComputationGraph gc = TestGraphs.layerBetween(core, N_IN, 3, 2);
        TestGraphs.randomizeParams(gs, 10, 0.8);
        gc.getLayer("below").params().assign(gs.getLayer("below").params());
        gc.getLayer("out").params().assign(gs.getLayer("out").params());
        Map<String, INDArray> ps = gs.getLayer("layer").paramTable();
        Map<String, INDArray> pc = gc.getLayer("layer").paramTable();
        pc.get("W").get(all(), interval(0, c)).assign(ps.get(Scrn.B));
        pc.get("W").get(all(), interval(c, c + H)).assign(ps.get(Scrn.A));
        pc.get("P").assign(ps.get(Scrn.P));
        pc.get("RW").assign(ps.get(Scrn.R));
        pc.get("b").assign(ps.get(Scrn.BIAS));
        if (learnAlpha) {
            ps.get(Scrn.ALPHA_LOGIT).assign(TestGraphs.uniform(11, 1, c));
            pc.get("alphaLogit").assign(ps.get(Scrn.ALPHA_LOGIT));
        }
        INDArray x = TestGraphs.uniform(12, 3, N_IN, T);
        INDArray y = TestGraphs.uniform(13, 3, 2, T);
        INDArray mask = Arrays3.prefixMask(T, 6, 3, 1);
        INDArray os = gs.output(false, new INDArray[] {x}, new INDArray[] {mask})[0];
        INDArray oc = gc.output(false, new INDArray[] {x}, new INDArray[] {mask})[0];
        assertThat(diff(oc, os)).isLessThan(1e-10);
        Map<String, INDArray> dS = TestGraphs.gradient(gs, x, y, mask);
        Map<String, INDArray> dC = TestGraphs.gradient(gc, x, y, mask);
        assertThat(diff(dC.get("layer_W").get(all(), interval(0, c)), dS.get("layer_" + Scrn.B))).isLessThan(1e-10);
        assertThat(diff(dC.get("layer_W").get(all(), interval(c, c + H)), dS.get("layer_" + Scrn.A)))
                .isLessThan(1e-10);
        assertThat(diff(dC.get("layer_P"), dS.get("layer_" + Scrn.P))).isLessThan(1e-10);
        assertThat(diff(dC.get("layer_RW"), dS.get("layer_" + Scrn.R))).isLessThan(1e-10);
        assertThat(diff(dC.get("layer_b"), dS.get("layer_" + Scrn.BIAS))).isLessThan(1e-10);
        if (learnAlpha) {
            assertThat(diff(dC.get("layer_alphaLogit"), dS.get("layer_" + Scrn.ALPHA_LOGIT))).isLessThan(1e-10);
        }
        for (String k : new String[] {"below_W", "below_b", "out_W", "out_b"}) {
            assertThat(diff(dC.get(k), dS.get(k))).as(k).isLessThan(1e-10);
        }
    }

    private static ComputationGraph delayNet(org.deeplearning4j.nn.conf.layers.Layer rnn, boolean truncated) {
        ComputationGraph g = new ComputationGraph(new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .seed(12345).dataType(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                .updater(new org.nd4j.linalg.learning.config.Adam(0.05)).graphBuilder().addInputs("in")
                .addLayer("rnn", rnn, "in")
                .addLayer("out", new org.deeplearning4j.nn.conf.layers.RnnOutputLayer.Builder(
                        org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).nOut(1).build(), "rnn")
                .setOutputs("out")
                .backpropType(truncated ? org.deeplearning4j.nn.conf.BackpropType.TruncatedBPTT
                        : org.deeplearning4j.nn.conf.BackpropType.Standard)
                .tBPTTLength(4)
                .setInputTypes(org.deeplearning4j.nn.conf.inputs.InputType.recurrent(1)).build());
        g.init();
        return g;
    }

    /**
     * The open question of the previous round (TBPTT with 4-step segments over 12 steps learning a delay-2 task far
     * worse than full BPTT) is a DL4J M2.1 defect of its LSTM under truncated BPTT, not truncation: on the same data,
     * seed and updater the core LSTM and GRU with 4-step segments reach a loss within a few times that of full BPTT
     * (3.1 -> 0.009 in 150 fits), while DL4J's LSTM stays above 2. The per-segment gradient of the core is checked
     * against finite differences in {@code CellContractTest.tbpttGradientFromCarriedStateMatchesFiniteDifferences}.
     */
    @Test
    void truncatedBpttLearnsTheDelayTaskWhereDl4jsLstmDoesNot() {
        java.util.Random r = new java.util.Random(46);
        INDArray x = org.nd4j.linalg.factory.Nd4j.create(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 16, 1, 12);
        for (long i = 0; i < x.length(); i++) {
            x.putScalar(i, 2 * r.nextDouble() - 1);
        }
        INDArray y = org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 16, 1, 12);
        y.get(all(), all(), interval(2, 12)).assign(x.get(all(), all(), interval(0, 10)));
        org.nd4j.linalg.dataset.DataSet ds = new org.nd4j.linalg.dataset.DataSet(x, y);
        ComputationGraph core = delayNet(new Recurrent.Builder().cell(new LstmCell()).units(8).build(), true);
        ComputationGraph gru = delayNet(new Recurrent.Builder().cell(new GruCell()).units(8).build(), true);
        ComputationGraph stock = delayNet(new LSTM.Builder().nOut(8).activation(Activation.TANH).build(), true);
        double before = core.score(ds);
        for (int i = 0; i < 150; i++) {
            core.fit(ds);
            gru.fit(ds);
            stock.fit(ds);
        }
        assertThat(core.score(ds)).as("core LSTM, TBPTT 4").isLessThan(0.05);
        assertThat(gru.score(ds)).as("core GRU, TBPTT 4").isLessThan(0.05);
        assertThat(stock.score(ds)).as("DL4J LSTM, TBPTT 4 (if this fails, upstream fixed it: revisit the note)")
                .isGreaterThan(0.3 * before);
    }
}
