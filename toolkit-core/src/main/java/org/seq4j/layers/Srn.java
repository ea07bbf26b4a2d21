package org.seq4j.layers;

import java.util.Collection;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seq4j.util.Checks;
import org.seq4j.util.LayerRuntimes;

/**
 * Simple recurrent network (Elman 1990), {@code h_t = act(x_t·W + h_{t−1}·R + b)}: DL4J's {@link SimpleRnn}, unchanged
 * in its maths, with {@code rnnTimeStep} fixed for stacked graphs (see {@link Lstm}).
 *
 * <p>Known DL4J M2.1 limitation, not fixed here: under truncated BPTT, SimpleRnn's backward pass recomputes the
 * segment from a zero state instead of the carried state, so the forward pass (and the loss) use the carried state
 * but the gradient does not. Use GRU or LSTM with TBPTT.
 */
public class Srn extends SimpleRnn {

    /** For Jackson (model files); use {@link #of(SimpleRnn)}. */
    public Srn() {
        super(new SimpleRnn.Builder());   // SimpleRnn's no-arg constructor is private
    }

    /** The same configuration as {@code rnn}, with the fixed runtime. */
    public static Srn of(SimpleRnn rnn) {
        Checks.require(rnn != null, "Srn.of: rnn must not be null");
        return ConfigCopy.as(rnn, Srn.class);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        LayerRuntimes.requireSizes("Srn", getLayerName(), getNIn(), getNOut());
        return LayerRuntimes.wire(new Runtime(conf, networkDataType), conf, initializer(), listeners, layerIndex,
                paramsView, initializeParams);
    }

    /** DL4J's SimpleRnn runtime with time-step inputs detached. */
    public static class Runtime extends org.deeplearning4j.nn.layers.recurrent.SimpleRnn {

        public Runtime(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
            return super.rnnTimeStep(RecurrentInputs.forTimeStep(input), workspaceMgr);
        }
    }
}
