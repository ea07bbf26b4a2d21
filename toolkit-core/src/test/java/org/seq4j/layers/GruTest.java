package org.seq4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.BeforeAll;
import org.seq4j.testkit.RestoresDataType;
import org.seq4j.core.RecurrentRuntime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seq4j.testkit.Arrays3;
import org.seq4j.testkit.GradientChecks;
import org.seq4j.testkit.ReferenceGru;
import org.seq4j.testkit.TestGraphs;

@ExtendWith(RestoresDataType.class)
class GruTest {

    private static final int N_IN = 3;
    private static final int N_BELOW = 4;
    private static final int H = 3;
    private static final int T = 5;

    @BeforeAll
    static void doublePrecision() {
        GradientChecks.useDoublePrecision();
    }

    private static Gru gru(GruVariant variant) {
        return new Gru.Builder().nOut(H).variant(variant).build();
    }

    @ParameterizedTest
    @EnumSource(GruVariant.class)
    void gradientCheckUnidirectional(GruVariant variant) {
        ComputationGraph g = TestGraphs.layerBetween(gru(variant), N_IN, N_BELOW, 2);
        TestGraphs.randomizeParams(g, 1, 0.8);
        INDArray x = TestGraphs.uniform(2, 3, N_IN, T);
        INDArray y = TestGraphs.uniform(3, 3, 2, T);
        GradientChecks.assertCorrect(g, new INDArray[] {x}, new INDArray[] {y}, null, null);
        INDArray mask = Arrays3.prefixMask(T, 5, 3, 1);
        GradientChecks.assertCorrect(g, new INDArray[] {x}, new INDArray[] {y},
                new INDArray[] {mask}, new INDArray[] {mask});
    }

    @ParameterizedTest
    @EnumSource(Bidirectional.Mode.class)
    void gradientCheckBidirectional(Bidirectional.Mode mode) {
        for (GruVariant variant : GruVariant.values()) {
            ComputationGraph g = TestGraphs.layerBetween(new Bidirectional(mode, gru(variant)), N_IN, N_BELOW, 2);
            TestGraphs.randomizeParams(g, 4, 0.8);
            INDArray x = TestGraphs.uniform(5, 3, N_IN, T);
            INDArray y = TestGraphs.uniform(6, 3, 2, T);
            INDArray mask = Arrays3.prefixMask(T, 5, 2, 4);
            GradientChecks.assertCorrect(g, new INDArray[] {x}, new INDArray[] {y}, null, null);
            GradientChecks.assertCorrect(g, new INDArray[] {x}, new INDArray[] {y},
                    new INDArray[] {mask}, new INDArray[] {mask});
        }
    }

    @ParameterizedTest
    @EnumSource(GruVariant.class)
    void equalsStepByStepReferenceWithMask(GruVariant variant) {
        ComputationGraph g = TestGraphs.layerAlone(gru(variant), N_IN);
        TestGraphs.randomizeParams(g, 7, 1.0);
        INDArray x = TestGraphs.uniform(8, 4, N_IN, T);
        INDArray mask = Arrays3.prefixMask(T, 5, 3, 1, 4);
        INDArray out = g.output(false, new INDArray[] {x}, new INDArray[] {mask})[0];

        ReferenceGru ref = reference(g, variant);
        double[][][] expected = ref.run(Arrays3.fromNcw(x), mask.toDoubleMatrix());
        assertThat(Arrays3.maxAbsDiff(Arrays3.fromNcw(out), expected)).isLessThan(1e-10);
    }

    @ParameterizedTest
    @EnumSource(GruVariant.class)
    void paddedBatchEqualsEachSequenceAlone(GruVariant variant) {
        ComputationGraph g = TestGraphs.layerAlone(new Bidirectional(Bidirectional.Mode.CONCAT, gru(variant)), N_IN);
        TestGraphs.randomizeParams(g, 9, 1.0);
        int[] lengths = {6, 4, 2};
        INDArray x = TestGraphs.uniform(10, 3, N_IN, 6);
        // padding with a large value: it must not leak into valid steps
        INDArray mask = Arrays3.prefixMask(6, lengths);
        for (int i = 0; i < 3; i++) {
            for (int t = lengths[i]; t < 6; t++) {
                x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(t)).assign(99.0);
            }
        }
        INDArray batch = g.output(false, new INDArray[] {x}, new INDArray[] {mask})[0];
        for (int i = 0; i < 3; i++) {
            INDArray alone = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i, i + 1),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(0, lengths[i])).dup();
            INDArray outAlone = g.outputSingle(alone);
            INDArray outBatch = batch.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i, i + 1),
                    org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(0, lengths[i]));
            assertThat(outBatch.sub(outAlone).amaxNumber().doubleValue()).as("example %d", i).isLessThan(1e-12);
        }
    }

    @org.junit.jupiter.api.Test
    void trainingReusesTheForwardPassInBackprop() {
        ComputationGraph g = TestGraphs.layerBetween(gru(GruVariant.RESET_AFTER), N_IN, N_BELOW, 2);
        RecurrentRuntime layer = (RecurrentRuntime) g.getLayer("layer");
        INDArray x = TestGraphs.uniform(2, 3, N_IN, T);
        INDArray y = TestGraphs.uniform(3, 3, 2, T);
        long before = layer.forwardPasses();
        g.fit(new org.nd4j.linalg.dataset.DataSet(x, y));
        assertThat(layer.forwardPasses() - before).isEqualTo(1);
    }

    static ReferenceGru reference(ComputationGraph g, GruVariant variant) {
        Map<String, INDArray> p = g.getLayer("layer").paramTable();
        return new ReferenceGru(Arrays3.matrix(p.get("W")), Arrays3.matrix(p.get("RW")), Arrays3.vector(p.get("b")),
                variant == GruVariant.RESET_AFTER ? Arrays3.vector(p.get("rb")) : null,
                variant == GruVariant.RESET_AFTER);
    }

    @org.junit.jupiter.api.Test
    void rejectsBadConfiguration() {
        assertThatThrownBy(() -> new Gru.Builder().name("enc").nOut(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'enc'").hasMessageContaining("nOut must be > 0, got 0");
        assertThatThrownBy(() -> new Gru.Builder().name("enc").nOut(-3).build())
                .hasMessageContaining("got -3");
        ComputationGraph g = TestGraphs.layerAlone(gru(GruVariant.RESET_AFTER), N_IN);
        assertThatThrownBy(() -> g.outputSingle(TestGraphs.uniform(1, 2, N_IN)))
                .hasMessageContaining("gru layer 'layer'").hasMessageContaining("expected input of rank 3")
                .hasMessageContaining("got rank 2");
        assertThatThrownBy(() -> g.outputSingle(TestGraphs.uniform(1, 2, N_IN + 1, 4)))
                .hasMessageContaining("expected input [minibatch, nIn=3, timeSteps], got shape [2, 4, 4]");
        assertThatThrownBy(() -> TestGraphs.doubleGraph().addInputs("in")
                .addLayer("enc", new Gru.Builder().nIn(5).nOut(4).build(), "in")
                .setOutputs("enc").setInputTypes(org.deeplearning4j.nn.conf.inputs.InputType.recurrent(3)).build())
                .hasMessageContaining("'enc'").hasMessageContaining("nIn is set to 5 but its input has 3 features");
    }
}
