package org.seq4j.core;

import java.util.Collection;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;
import org.seq4j.util.Checks;
import org.seq4j.util.LayerRuntimes;

/**
 * A softmax output layer over a large vocabulary with sparse targets (token ids {@code [mb, 1, T]}), for language
 * models: the same model and loss as DL4J's {@code RnnOutputLayer} with softmax and {@code LossSparseMCXENT}, and
 * the same parameters ({@code W [nIn, nOut]}, {@code b}), computed the way PyTorch's fused
 * {@code cross_entropy} computes it: one GEMM for the logits, then one pass per row for log-sum-exp, the loss and
 * the gradient {@code softmax − onehot}, kept for the backward pass (DL4J computes the logits GEMM and the softmax
 * twice per step and builds a one-hot label matrix), then one GEMM each for {@code dW} and {@code dX}. Inference
 * returns the probabilities {@code [mb, nOut, T]} as a view of one time-major buffer. In single precision the
 * exponential is a Cephes-style polynomial (relative error about 2e-7 where it matters), vectorised when the JVM has
 * the Vector API module ({@link FloatRows}); in double precision {@link Math#exp}.
 *
 * <pre>{@code
 * graph.addLayer("out", new SoftmaxOutput(vocabSize).dropout(0.5), "rnn");
 * }</pre>
 */
public class SoftmaxOutput extends RnnOutputLayer {

    /**
     * Whether the single-precision softmax rows run on the JDK Vector API in this JVM (started with
     * {@code --add-modules jdk.incubator.vector}); the numbers are the same either way, only the speed differs.
     */
    public static boolean vectorised() {
        return FloatRows.VECTOR;
    }

    /** For Jackson (model files). */
    public SoftmaxOutput() {
        setLossFn(new LossSparseMCXENT());
        setActivationFn(new ActivationSoftmax());
        setHasBias(true);
    }

    /** A softmax over {@code nOut} classes; nIn comes from the graph's input types. */
    public SoftmaxOutput(long nOut) {
        this();
        setNOut(nOut);
    }

    /** Drops each input unit with probability {@code p} in training (Zaremba et al.'s dropout before the softmax). */
    public SoftmaxOutput dropout(double p) {
        Checks.require(p >= 0 && p < 1, "SoftmaxOutput: dropout must be in [0, 1), got %s", p);
        setIDropout(p > 0 ? new Dropout(1 - p) : null);   // DL4J's Dropout takes the retain probability
        return this;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        LayerRuntimes.requireSizes("softmax output", getLayerName(), getNIn(), getNOut());
        return LayerRuntimes.wire(new SoftmaxOutputRuntime(conf, networkDataType), conf, initializer(), listeners,
                layerIndex, paramsView, initializeParams);
    }
}
