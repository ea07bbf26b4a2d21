package org.seq4j.layers;

import java.util.Collection;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seq4j.util.Checks;
import org.seq4j.util.LayerRuntimes;

/**
 * DL4J's {@link LSTM}, unchanged in its maths, with two M2.1 defects fixed in its runtime:
 * <ul>
 *   <li><b>Feature masks never reach the layer.</b> DL4J's LSTM overrides {@code feedForwardMaskArray} without storing
 *       the mask, and nothing else sets it, so inside a graph an LSTM runs over padding as if it were data. For a
 *       forward LSTM on right-padded batches that only wastes work; inside {@code Bidirectional} the backward direction
 *       starts on the padding and every valid output of a padded sequence is wrong. Here the mask is stored, and
 *       LSTM's own masking applies (state and output zeroed on padded steps).</li>
 *   <li><b>{@code rnnTimeStep} on a stacked graph fails</b> with "Workspace WS_LAYER_ACT_0 for array type INPUT is not
 *       open": the second layer's input is attached to a workspace the graph did not open. Here the input is
 *       detached first (see {@link RecurrentInputs#forTimeStep}).</li>
 * </ul>
 * Parameters, state keys and serialized form are DL4J's LSTM's (plus this class name).
 */
public class Lstm extends LSTM {

    /** For Jackson (model files); use {@link #of(LSTM)}. */
    public Lstm() {
    }

    /** The same configuration as {@code lstm}, with the fixed runtime. */
    public static Lstm of(LSTM lstm) {
        Checks.require(lstm != null, "Lstm.of: lstm must not be null");
        return ConfigCopy.as(lstm, Lstm.class);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        LayerRuntimes.requireSizes("Lstm", getLayerName(), getNIn(), getNOut());
        return LayerRuntimes.wire(new Runtime(conf, networkDataType), conf, initializer(), listeners, layerIndex,
                paramsView, initializeParams);
    }

    /** DL4J's LSTM runtime with the mask stored and time-step inputs detached. */
    public static class Runtime extends org.deeplearning4j.nn.layers.recurrent.LSTM {

        public Runtime(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
                                                              int minibatchSize) {
            this.maskArray = maskArray;
            this.maskState = currentMaskState;
            return super.feedForwardMaskArray(maskArray, currentMaskState, minibatchSize);
        }

        @Override
        public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
            return super.rnnTimeStep(RecurrentInputs.forTimeStep(input), workspaceMgr);
        }
    }
}
