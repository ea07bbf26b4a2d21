package org.seq4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;


import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.BeforeAll;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seq4j.testkit.RestoresDataType;
import org.seq4j.testkit.GradientChecks;
import org.seq4j.testkit.TestGraphs;

/** GRU state carry: truncated BPTT segments, and the gradient of a segment that starts from a carried state. */
@ExtendWith(RestoresDataType.class)
class GruStateTest {

    private static final int N_IN = 3;
    private static final int H = 4;

    @BeforeAll
    static void doublePrecision() {
        GradientChecks.useDoublePrecision();
    }

    private static ComputationGraph graph(GruVariant variant) {
        ComputationGraph g = TestGraphs.layerAlone(new Gru.Builder().nOut(H).variant(variant).build(), N_IN);
        TestGraphs.randomizeParams(g, 41, 1.0);
        return g;
    }

    @ParameterizedTest
    @EnumSource(GruVariant.class)
    void tbpttSegmentsCarryStateAndEqualTheFullSequence(GruVariant variant) {
        ComputationGraph g = graph(variant);
        INDArray x = TestGraphs.uniform(42, 2, N_IN, 9);
        INDArray full = g.outputSingle(x);
        g.rnnClearPreviousState();
        for (int start = 0; start < 9; start += 4) {
            int end = Math.min(9, start + 4);
            INDArray seg = x.get(all(), all(), interval(start, end)).dup();
            INDArray out = g.rnnActivateUsingStoredState(new INDArray[] {seg}, false, true).get("layer");
            assertThat(out.sub(full.get(all(), all(), interval(start, end))).amaxNumber().doubleValue())
                    .as("segment starting at %d", start).isLessThan(1e-12);
        }
    }

    /**
     * In a graph: TBPTT whose segment covers the whole sequence trains exactly like standard BPTT, and TBPTT with
     * 4-step segments over 12 steps (target: the input delayed by 2) still lowers the loss.
     */
    @ParameterizedTest
    @EnumSource(GruVariant.class)
    void fitWithTruncatedBptt(GruVariant variant) {
        INDArray x = TestGraphs.uniform(46, 16, 1, 12);
        INDArray y = Nd4j.zeros(x.dataType(), 16, 1, 12);
        y.get(all(), all(), interval(2, 12)).assign(x.get(all(), all(), interval(0, 10)));
        org.nd4j.linalg.dataset.DataSet ds = new org.nd4j.linalg.dataset.DataSet(x, y);

        ComputationGraph standard = delayGraph(variant, BackpropType.Standard, 4);
        ComputationGraph oneSegment = delayGraph(variant, BackpropType.TruncatedBPTT, 12);
        ComputationGraph segments = delayGraph(variant, BackpropType.TruncatedBPTT, 4);
        double before = segments.score(ds);
        for (int i = 0; i < 60; i++) {
            standard.fit(ds);
            oneSegment.fit(ds);
            segments.fit(ds);
        }
        assertThat(oneSegment.params().sub(standard.params()).amaxNumber().doubleValue()).isLessThan(1e-12);
        assertThat(segments.score(ds)).isLessThan(0.8 * before);
    }

    private static ComputationGraph delayGraph(GruVariant variant, BackpropType type, int tbpttLength) {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .seed(TestGraphs.SEED).dataType(DataType.DOUBLE)
                .updater(new Adam(0.05))
                .graphBuilder()
                .addInputs("in")
                .addLayer("gru", new Gru.Builder().nOut(8).variant(variant).build(), "in")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).nOut(1).build(), "gru")
                .setOutputs("out")
                .backpropType(type).tBPTTLength(tbpttLength)
                .setInputTypes(InputType.recurrent(1))
                .build());
        g.init();
        return g;
    }
}
