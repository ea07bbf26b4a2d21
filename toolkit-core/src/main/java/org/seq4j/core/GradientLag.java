package org.seq4j.core;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.cells.RecurrentStack;
import org.seq4j.util.Checks;

/**
 * The gradient-norm-versus-lag diagnostic of vanishing gradients (Bengio et al. 1994; Pascanu et al. 2013): for a
 * loss at the last step T only, {@code ‖∂L_T/∂s_{T−k}‖} over the cell's whole state s (LSTM: h and c; SCRN: h and the
 * context) for k = 0 … T−1, on a freshly initialised one-layer network with random inputs. What it shows at
 * initialisation is measured in docs/benchmarks.md: an SRN's curve falls exponentially with k, SCRN's context
 * (α = 0.95) and LSTM's cell (forget bias 1) carry gradient much further, and a GRU at initialisation (update gate
 * near ½) forgets about as fast as an SRN — gated memory is learned, not given.
 *
 * <pre>{@code
 * double[] byLag = GradientLag.of(RecurrentSpec.of("srn", 64), 8, 50, 32, 42).relative();
 * }</pre>
 */
public final class GradientLag {

    private final double[] byLag;

    private GradientLag(double[] byLag) {
        this.byLag = byLag;
    }

    /**
     * Measures one cell: a {@code nIn}-input, one-layer network of {@code spec} with Xavier weights (seeded), MSE at
     * the last of {@code steps} steps, {@code batch} sequences of standard normal inputs.
     */
    public static GradientLag of(RecurrentSpec spec, int nIn, int steps, int batch, long seed) {
        Checks.require(steps >= 2, "GradientLag: steps must be >= 2, got %d", steps);
        Checks.require(batch >= 1 && nIn >= 1, "GradientLag: batch and nIn must be >= 1");
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .graphBuilder().addInputs("in")
                .addLayer("rnn", RecurrentStack.layer(spec.withLayers(1).withBidirectional(null)), "in")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).nOut(1).build(), "rnn")
                .setOutputs("out").setInputTypes(InputType.recurrent(nIn)).build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(DataType.DOUBLE, batch, nIn, steps);
        INDArray y = Nd4j.randn(DataType.DOUBLE, batch, 1, steps);
        return of(g, "rnn", x, y);
    }

    /**
     * Measures a given (e.g. trained) network: {@code ‖∂L_T/∂s_{T−k}‖} of its seq4j recurrent layer {@code layer}
     * for the loss of the last step only, on inputs {@code x [mb, nIn, T]} and labels {@code y}.
     */
    public static GradientLag of(ComputationGraph g, String layer, INDArray x, INDArray y) {
        Checks.require(g.getLayer(layer) instanceof RecurrentRuntime, "GradientLag: '%s' is not a seq4j recurrent "
                + "layer", layer);
        RecurrentRuntime rnn = (RecurrentRuntime) g.getLayer(layer);
        int batch = (int) x.size(0);
        int steps = (int) x.size(2);
        Checks.require(steps >= 2, "GradientLag: steps must be >= 2, got %d", steps);
        rnn.recordStateGradients(true);
        INDArray labelMask = Nd4j.zeros(x.dataType(), batch, steps);
        labelMask.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.point(steps - 1)).assign(1.0);
        try {
            g.setInputs(x);
            g.setLabels(y);
            g.setLayerMaskArrays(null, new INDArray[] {labelMask});
            g.computeGradientAndScore();
        } finally {
            g.clearLayerMaskArrays();
            rnn.recordStateGradients(false);
        }
        g.clear();
        double[] byStep = rnn.stateGradientNorms();
        double[] lag = new double[steps];
        for (int k = 0; k < steps; k++) {
            lag[k] = byStep[steps - 1 - k];
        }
        return new GradientLag(lag);
    }

    /** {@code ‖∂L_T/∂s_{T−k}‖} by lag k (index 0 is the last step), mean over the batch. */
    public double[] absolute() {
        return byLag.clone();
    }

    /** The same, divided by the norm at lag 0: how much of the gradient survives k steps back. */
    public double[] relative() {
        double[] r = new double[byLag.length];
        for (int k = 0; k < r.length; k++) {
            r[k] = byLag[0] == 0 ? 0 : byLag[k] / byLag[0];
        }
        return r;
    }
}
