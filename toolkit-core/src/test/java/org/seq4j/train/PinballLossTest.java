package org.seq4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seq4j.testkit.RestoresDataType;
import org.seq4j.testkit.GradientChecks;
import org.seq4j.testkit.TestGraphs;

@ExtendWith(RestoresDataType.class)
class PinballLossTest {

    @Test
    void scoreByHand() {
        // levels 0.1 and 0.9; y = 1, 1; ŷ = 0, 2 → e = 1, −1
        // col 0: max(0.1·1, −0.9·1) = 0.1; col 1: max(0.9·(−1), −0.1·(−1)) = 0.1
        PinballLoss loss = new PinballLoss(new double[] {0.1, 0.9});
        INDArray y = Nd4j.createFromArray(new double[][] {{1, 1}});
        INDArray pred = Nd4j.createFromArray(new double[][] {{0, 2}});
        assertThat(loss.computeScore(y, pred, new ActivationIdentity(), null, true)).isCloseTo(0.2, within(1e-12));
        // dL/dŷ: y > ŷ → −τ; y < ŷ → 1 − τ
        assertThat(loss.computeGradient(y, pred, new ActivationIdentity(), null).toDoubleVector())
                .containsExactly(new double[] {-0.1, 0.1}, within(1e-12));
        assertThatThrownBy(() -> new PinballLoss(new double[] {0.5, 1.0})).hasMessageContaining("got 1.0");
    }

    @Test
    void gradientCheckAndJsonRoundTrip() {
        GradientChecks.useDoublePrecision();
        ComputationGraphConfiguration conf = TestGraphs.doubleGraph()
                .addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(new PinballLoss(new double[] {0.1, 0.5, 0.9}))
                        .activation(Activation.IDENTITY).nOut(3).build(), "hidden")
                .setOutputs("out").setInputTypes(InputType.feedForward(3)).build();
        assertThat(ComputationGraphConfiguration.fromJson(conf.toJson())).isEqualTo(conf);
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        TestGraphs.randomizeParams(g, 3, 1.0);
        INDArray x = TestGraphs.uniform(4, 6, 3);
        INDArray y = TestGraphs.uniform(5, 6, 1).repeat(1, 3).castTo(DataType.DOUBLE);
        GradientChecks.assertCorrect(g, new INDArray[] {x}, new INDArray[] {y}, null, null);
    }
}
