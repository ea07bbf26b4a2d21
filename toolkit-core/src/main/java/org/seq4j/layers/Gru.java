package org.seq4j.layers;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seq4j.util.Checks;
import org.seq4j.util.LayerRuntimes;

/**
 * Gated recurrent unit (Cho et al. 2014) on DL4J's own recurrent-layer API, so it works wherever DL4J's
 * {@code LSTM} does: inside {@code Bidirectional} (all modes), with {@code rnnTimeStep}/{@code rnnClearPreviousState},
 * truncated BPTT, masks, and {@code ModelSerializer}.
 *
 * <p>For input {@code x_t} (row vector of size nIn) and previous state {@code h} (size H = nOut):
 * <pre>
 *   r  = σ(x_t·Wr + br + h·Rr + bRr)                       reset gate
 *   z  = σ(x_t·Wz + bz + h·Rz + bRz)                       update gate
 *   n  = act(x_t·Wn + bn + r ⊙ (h·Rn + bRn))               candidate, {@link GruVariant#RESET_AFTER} (default)
 *   n  = act(x_t·Wn + bn + (r ⊙ h)·Rn)                     candidate, {@link GruVariant#RESET_BEFORE}
 *   h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * σ is the gate activation (default sigmoid) and act the activation (default tanh).
 *
 * <p>Parameters, packed in gate order {@code [r | z | n]} as in cuDNN and PyTorch:
 * <ul>
 *   <li>{@code W}  {@code [nIn, 3H]}: input weights {@code [Wr | Wz | Wn]}</li>
 *   <li>{@code RW} {@code [H, 3H]}: recurrent weights {@code [Rr | Rz | Rn]}</li>
 *   <li>{@code b}  {@code [1, 3H]}: input bias {@code [br | bz | bn]}</li>
 *   <li>{@code rb} {@code [1, 3H]}: recurrent bias {@code [bRr | bRz | bRn]}, {@link GruVariant#RESET_AFTER} only
 *       (PyTorch's {@code bias_hh}; its r and z parts are redundant with {@code b}, kept for weight import)</li>
 * </ul>
 * PyTorch's {@code weight_ih_l0} is {@code Wᵀ}, {@code weight_hh_l0} is {@code RWᵀ}.
 *
 * <p>Masks ({@code [mb, T]}, 1 = valid) carry the state over padded steps, {@code h_t = m·h'_t + (1 − m)·h_{t−1}}, and
 * zero the output there. A padded sequence therefore gives the same valid-step outputs and the same final state as the
 * sequence run alone, whether it is padded on the right or (as {@code Bidirectional} sees it) on the left.
 *
 * <p>Input and output use DL4J's NCW layout {@code [mb, features, T]} unless {@code dataFormat(NWC)} is set.
 */
public class Gru extends BaseRecurrentLayer {

    private GruVariant variant = GruVariant.RESET_AFTER;
    private IActivation gateActivationFn = new ActivationSigmoid();

    /** For Jackson (model files); use {@link Builder}. */
    public Gru() {
    }

    private Gru(Builder builder) {
        super(builder);
        this.variant = builder.variant;
        this.gateActivationFn = builder.gateActivationFn;
        initializeConstraints(builder);
    }

    public GruVariant getVariant() {
        return variant;
    }

    public void setVariant(GruVariant variant) {
        this.variant = variant;
    }

    public IActivation getGateActivationFn() {
        return gateActivationFn;
    }

    public void setGateActivationFn(IActivation gateActivationFn) {
        this.gateActivationFn = gateActivationFn;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        requireRecurrent(inputType);
        long size = ((InputType.InputTypeRecurrent) inputType).getSize();
        Checks.require(nIn <= 0 || nIn == size,
                "Gru layer %s: nIn is set to %d but its input has %d features (input type %s). "
                        + "Remove nIn(...) to infer it, or fix the layer below.",
                Checks.layerName(getLayerName()), nIn, size, inputType);
        super.setNIn(inputType, override);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        requireRecurrent(inputType);
        return super.getOutputType(layerIndex, inputType);
    }

    private void requireRecurrent(InputType inputType) {
        Checks.require(inputType != null && inputType.getType() == InputType.Type.RNN,
                "Gru layer %s: expected a recurrent input [mb, features, T] (InputType.recurrent), got %s",
                Checks.layerName(getLayerName()), inputType);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        LayerRuntimes.requireSizes("Gru", getLayerName(), nIn, nOut);
        Checks.require(variant != null, "Gru layer %s: variant must not be null", Checks.layerName(getLayerName()));
        return LayerRuntimes.wire(new GruImpl(conf, networkDataType), conf, initializer(), listeners, layerIndex,
                paramsView, initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return GruParams.INSTANCE;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType out = getOutputType(-1, inputType);
        long params = initializer().numParams(this);
        long updaterState = (long) getIUpdater().stateSize(params);
        return new LayerMemoryReport.Builder(getLayerName(), Gru.class, inputType, out)
                .standardMemory(params, updaterState)
                .workingMemory(0, 0, 0, 0)
                .cacheMemory(0, 0)
                .build();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Gru) || !super.equals(o)) {
            return false;
        }
        Gru other = (Gru) o;
        return variant == other.variant && Objects.equals(gateActivationFn, other.gateActivationFn);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), variant, gateActivationFn);
    }

    @Override
    public String toString() {
        return "Gru(name=" + getLayerName() + ", nIn=" + nIn + ", nOut=" + nOut + ", variant=" + variant + ")";
    }

    /** Builder; {@code nOut} is required, {@code nIn} is inferred from the graph's input types when not set. */
    public static class Builder extends BaseRecurrentLayer.Builder<Builder> {
        private GruVariant variant = GruVariant.RESET_AFTER;
        private IActivation gateActivationFn = new ActivationSigmoid();

        public Builder() {
            this.activationFn = new ActivationTanH();
        }

        /** Where the reset gate is applied; default {@link GruVariant#RESET_AFTER}. */
        public Builder variant(GruVariant variant) {
            this.variant = variant;
            return this;
        }

        /** Activation of the r and z gates; default sigmoid. */
        public Builder gateActivationFunction(Activation activation) {
            this.gateActivationFn = activation.getActivationFunction();
            return this;
        }

        /** Activation of the r and z gates; default sigmoid. */
        public Builder gateActivationFunction(IActivation activation) {
            this.gateActivationFn = activation;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Gru build() {
            String name = Checks.layerName(layerName);
            Checks.require(nOut > 0, "Gru layer %s: nOut must be > 0, got %d", name, nOut);
            Checks.require(nIn >= 0, "Gru layer %s: nIn must be > 0 (or unset to infer it), got %d", name, nIn);
            Checks.require(variant != null, "Gru layer %s: variant must not be null", name);
            Checks.require(gateActivationFn != null, "Gru layer %s: gate activation must not be null", name);
            return new Gru(this);
        }
    }
}
