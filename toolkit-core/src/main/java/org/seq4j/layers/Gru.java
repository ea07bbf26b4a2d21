package org.seq4j.layers;

import java.util.Objects;

import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.seq4j.core.GruCell;
import org.seq4j.core.Recurrent;
import org.seq4j.core.RecurrentCell;
import org.seq4j.util.Checks;

/**
 * Gated recurrent unit (Cho et al. 2014): a {@link Recurrent} layer with a {@link GruCell}, kept under this name
 * for its builder and for model files that reference {@code org.seq4j.layers.Gru}.
 *
 * <pre>
 *   r  = σ(x_t·Wr + br + h·Rr + bRr)                       reset gate
 *   z  = σ(x_t·Wz + bz + h·Rz + bRz)                       update gate
 *   n  = tanh(x_t·Wn + bn + r ⊙ (h·Rn + bRn))              candidate, {@link GruVariant#RESET_AFTER} (default)
 *   n  = tanh(x_t·Wn + bn + (r ⊙ h)·Rn)                    candidate, {@link GruVariant#RESET_BEFORE}
 *   h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * Parameters in gate order {@code [r | z | n]} as in cuDNN and PyTorch: {@code W [nIn,3H]}, {@code RW [H,3H]},
 * {@code b [1,3H]} and, RESET_AFTER only, {@code rb [1,3H]}. PyTorch's {@code weight_ih_l0} is {@code Wᵀ},
 * {@code weight_hh_l0} is {@code RWᵀ}.
 *
 * <p>Masks ({@code [mb, T]}, 1 = valid) carry the state over padded steps and zero the output there, so a padded
 * sequence gives the same valid-step outputs and final state as the sequence run alone, padded on either side.
 */
public class Gru extends Recurrent {

    private GruVariant variant = GruVariant.RESET_AFTER;
    private IActivation gateActivationFn = new ActivationSigmoid();

    /** For Jackson (model files); use {@link Builder}. */
    public Gru() {
    }

    private Gru(Builder builder) {
        super(builder.cell(new GruCell(builder.variant)).units(builder.nOut()));
        this.variant = builder.variant;
    }

    public GruVariant getVariant() {
        return variant;
    }

    public void setVariant(GruVariant variant) {
        this.variant = variant;
    }

    /** Always sigmoid: the core's GRU computes σ gates and a tanh candidate. Kept for model files. */
    public IActivation getGateActivationFn() {
        return gateActivationFn;
    }

    public void setGateActivationFn(IActivation gateActivationFn) {
        Checks.require(gateActivationFn == null || gateActivationFn instanceof ActivationSigmoid,
                "Gru: the gate activation is sigmoid (got %s)", gateActivationFn);
        this.gateActivationFn = new ActivationSigmoid();
    }

    @Override
    public RecurrentCell getCell() {
        return new GruCell(variant);
    }

    /** The cell follows {@link #getVariant()}; a stored cell is ignored. */
    @Override
    public void setCell(RecurrentCell cell) {
    }

    @Override
    public long getUnits() {
        return getNOut();
    }

    @Override
    public void setUnits(long units) {
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Gru other && super.equals(o) && variant == other.variant;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), variant);
    }

    @Override
    public String toString() {
        return "Gru(name=" + getLayerName() + ", nIn=" + nIn + ", nOut=" + nOut + ", variant=" + variant + ")";
    }

    /** Builder; {@code nOut} is required, {@code nIn} is inferred from the graph's input types when not set. */
    public static class Builder extends Recurrent.Builder {
        private GruVariant variant = GruVariant.RESET_AFTER;

        public Builder() {
            this.activationFn = new ActivationTanH();
        }

        long nOut() {
            return nOut;
        }

        /** Where the reset gate is applied; default {@link GruVariant#RESET_AFTER}. */
        public Builder variant(GruVariant variant) {
            this.variant = variant;
            return this;
        }

        @Override
        public Builder nOut(long nOut) {
            super.nOut(nOut);
            return this;
        }

        @Override
        public Builder nOut(int nOut) {
            super.nOut(nOut);
            return this;
        }

        /** Only sigmoid is accepted (the core's GRU gates); kept so old code reads clearly. */
        public Builder gateActivationFunction(Activation activation) {
            Checks.require(activation == Activation.SIGMOID,
                    "Gru layer %s: the gate activation is sigmoid; %s is not supported",
                    Checks.layerName(layerName), activation);
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Gru build() {
            String name = Checks.layerName(layerName);
            Checks.require(nOut > 0, "Gru layer %s: nOut must be > 0, got %d", name, nOut);
            Checks.require(nIn >= 0, "Gru layer %s: nIn must be > 0 (or unset to infer it), got %d", name, nIn);
            Checks.require(variant != null, "Gru layer %s: variant must not be null", name);
            return new Gru(this);
        }
    }
}
