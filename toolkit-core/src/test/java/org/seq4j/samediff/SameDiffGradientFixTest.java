package org.seq4j.samediff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Collection;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitUtil;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.seq4j.testkit.RestoresDataType;
import org.seq4j.testkit.GradientChecks;
import org.seq4j.testkit.TestGraphs;

/**
 * Pins DL4J M2.1 bug B1: a SameDiff layer on the stock runtime reports twice the true gradient, for its parameters and
 * for the layer below. If this test starts failing because the stock runtime passes, DL4J has fixed the bug and
 * {@link SameDiffGradientFix} must go.
 */
@ExtendWith(RestoresDataType.class)
class SameDiffGradientFixTest {

    /** {@code tanh(x·W + b)}, the smallest SameDiff layer; {@code fixed} picks seq4j's runtime over the stock one. */
    public static class TanhDense extends SameDiffLayer {
        private long nIn = 3;
        private long nOut = 4;
        private boolean fixed;

        public TanhDense() {
            weightInit = WeightInit.XAVIER;
        }

        TanhDense(boolean fixed) {
            this();
            this.fixed = fixed;
        }

        public boolean isFixed() {
            return fixed;
        }

        public void setFixed(boolean fixed) {
            this.fixed = fixed;
        }

        @Override
        public void defineParameters(SDLayerParams p) {
            p.addWeightParam("W", nIn, nOut);
            p.addBiasParam("b", 1, nOut);
        }

        @Override
        public void initializeParameters(Map<String, INDArray> p) {
            WeightInitUtil.initWeights(nIn, nOut, p.get("W").shape(), weightInit, null, 'c', p.get("W"));
            p.get("b").assign(0.1);
        }

        @Override
        public SDVariable defineLayer(SameDiff sd, SDVariable x, Map<String, SDVariable> p, SDVariable mask) {
            return sd.math.tanh(x.mmul(p.get("W")).add(p.get("b")));
        }

        @Override
        public InputType getOutputType(int layerIndex, InputType inputType) {
            return InputType.feedForward(nOut);
        }

        @Override
        public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index,
                                 INDArray view, boolean init, DataType dataType) {
            if (!fixed) {
                return super.instantiate(conf, listeners, index, view, init, dataType);
            }
            PerLengthSameDiffLayer l = new PerLengthSameDiffLayer(conf, dataType);
            l.setIndex(index);
            l.setParamsViewArray(view);
            l.setParamTable(initializer().init(conf, view, init));
            l.setConf(conf);
            return l;
        }
    }

    @BeforeAll
    static void doublePrecision() {
        GradientChecks.useDoublePrecision();
    }

    private static GradientChecks.Result check(boolean fixed) {
        ComputationGraph g = new ComputationGraph(TestGraphs.doubleGraph()
                .addInputs("in")
                .addLayer("below", new DenseLayer.Builder().nIn(2).nOut(3).activation(Activation.TANH).build(), "in")
                .addLayer("sd", new TanhDense(fixed), "below")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .nIn(4).nOut(2).build(), "sd")
                .setOutputs("out")
                .setInputTypes(InputType.feedForward(2))
                .build());
        g.init();
        INDArray x = TestGraphs.uniform(1, 5, 2);
        INDArray y = TestGraphs.uniform(2, 5, 2);
        return GradientChecks.check(g, new INDArray[] {x}, new INDArray[] {y}, null, null);
    }

    @Test
    void stockRuntimeStillDoublesGradients() {
        GradientChecks.Result stock = check(false);
        assertThat(stock.passed()).as("stock SameDiff runtime passed: DL4J fixed bug B1, remove SameDiffGradientFix")
                .isFalse();
        // every failing parameter is off by exactly the factor 2: relError = |2n − n| / (|2n| + |n|) = 1/3
        for (GradientChecks.Failure f : stock.failures()) {
            assertThat(f.analytic() / f.numeric()).as(f.toString()).isCloseTo(2.0, within(1e-4));
        }
        assertThat(stock.failures()).extracting(GradientChecks.Failure::param)
                .contains("sd_W", "sd_b", "below_W", "below_b").doesNotContain("out_W", "out_b");
    }

    @Test
    void fixedRuntimePasses() {
        GradientChecks.Result fixed = check(true);
        assertThat(fixed.failures()).isEmpty();
        assertThat(fixed.checked()).isEqualTo(2 * 3 + 3 + 3 * 4 + 4 + 4 * 2 + 2);
        assertThat(SameDiffGradientFix.FACTOR).isEqualTo(0.5);
    }
}
