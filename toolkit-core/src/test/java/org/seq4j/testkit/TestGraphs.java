package org.seq4j.testkit;

import java.util.Random;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small double-precision graphs and seeded data for layer tests. */
public final class TestGraphs {

    public static final long SEED = 12345;

    private TestGraphs() {
    }

    /** A double-precision, no-updater graph builder with one recurrent input "in" of {@code nIn} features. */
    public static ComputationGraphConfiguration.GraphBuilder doubleGraph() {
        return new NeuralNetConfiguration.Builder()
                .seed(SEED)
                .dataType(DataType.DOUBLE)
                .updater(new NoOp())
                .weightInit(WeightInit.XAVIER)
                .graphBuilder();
    }

    /**
     * {@code in [nIn] -> below: Dense(tanh, nBelow) -> layer -> out: RnnOutputLayer(MSE, identity, nOut)}: a trainable
     * layer below the layer under test, so that a gradient check also checks the gradient the layer sends down.
     */
    public static ComputationGraph layerBetween(Layer layer, int nIn, int nBelow, int nOut) {
        ComputationGraphConfiguration conf = doubleGraph()
                .addInputs("in")
                .addLayer("below", new DenseLayer.Builder().nOut(nBelow).activation(Activation.TANH).build(), "in")
                .addLayer("layer", layer, "below")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).nOut(nOut).build(), "layer")
                .setOutputs("out")
                .setInputTypes(InputType.recurrent(nIn))
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    /** {@code in -> layer}: the layer alone, its output the graph's output (for forward comparisons only). */
    public static ComputationGraph layerAlone(Layer layer, int nIn) {
        ComputationGraphConfiguration conf = doubleGraph()
                .addInputs("in")
                .addLayer("layer", layer, "in")
                .setOutputs("layer")
                .setInputTypes(InputType.recurrent(nIn))
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    /**
     * The gradient of every parameter of {@code g} for one batch (copies, by parameter name), with {@code mask} as
     * both feature and label mask (or none).
     */
    public static java.util.Map<String, INDArray> gradient(ComputationGraph g, INDArray x, INDArray y, INDArray mask) {
        g.setInputs(x);
        g.setLabels(y);
        g.setLayerMaskArrays(mask == null ? null : new INDArray[] {mask}, mask == null ? null : new INDArray[] {mask});
        g.computeGradientAndScore();
        java.util.Map<String, INDArray> out = new java.util.LinkedHashMap<>();
        g.gradient().gradientForVariable().forEach((k, v) -> out.put(k, v.dup(v.ordering())));
        g.clearLayerMaskArrays();
        return out;
    }

    /** Uniform values in [-1, 1) from a seeded generator, double precision. */
    public static INDArray uniform(long seed, long... shape) {
        Random r = new Random(seed);
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        for (long i = 0; i < a.length(); i++) {
            a.putScalar(i, 2 * r.nextDouble() - 1);
        }
        return a;
    }

    /** Replaces each parameter of the graph with seeded uniform values in [-scale, scale): asymmetric, non-constant. */
    public static void randomizeParams(ComputationGraph g, long seed, double scale) {
        Random r = new Random(seed);
        INDArray p = g.params();
        for (long i = 0; i < p.length(); i++) {
            p.putScalar(i, scale * (2 * r.nextDouble() - 1));
        }
    }
}
