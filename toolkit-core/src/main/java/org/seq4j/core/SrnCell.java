package org.seq4j.core;

import java.util.List;
import java.util.Objects;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Simple recurrent network (Elman 1990): {@code h' = act(x·W + h·RW + b)}, act tanh (default) or ReLU (or sigmoid,
 * identity). Parameters {@code W [nIn,H]}, {@code RW [H,H]}, {@code b [1,H]} (DL4J {@code SimpleRnn}'s layout);
 * state {@code [h]}.
 */
public final class SrnCell extends RecurrentCell {

    private Act activation = Act.TANH;

    public SrnCell() {
    }

    public SrnCell(Act activation) {
        this.activation = Objects.requireNonNull(activation, "activation");
    }

    public Act getActivation() {
        return activation;
    }

    public void setActivation(Act activation) {
        this.activation = activation;
    }

    @Override
    public String kind() {
        return "srn";
    }

    @Override
    public List<ParamSpec> parameters(long nIn, long h) {
        return List.of(new ParamSpec("W", nIn, h, ParamSpec.Init.INPUT_WEIGHT),
                new ParamSpec("RW", h, h, ParamSpec.Init.RECURRENT_WEIGHT),
                new ParamSpec("b", 1, h, ParamSpec.Init.BIAS));
    }

    @Override
    public long projectionWidth(long units) {
        return units;
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
        if (c.fast) {
            forwardFloat(c, t);
            return;
        }
        final double[] b = c.vector("b");
        Mat hs = c.states[0];
        Mat rec = c.one("srn.rec", h);
        c.weight("RW").multiply(c.recurrentInput(t), rec.arr, false);
        double[] x = c.xp.readBlock(t, c.buf("srn.x", mb * h));
        double[] r = rec.readBlock(0, c.buf("srn.r", mb * h));
        for (int i = 0; i < mb; i++) {
            int o = i * h;
            for (int j = 0; j < h; j++) {
                x[o + j] += r[o + j] + b[j];
            }
        }
        Kernels.apply(activation, x, 0, mb * h, false);   // c.fast took the float form above
        hs.writeBlock(t + 1, x);
    }

    /** {@link #forward} in single precision, on float work arrays (see {@code LstmCell.forwardFloat}). */
    private void forwardFloat(CellContext c, int t) {
        final int mb = c.mb;
        final int h = c.units;
        final float[] b = c.floatVector("b");
        float[] r = c.recurrentProduct("RW", h, "srn.rec", t);
        float[] x = c.xp.readBlock(t, c.floatBuf("srn.x", mb * h));
        for (int i = 0; i < mb; i++) {
            int o = i * h;
            for (int j = 0; j < h; j++) {
                x[o + j] = x[o + j] + r[o + j] + b[j];
            }
        }
        Kernels.apply(activation, x, 0, mb * h);
        c.states[0].writeBlock(t + 1, x);
    }

    @Override
    void backward(CellContext c, int t) {
        final int n = c.mb * c.units;
        if (c.fast) {
            float[] d = c.dNew[0].readBlock(0, c.floatBuf("srn.d", n));
            float[] y = c.states[0].readBlock(t + 1, c.floatBuf("srn.y", n));
            Kernels.timesDerivative(activation, d, 0, y, 0, n);
            c.dxp.writeBlock(t, d);
            c.backThroughRecurrentWeights(t);
            return;
        }
        double[] d = c.dNew[0].readBlock(0, c.buf("srn.d", n));
        double[] y = c.states[0].readBlock(t + 1, c.buf("srn.y", n));
        Kernels.timesDerivative(activation, d, 0, y, 0, n);
        c.dxp.writeBlock(t, d);
        c.backThroughRecurrentWeights(t);
    }

    @Override
    void finishBackward(CellContext c, int first, int last) {
        c.biasAndRecurrentWeightGradients(first, last);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SrnCell other && other.activation == activation;
    }

    @Override
    public int hashCode() {
        return Objects.hash("srn", activation);
    }

    @Override
    public String toString() {
        return "SrnCell(" + activation + ")";
    }
}
