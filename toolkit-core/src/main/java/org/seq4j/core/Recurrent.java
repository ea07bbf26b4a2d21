package org.seq4j.core;

import java.util.Collection;
import java.util.Objects;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seq4j.util.Checks;
import org.seq4j.util.LayerRuntimes;

/**
 * A recurrent layer of any {@link RecurrentCell} on DL4J's recurrent-layer API, run by the one recurrent core
 * ({@link RecurrentRuntime}): it works inside DL4J's {@code Bidirectional} (all four modes), with masks,
 * {@code rnnTimeStep}, truncated BPTT, dropout and {@code ModelSerializer}, the same way for every cell.
 *
 * <pre>{@code
 * new Recurrent.Builder().cell(new LstmCell()).units(128).build()
 * new Recurrent.Builder().cell(new ScrnCell(40, 0.95, false)).units(100).build()   // output size 140
 * }</pre>
 * {@code units} is the cell's hidden size H; the output size ({@code nOut}) is the cell's
 * {@link RecurrentCell#outputSize}, H for every cell but SCRN ({@code H + C}).
 */
public class Recurrent extends BaseRecurrentLayer {

    private RecurrentCell cell;
    private long units;
    private double recurrentDropout;

    /** For Jackson (model files); use {@link Builder}. */
    public Recurrent() {
    }

    protected Recurrent(Builder builder) {
        super(builder);
        this.cell = builder.cell;
        this.units = builder.units;
        this.recurrentDropout = builder.recurrentDropout;
        this.nOut = cell.outputSize(units);
        initializeConstraints(builder);
    }

    public RecurrentCell getCell() {
        return cell;
    }

    public void setCell(RecurrentCell cell) {
        this.cell = cell;
    }

    public long getUnits() {
        return units;
    }

    public void setUnits(long units) {
        this.units = units;
    }

    /** Probability of dropping each unit of the recurrent input (variational: one mask per sequence); 0 = off. */
    public double getRecurrentDropout() {
        return recurrentDropout;
    }

    public void setRecurrentDropout(double recurrentDropout) {
        this.recurrentDropout = recurrentDropout;
    }

    /** A short name for messages: the layer's kind and name. */
    protected String describe() {
        return (getCell() == null ? "recurrent" : getCell().kind()) + " layer " + Checks.layerName(getLayerName());
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        requireRecurrent(inputType);
        long size = ((InputType.InputTypeRecurrent) inputType).getSize();
        Checks.require(nIn <= 0 || nIn == size,
                "%s: nIn is set to %d but its input has %d features (input type %s). "
                        + "Remove nIn(...) to infer it, or fix the layer below.", describe(), nIn, size, inputType);
        super.setNIn(inputType, override);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        requireRecurrent(inputType);
        return super.getOutputType(layerIndex, inputType);
    }

    private void requireRecurrent(InputType inputType) {
        Checks.require(inputType != null && inputType.getType() == InputType.Type.RNN,
                "%s: expected a recurrent input [mb, features, T] (InputType.recurrent), got %s", describe(),
                inputType);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        RecurrentCell c = getCell();
        Checks.require(c != null, "Recurrent layer %s: no cell set", Checks.layerName(getLayerName()));
        LayerRuntimes.requireSizes(c.kind(), getLayerName(), nIn, getUnits());
        c.validate(Checks.layerName(getLayerName()), nIn, getUnits());
        Checks.require(recurrentDropout >= 0 && recurrentDropout < 1, "%s: recurrentDropout must be in [0, 1), got %s",
                describe(), recurrentDropout);
        return LayerRuntimes.wire(new RecurrentRuntime(conf, networkDataType, c, getUnits(), recurrentDropout), conf,
                initializer(),
                listeners, layerIndex, paramsView, initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return CellParams.INSTANCE;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType out = getOutputType(-1, inputType);
        long params = initializer().numParams(this);
        long updaterState = (long) getIUpdater().stateSize(params);
        return new LayerMemoryReport.Builder(getLayerName(), getClass(), inputType, out)
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
        if (!(o instanceof Recurrent) || !super.equals(o)) {
            return false;
        }
        Recurrent other = (Recurrent) o;
        return getUnits() == other.getUnits() && Objects.equals(getCell(), other.getCell())
                && recurrentDropout == other.recurrentDropout;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), getUnits(), getCell(), recurrentDropout);
    }

    @Override
    public String toString() {
        return "Recurrent(name=" + getLayerName() + ", " + getCell() + ", nIn=" + nIn + ", units=" + getUnits() + ")";
    }

    /** Builder: {@code cell} and {@code units} are required; {@code nIn} is inferred from the graph's input types. */
    public static class Builder extends BaseRecurrentLayer.Builder<Builder> {
        private RecurrentCell cell;
        private long units;
        private double recurrentDropout;

        /**
         * Variational dropout of the recurrent input (Gal and Ghahramani 2016): in training, each unit of the state
         * that enters the recurrent weights (h; y for Jordan) is dropped with probability {@code p}, with one mask
         * per sequence for all its steps. Input dropout is DL4J's {@code dropOut(...)}.
         */
        public Builder recurrentDropout(double p) {
            this.recurrentDropout = p;
            return this;
        }

        public Builder cell(RecurrentCell cell) {
            this.cell = cell;
            return this;
        }

        /** Hidden units H of the cell. */
        public Builder units(long units) {
            this.units = units;
            return this;
        }

        /** Hidden units H of the cell (DL4J's {@code units(int)} would set nOut, which the cell derives). */
        @Override
        public Builder units(int units) {
            this.units = units;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Recurrent build() {
            String name = Checks.layerName(layerName);
            Checks.require(cell != null, "Recurrent layer %s: cell must be set (LstmCell, GruCell, SrnCell, "
                    + "ScrnCell, JordanCell)", name);
            Checks.require(units > 0, "%s layer %s: units must be > 0, got %d", cell.kind(), name, units);
            Checks.require(nIn >= 0, "%s layer %s: nIn must be > 0 (or unset to infer it), got %d", cell.kind(),
                    name, nIn);
            cell.validate(name, nIn, units);
            Checks.require(recurrentDropout >= 0 && recurrentDropout < 1,
                    "%s layer %s: recurrentDropout must be in [0, 1), got %s", cell.kind(), name, recurrentDropout);
            return new Recurrent(this);
        }
    }
}
