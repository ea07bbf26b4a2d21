package org.seq4j.core;

import java.util.List;
import java.util.Objects;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seq4j.util.Checks;

/**
 * Jordan network (Jordan 1986): the previous <em>output</em>, not the hidden state, is fed back.
 * <pre>
 *   a  = hiddenAct(x·W + y·RW + b)        hidden, K units (hiddenUnits; default = units)
 *   y' = outputAct(a·V + vb)              output and state, H units
 * </pre>
 * Parameters {@code W [nIn,K]}, {@code RW [H,K]}, {@code b [1,K]}, {@code V [K,H]}, {@code vb [1,H]}; state
 * {@code [y]}.
 *
 * <p>Free-running in this layer: {@code y_{t−1}} is the layer's own previous output in training and at inference,
 * and training backpropagates through the feedback (exact BPTT). The teacher-forced form of Jordan's training
 * (the <em>target</em> {@code y*_{t−1}} fed back) needs no recurrence at all: it is a feed-forward layer over
 * {@code [x_t ; y*_{t−1}]}, which is how seq4j's tasks already feed previous targets to every cell (language
 * models and decoders read the shifted target sequence as input). See {@code docs/layers.md}.
 */
public final class JordanCell extends RecurrentCell {

    private long hiddenUnits;
    private Act hiddenActivation = Act.TANH;
    private Act outputActivation = Act.TANH;

    public JordanCell() {
    }

    public JordanCell(long hiddenUnits, Act hiddenActivation, Act outputActivation) {
        this.hiddenUnits = hiddenUnits;
        this.hiddenActivation = Objects.requireNonNull(hiddenActivation, "hiddenActivation");
        this.outputActivation = Objects.requireNonNull(outputActivation, "outputActivation");
    }

    public long getHiddenUnits() {
        return hiddenUnits;
    }

    public void setHiddenUnits(long hiddenUnits) {
        this.hiddenUnits = hiddenUnits;
    }

    public Act getHiddenActivation() {
        return hiddenActivation;
    }

    public void setHiddenActivation(Act hiddenActivation) {
        this.hiddenActivation = hiddenActivation;
    }

    public Act getOutputActivation() {
        return outputActivation;
    }

    public void setOutputActivation(Act outputActivation) {
        this.outputActivation = outputActivation;
    }

    private long hidden(long units) {
        return hiddenUnits > 0 ? hiddenUnits : units;
    }

    @Override
    public String kind() {
        return "jordan";
    }

    @Override
    public void validate(String layerName, long nIn, long units) {
        Checks.require(hiddenUnits >= 0, "jordan layer %s: hiddenUnits must be >= 0 (0 = units), got %d", layerName,
                hiddenUnits);
    }

    @Override
    public List<ParamSpec> parameters(long nIn, long h) {
        long k = hidden(h);
        return List.of(new ParamSpec("W", nIn, k, ParamSpec.Init.INPUT_WEIGHT),
                new ParamSpec("RW", h, k, ParamSpec.Init.RECURRENT_WEIGHT),
                new ParamSpec("b", 1, k, ParamSpec.Init.BIAS),
                new ParamSpec("V", k, h, ParamSpec.Init.INPUT_WEIGHT),
                new ParamSpec("vb", 1, h, ParamSpec.Init.BIAS));
    }

    @Override
    public long projectionWidth(long units) {
        return hidden(units);
    }

    @Override
    public long[] stateSizes(long units) {
        return new long[] {units};
    }

    @Override
    public String[] stateKeys() {
        return new String[] {"prevAct"};
    }

    @Override
    void forward(CellContext c, int t) {
        final int mb = c.mb;
        final int h = c.units;
        final int k = (int) hidden(h);
        final double[] b = c.vector("b");
        final double[] vb = c.vector("vb");
        Mat a = c.perStep("jordan.a", k);
        Mat rec = c.one("jordan.rec", k);
        Mat z = c.one("jordan.z", h);
        c.weight("RW").multiply(c.recurrentInput(t), rec.arr, false);
        double[] x = c.xp.readBlock(t, c.buf("jordan.x", mb * k));
        double[] r = rec.readBlock(0, c.buf("jordan.r", mb * k));
        for (int i = 0; i < mb; i++) {
            int o = i * k;
            for (int j = 0; j < k; j++) {
                x[o + j] += r[o + j] + b[j];
            }
        }
        Kernels.apply(hiddenActivation, x, 0, mb * k, c.fast);
        a.writeBlock(t, x);
        c.weight("V").multiply(a.block(t), z.arr, false);
        double[] y = z.readBlock(0, c.buf("jordan.y", mb * h));
        for (int i = 0; i < mb; i++) {
            int o = i * h;
            for (int j = 0; j < h; j++) {
                y[o + j] += vb[j];
            }
        }
        Kernels.apply(outputActivation, y, 0, mb * h, c.fast);
        c.states[0].writeBlock(t + 1, y);
    }

    @Override
    void backward(CellContext c, int t) {
        final int mb = c.mb;
        final int h = c.units;
        final int k = (int) hidden(h);
        Mat dz = c.perStep("jordan.dz", h);
        Mat da = c.one("jordan.da", k);
        double[] dzv = c.dNew[0].readBlock(0, c.buf("jordan.dz", mb * h));
        double[] y = c.states[0].readBlock(t + 1, c.buf("jordan.y", mb * h));
        Kernels.timesDerivative(outputActivation, dzv, 0, y, 0, mb * h);
        dz.writeBlock(t, dzv);
        c.transposed("V").multiply(dz.block(t), da.arr, false);
        double[] dav = da.readBlock(0, c.buf("jordan.da", mb * k));
        double[] av = c.perStep("jordan.a", k).readBlock(t, c.buf("jordan.x", mb * k));
        Kernels.timesDerivative(hiddenActivation, dav, 0, av, 0, mb * k);
        c.dxp.writeBlock(t, dav);
        c.backThroughRecurrentWeights(t);
    }

    @Override
    void finishBackward(CellContext c, int first, int last) {
        int k = (int) hidden(c.units);
        INDArray dz = c.perStep("jordan.dz", c.units).blocks(first, last);
        c.biasAndRecurrentWeightGradients(first, last);
        c.gradient("V", c.perStep("jordan.a", k).blocks(first, last), dz);
        c.columnSums("vb", dz);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JordanCell other && other.hiddenUnits == hiddenUnits
                && other.hiddenActivation == hiddenActivation && other.outputActivation == outputActivation;
    }

    @Override
    public int hashCode() {
        return Objects.hash("jordan", hiddenUnits, hiddenActivation, outputActivation);
    }

    @Override
    public String toString() {
        return "JordanCell(hidden=" + hiddenUnits + ", " + hiddenActivation + " -> " + outputActivation + ")";
    }
}
