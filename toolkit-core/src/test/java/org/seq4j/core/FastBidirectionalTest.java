package org.seq4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seq4j.testkit.Arrays3;
import org.seq4j.testkit.GradientChecks;
import org.seq4j.testkit.RestoresDataType;
import org.seq4j.testkit.TestGraphs;

/**
 * {@link FastBidirectional} is DL4J's {@link Bidirectional} with a faster CONCAT join: the same outputs, parameter
 * gradients and input gradients in every mode, on a padded batch, in double and single precision, and it survives a
 * JSON round trip as itself.
 */
@ExtendWith(RestoresDataType.class)
class FastBidirectionalTest {

    private static Layer lstm() {
        return new Recurrent.Builder().cell(new LstmCell()).units(5).build();
    }

    @ParameterizedTest
    @EnumSource(Bidirectional.Mode.class)
    void equalsDl4jsBidirectional(Bidirectional.Mode mode) {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            ComputationGraph dl4j = TestGraphs.layerBetween(new Bidirectional(mode, lstm()), 3, 4, 2);
            TestGraphs.randomizeParams(dl4j, 5, 0.6);
            ComputationGraph fast = TestGraphs.layerBetween(new FastBidirectional(mode, lstm()), 3, 4, 2);
            fast.params().assign(dl4j.params());
            assertThat(fast.getLayer("layer")).isInstanceOf(FastBidirectional.Runtime.class);
            if (type != DataType.DOUBLE) {
                dl4j = dl4j.convertDataType(type);
                fast = fast.convertDataType(type);
            }
            double tol = type == DataType.DOUBLE ? 1e-12 : 1e-5;
            INDArray x = TestGraphs.uniform(1, 3, 3, 7).castTo(type);
            INDArray y = TestGraphs.uniform(2, 3, 2, 7).castTo(type);
            INDArray mask = Arrays3.prefixMask(7, 7, 4, 2).castTo(type);
            dl4j.setLayerMaskArrays(new INDArray[] {mask}, null);
            fast.setLayerMaskArrays(new INDArray[] {mask}, null);
            INDArray outDl4j = dl4j.feedForward(new INDArray[] {x}, false, false).get("layer").dup();
            INDArray outFast = fast.feedForward(new INDArray[] {x}, false, false).get("layer").dup();
            dl4j.clearLayerMaskArrays();
            fast.clearLayerMaskArrays();
            assertThat(outFast.shape()).isEqualTo(outDl4j.shape());
            assertThat(maxAbs(outFast.sub(outDl4j))).as("%s %s output", mode, type).isLessThan(tol);
            Map<String, INDArray> gd = TestGraphs.gradient(dl4j, x, y, mask);
            Map<String, INDArray> gf = TestGraphs.gradient(fast, x, y, mask);
            assertThat(gf.keySet()).isEqualTo(gd.keySet());
            for (String k : gd.keySet()) {
                // "below_*": the gradient the bidirectional layer sends down, through the dense layer under it
                assertThat(maxAbs(gf.get(k).sub(gd.get(k)))).as("%s %s %s", mode, type, k).isLessThan(tol);
                assertThat(maxAbs(gd.get(k))).as("%s is not trivially zero", k).isGreaterThan(0);
            }
        }
    }

    /**
     * Two CONCAT layers in single precision, where every join, split and sum of input gradients runs on whole rows
     * (the core's layers hand on time-major rows): outputs and every gradient equal DL4J's Bidirectional bit for bit.
     */
    @Test
    void rowCopiesInSinglePrecisionGiveDl4jsBitsExactly() {
        ComputationGraph[] g = new ComputationGraph[2];
        for (int v = 0; v < 2; v++) {
            Layer first = v == 0 ? new Bidirectional(Bidirectional.Mode.CONCAT, lstm())
                    : new FastBidirectional(Bidirectional.Mode.CONCAT, lstm());
            Layer second = v == 0 ? new Bidirectional(Bidirectional.Mode.CONCAT, lstm())
                    : new FastBidirectional(Bidirectional.Mode.CONCAT, lstm());
            ComputationGraph graph = new ComputationGraph(TestGraphs.doubleGraph().addInputs("in")
                    .addLayer("below", new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nOut(4)
                            .activation(org.nd4j.linalg.activations.Activation.TANH).build(), "in")
                    .addLayer("bi1", first, "below").addLayer("bi2", second, "bi1")
                    .addLayer("out", new org.deeplearning4j.nn.conf.layers.RnnOutputLayer.Builder(
                            org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MSE)
                            .activation(org.nd4j.linalg.activations.Activation.IDENTITY).nOut(2).build(), "bi2")
                    .setOutputs("out").setInputTypes(org.deeplearning4j.nn.conf.inputs.InputType.recurrent(3))
                    .build());
            graph.init();
            if (v == 0) {
                TestGraphs.randomizeParams(graph, 7, 0.6);
            } else {
                graph.params().assign(g[0].params());
            }
            g[v] = graph.convertDataType(DataType.FLOAT);
        }
        INDArray x = TestGraphs.uniform(1, 3, 3, 7).castTo(DataType.FLOAT);
        INDArray y = TestGraphs.uniform(2, 3, 2, 7).castTo(DataType.FLOAT);
        long before = FastBidirectional.Runtime.ROW_COPIES.get();
        INDArray want = g[0].feedForward(new INDArray[] {x}, false, false).get("bi2").dup();
        INDArray got = g[1].feedForward(new INDArray[] {x}, false, false).get("bi2").dup();
        assertThat(got).isEqualTo(want);
        Map<String, INDArray> gd = TestGraphs.gradient(g[0], x, y, null);
        Map<String, INDArray> gf = TestGraphs.gradient(g[1], x, y, null);
        assertThat(gf.keySet()).isEqualTo(gd.keySet());
        for (String k : gd.keySet()) {
            assertThat(gf.get(k)).as(k).isEqualTo(gd.get(k));
        }
        // joins: 2 in the forward pass, 2 in the gradient's; bi1's split (bi2 hands on rows); both layers' sums
        assertThat(FastBidirectional.Runtime.ROW_COPIES.get() - before).isEqualTo(7);
    }

    /** Its own join and split under a gradient check: right- and left-padded batches, LSTM and GRU inside. */
    @ParameterizedTest
    @EnumSource(value = Bidirectional.Mode.class, names = {"CONCAT"})
    void gradientCheckWithRightAndLeftPadding(Bidirectional.Mode mode) {
        GradientChecks.useDoublePrecision();
        INDArray right = Arrays3.prefixMask(6, 6, 4, 2);
        INDArray left = Nd4j.zeros(DataType.DOUBLE, 3, 6);
        int[] lengths = {6, 4, 2};
        for (int i = 0; i < 3; i++) {
            for (int t = 6 - lengths[i]; t < 6; t++) {
                left.putScalar(i, t, 1.0);
            }
        }
        for (RecurrentCell cell : new RecurrentCell[] {new LstmCell(), new GruCell()}) {
            ComputationGraph g = TestGraphs.layerBetween(new FastBidirectional(mode,
                    new Recurrent.Builder().cell(cell).units(4).build()), 3, 4, 2);
            TestGraphs.randomizeParams(g, 8, 0.6);
            assertThat(g.getLayer("layer")).isInstanceOf(FastBidirectional.Runtime.class);
            INDArray x = TestGraphs.uniform(9, 3, 3, 6);
            INDArray y = TestGraphs.uniform(10, 3, 2, 6);
            for (INDArray mask : new INDArray[] {right, left}) {
                GradientChecks.Result r = GradientChecks.assertCorrect(g, new INDArray[] {x}, new INDArray[] {y},
                        new INDArray[] {mask}, new INDArray[] {mask});
                assertThat(r.checked()).isEqualTo((int) g.params().length());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Bidirectional.Mode.class, names = {"CONCAT", "ADD"})
    void survivesAJsonRoundTripAsItself(Bidirectional.Mode mode) {
        ComputationGraph g = TestGraphs.layerBetween(new FastBidirectional(mode, lstm()), 3, 4, 2);
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(g.getConfiguration().toJson());
        ComputationGraph h = new ComputationGraph(back);
        h.init(g.params().dup(), false);
        assertThat(h.getLayer("layer")).isInstanceOf(FastBidirectional.Runtime.class);
        INDArray x = TestGraphs.uniform(3, 2, 3, 5);
        assertThat(maxAbs(h.outputSingle(x).sub(g.outputSingle(x)))).isEqualTo(0.0);
    }

    private static double maxAbs(INDArray a) {
        return a.castTo(DataType.DOUBLE).amaxNumber().doubleValue();
    }
}
