package org.seq4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seq4j.testkit.RestoresDataType;
import org.seq4j.layers.GruVariant;
import org.seq4j.testkit.Arrays3;
import org.seq4j.testkit.TestGraphs;

/**
 * The core's fast paths against its exact ones: the float32 rational tanh/σ against {@link Math}, a float32 network
 * against the same network in float64 (exact functions), and the direct OpenBLAS path really taken on the CPU backend.
 */
@ExtendWith(RestoresDataType.class)
class FastPathTest {


    @Test
    void rationalTanhAndSigmoidStayWithinAFewFloatUlps() {
        double worstTanh = 0;
        double worstSigmoid = 0;
        for (double x = -20; x <= 20; x += 1e-3) {
            worstTanh = Math.max(worstTanh, Math.abs(Kernels.tanhFast(x) - Math.tanh(x)));
            worstSigmoid = Math.max(worstSigmoid,
                    Math.abs(0.5 * Kernels.tanhFast(0.5 * x) + 0.5 - 1 / (1 + Math.exp(-x))));
        }
        // a float has 2^-24 ≈ 6e-8 relative precision: the approximation is below the float rounding of tanh near ±1
        assertThat(worstTanh).isLessThan(3e-7);
        assertThat(worstSigmoid).isLessThan(2e-7);
        assertThat(Kernels.tanhFast(50)).isEqualTo(Kernels.tanhFast(7.90531110763549805));
        assertThat(Kernels.tanhFast(0)).isEqualTo(0.0);
    }

    static Stream<Arguments> cells() {
        return Stream.of(Arguments.of(new LstmCell()), Arguments.of(new LstmCell(1.0, true)),
                Arguments.of(new GruCell(GruVariant.RESET_AFTER)), Arguments.of(new GruCell(GruVariant.RESET_BEFORE)),
                Arguments.of(new SrnCell(Act.TANH)), Arguments.of(new ScrnCell(3, 0.9, true)),
                Arguments.of(new JordanCell(5, Act.TANH, Act.TANH)));
    }

    private static ComputationGraph net(RecurrentCell cell, DataType type) {
        return net(cell, type, false);
    }

    /** Two layers of the cell, 16 units each, on 8 inputs; with {@code output}, an MSE output layer of 3 on top. */
    private static ComputationGraph net(RecurrentCell cell, DataType type, boolean output) {
        var b = new NeuralNetConfiguration.Builder().seed(7).dataType(type)
                .graphBuilder().addInputs("in")
                .addLayer("l1", new Recurrent.Builder().cell(cell).units(16).build(), "in")
                .addLayer("l2", new Recurrent.Builder().cell(cell).units(16).build(), "l1");
        if (output) {
            b.addLayer("out", new org.deeplearning4j.nn.conf.layers.RnnOutputLayer.Builder(
                    org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MSE)
                    .activation(org.nd4j.linalg.activations.Activation.IDENTITY).nOut(3).build(), "l2");
        }
        ComputationGraph g = new ComputationGraph(b.setOutputs(output ? "out" : "l2")
                .setInputTypes(InputType.recurrent(8)).build());
        g.init();
        return g;
    }

    /** float32 (fast functions, sgemm) and float64 (exact functions, dgemm) of the same network agree to 1e-5. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void floatNetworkMatchesTheDoubleOne(RecurrentCell cell) {
        ComputationGraph d = net(cell, DataType.DOUBLE);
        TestGraphs.randomizeParams(d, 3, 0.7);
        ComputationGraph f = net(cell, DataType.FLOAT);
        f.params().assign(d.params().castTo(DataType.FLOAT));
        INDArray x = TestGraphs.uniform(4, 6, 8, 30);
        INDArray mask = Arrays3.prefixMask(30, 30, 20, 12, 30, 1, 25);
        INDArray od = d.output(false, new INDArray[] {x}, new INDArray[] {mask})[0];
        INDArray of = f.output(false, new INDArray[] {x.castTo(DataType.FLOAT)}, new INDArray[] {mask})[0];
        assertThat(of.castTo(DataType.DOUBLE).sub(od).amaxNumber().doubleValue()).as(cell.toString())
                .isLessThan(1e-5);
    }

    /**
     * The same for training: every parameter gradient of a float32 network (the cells' float loops, the kernel) against
     * float64, on a padded batch, through an output layer.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void floatGradientsMatchTheDoubleOnes(RecurrentCell cell) {
        ComputationGraph d = net(cell, DataType.DOUBLE, true);
        TestGraphs.randomizeParams(d, 3, 0.7);
        ComputationGraph f = net(cell, DataType.FLOAT, true);
        f.params().assign(d.params().castTo(DataType.FLOAT));
        INDArray x = TestGraphs.uniform(4, 6, 8, 30);
        INDArray y = TestGraphs.uniform(5, 6, 3, 30);
        INDArray mask = Arrays3.prefixMask(30, 30, 20, 12, 30, 1, 25);
        d.setLayerMaskArrays(new INDArray[] {mask}, new INDArray[] {mask});
        d.setInputs(x);
        d.setLabels(y);
        d.computeGradientAndScore();
        f.setLayerMaskArrays(new INDArray[] {mask}, new INDArray[] {mask});
        f.setInputs(x.castTo(DataType.FLOAT));
        f.setLabels(y.castTo(DataType.FLOAT));
        f.computeGradientAndScore();
        INDArray gd = d.gradient().gradient();
        INDArray gf = f.gradient().gradient().castTo(DataType.DOUBLE);
        double rel = gf.sub(gd).norm2Number().doubleValue() / gd.norm2Number().doubleValue();
        assertThat(rel).as(cell.toString()).isLessThan(1e-5);
        assertThat(gd.norm2Number().doubleValue()).as("a gradient that is not zero").isGreaterThan(1e-3);
    }

    @Test
    void theDirectBlasPathAndTheVectorKernelAreTakenOnTheCpuBackend() {
        ComputationGraph g = net(new GruCell(), DataType.FLOAT);
        long blas = Blas.DIRECT_CALLS.get();
        long vector = StepWeight.VECTOR_CALLS.get();
        g.outputSingle(TestGraphs.uniform(5, 2, 8, 10).castTo(DataType.FLOAT));
        // two layers: one input projection each through OpenBLAS, 10 step products each through the Vector API
        // kernel (on AVX-512 CPUs; elsewhere through OpenBLAS too)
        int kernel = StepWeight.VECTOR ? 20 : 0;
        assertThat(Blas.DIRECT_CALLS.get() - blas).isEqualTo(22 - kernel);
        assertThat(StepWeight.VECTOR_CALLS.get() - vector).isEqualTo(kernel);
    }
}
