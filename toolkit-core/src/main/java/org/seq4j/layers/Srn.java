package org.seq4j.layers;

import java.util.Collection;
import java.util.Locale;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seq4j.core.Act;
import org.seq4j.core.RecurrentRuntime;
import org.seq4j.core.SrnCell;
import org.seq4j.util.Checks;
import org.seq4j.util.LayerRuntimes;

/**
 * DL4J's {@link SimpleRnn} configuration ({@code h_t = act(x_t·W + h_{t−1}·RW + b)}) run by seq4j's recurrent core
 * with an {@link SrnCell}: kept so that SimpleRnn configurations and model files that reference
 * {@code org.seq4j.layers.Srn} keep working. New code uses {@code new Recurrent.Builder().cell(new SrnCell())}.
 *
 * <p>The core also fixes SimpleRnn's M2.1 truncated-BPTT defect (its backward pass restarted each segment from a
 * zero state). Layer normalisation is not supported.
 */
public class Srn extends SimpleRnn {

    /** For Jackson (model files); use {@link #of(SimpleRnn)}. */
    public Srn() {
        super(new SimpleRnn.Builder());   // SimpleRnn's no-arg constructor is private
    }

    /** The same configuration as {@code rnn}, run by the core. */
    public static Srn of(SimpleRnn rnn) {
        Checks.require(rnn != null, "Srn.of: rnn must not be null");
        return ConfigCopy.as(rnn, Srn.class);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        LayerRuntimes.requireSizes("Srn", getLayerName(), getNIn(), getNOut());
        Checks.require(!hasLayerNorm(), "Srn layer %s: layer normalisation is not supported by the recurrent core",
                Checks.layerName(getLayerName()));
        return LayerRuntimes.wire(new RecurrentRuntime(conf, networkDataType, new SrnCell(act(getActivationFn())),
                getNOut()), conf, initializer(), listeners, layerIndex, paramsView, initializeParams);
    }

    private Act act(IActivation fn) {
        String name = fn == null ? "tanh" : fn.getClass().getSimpleName().replace("Activation", "")
                .toLowerCase(Locale.ROOT);
        if (name.equals("relu") || name.equals("tanh") || name.equals("sigmoid") || name.equals("identity")) {
            return Act.parse(name);
        }
        throw new IllegalArgumentException("Srn layer " + Checks.layerName(getLayerName()) + ": activation " + fn
                + " is not supported by the recurrent core (tanh, relu, sigmoid or identity)");
    }
}
