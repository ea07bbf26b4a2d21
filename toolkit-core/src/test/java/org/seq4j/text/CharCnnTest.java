package org.seq4j.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.Map;
import java.util.Random;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.seq4j.testkit.RestoresDataType;
import org.seq4j.testkit.Arrays3;
import org.seq4j.testkit.GradientChecks;
import org.seq4j.testkit.TestGraphs;

@ExtendWith(RestoresDataType.class)
class CharCnnTest {

    private static final int V = 6;
    private static final int D = 2;
    private static final int F = 3;
    private static final int WIDTH = 2;
    private static final int L = 4;

    @BeforeAll
    static void doublePrecision() {
        GradientChecks.useDoublePrecision();
    }

    private static ComputationGraph graph() {
        ComputationGraph g = new ComputationGraph(TestGraphs.doubleGraph()
                .addInputs("chars")
                .addVertex("cnn", new CharCnn(V, D, F, WIDTH, L).named("cnn"), "chars")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).nOut(2).build(), "cnn")
                .setOutputs("out").setInputTypes(InputType.recurrent(L)).build());
        g.init();
        TestGraphs.randomizeParams(g, 1, 0.9);
        return g;
    }

    private static INDArray chars(long seed, int mb, int steps) {
        Random r = new Random(seed);
        INDArray c = Nd4j.zeros(DataType.DOUBLE, mb, L, steps);
        for (int i = 0; i < mb; i++) {
            for (int t = 0; t < steps; t++) {
                int len = 1 + r.nextInt(L);
                for (int j = 0; j < len; j++) {
                    c.putScalar(new long[] {i, j, t}, 1 + r.nextInt(V - 1));
                }
            }
        }
        return c;
    }

    @Test
    void gradientCheckAcrossLengthsWithMasks() {
        ComputationGraph g = graph();
        for (int steps : new int[] {3, 5}) {
            INDArray x = chars(steps, 2, steps);
            INDArray y = TestGraphs.uniform(steps + 1, 2, 2, steps);
            INDArray mask = Arrays3.prefixMask(steps, steps, 2);
            GradientChecks.assertCorrect(g, new INDArray[] {x}, new INDArray[] {y}, null, null);
            GradientChecks.assertCorrect(g, new INDArray[] {x}, new INDArray[] {y}, new INDArray[] {mask},
                    new INDArray[] {mask});
        }
    }

    @Test
    void equalsPlainReferenceAndPaddingDoesNotLeak() {
        ComputationGraph g = graph();
        INDArray x = chars(9, 2, 4);
        INDArray mask = Arrays3.prefixMask(4, 4, 2);
        g.setLayerMaskArrays(new INDArray[] {mask}, null);
        INDArray out = g.feedForward(new INDArray[] {x}, false, false).get("cnn");
        g.clearLayerMaskArrays();
        Map<String, INDArray> p = g.getVertex("cnn").paramTable(false);
        double[][] e = Arrays3.matrix(p.get(CharCnn.EMBEDDING));
        double[][] w = Arrays3.matrix(p.get(CharCnn.W));
        double[] b = Arrays3.vector(p.get(CharCnn.B));
        for (int i = 0; i < 2; i++) {
            for (int t = 0; t < 4; t++) {
                for (int f = 0; f < F; f++) {
                    double expected = 0;
                    if (mask.getDouble(i, t) != 0) {
                        double max = Double.NEGATIVE_INFINITY;
                        for (int j = 0; j + WIDTH <= L; j++) {
                            double u = b[f];
                            for (int q = 0; q < WIDTH; q++) {
                                int id = (int) x.getDouble(i, j + q, t);
                                for (int k = 0; k < D; k++) {
                                    u += e[id][k] * w[q * D + k][f];
                                }
                            }
                            max = Math.max(max, u);
                        }
                        expected = Math.tanh(max);
                    }
                    assertThat(out.getDouble(i, f, t)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-10));
                }
            }
        }
        INDArray alone = g.feedForward(new INDArray[] {x.get(interval(1, 2), all(), interval(0, 2)).dup()}, false)
                .get("cnn");
        assertThat(out.get(interval(1, 2), all(), interval(0, 2)).sub(alone).amaxNumber().doubleValue())
                .isLessThan(1e-12);
    }

    @Test
    void rejectsBadConfiguration() {
        assertThatThrownBy(() -> new CharCnn(10, 4, 8, 5, 4)).hasMessageContaining("width must be in [1, "
                + "maxWordLength = 4], got 5");
        assertThatThrownBy(() -> TestGraphs.doubleGraph().addInputs("c")
                .addVertex("cnn", new CharCnn(V, D, F, WIDTH, L).named("cnn"), "c").setOutputs("cnn")
                .setInputTypes(InputType.recurrent(L + 2)).build())
                .hasMessageContaining("CharCnn vertex 'cnn': input has 6 characters per word, expected "
                        + "maxWordLength = 4");
    }
}
