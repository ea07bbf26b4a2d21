package org.seq4j.layers;

import java.util.Collection;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seq4j.core.LstmCell;
import org.seq4j.core.RecurrentRuntime;
import org.seq4j.util.Checks;
import org.seq4j.util.LayerRuntimes;

/**
 * DL4J's {@link LSTM} configuration (parameters {@code W}, {@code RW}, {@code b}, gate order, forget-gate bias)
 * run by seq4j's recurrent core with an {@link LstmCell}: kept so that DL4J LSTM configurations and model files
 * that reference {@code org.seq4j.layers.Lstm} keep working. New code uses
 * {@code new Recurrent.Builder().cell(new LstmCell())}, which {@code RecurrentStack} builds.
 *
 * <p>The core fixes what DL4J M2.1's own LSTM runtime gets wrong (docs/layers.md): feature masks reach the layer
 * (inside {@code Bidirectional} the backward direction no longer starts on the padding), padded steps get zero
 * gradient (M2.1 passes no mask to its backward pass, note B13), and {@code rnnTimeStep} works on stacked graphs.
 * Masked steps carry the state (DL4J's LSTM zeroes it).
 */
public class Lstm extends LSTM {

    /** For Jackson (model files); use {@link #of(LSTM)}. */
    public Lstm() {
    }

    /** The same configuration as {@code lstm}, run by the core. */
    public static Lstm of(LSTM lstm) {
        Checks.require(lstm != null, "Lstm.of: lstm must not be null");
        return ConfigCopy.as(lstm, Lstm.class);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        LayerRuntimes.requireSizes("Lstm", getLayerName(), getNIn(), getNOut());
        requireActivations(getGateActivationFn(), getActivationFn(), getLayerName());
        return LayerRuntimes.wire(new RecurrentRuntime(conf, networkDataType, new LstmCell(getForgetGateBiasInit()),
                getNOut()), conf, initializer(), listeners, layerIndex, paramsView, initializeParams);
    }

    static void requireActivations(IActivation gate, IActivation act, String layerName) {
        Checks.require(gate == null || gate instanceof ActivationSigmoid,
                "Lstm layer %s: the core's LSTM has sigmoid gates, got %s", Checks.layerName(layerName), gate);
        Checks.require(act == null || act instanceof ActivationTanH,
                "Lstm layer %s: the core's LSTM uses tanh for the block input and cell output, got %s",
                Checks.layerName(layerName), act);
    }
}
