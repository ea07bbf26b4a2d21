package org.seq4j.core;

import java.util.List;
import java.util.Objects;

import org.nd4j.linalg.api.ndarray.INDArray;
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
        final boolean fast = c.fast;
        final double[] b = c.vector("b");
        Mat xp = c.xp;
        Mat hs = c.states[0];
        Mat rec = c.one("srn.rec", h);
        Blas.gemm(hs.block(t), c.param("RW"), rec.arr, false, false, 1.0, 0.0);
        for (int i = 0; i < mb; i++) {
            int row = c.row(t, i);
            int xo = row * h;
            int no = (row + mb) * h;
            for (int j = 0; j < h; j++) {
                hs.set(no + j, activation.apply(xp.get(xo + j) + rec.get(i * h + j) + b[j], fast));
            }
        }
    }

    @Override
    void backward(CellContext c, int t) {
        final int mb = c.mb;
        final int h = c.units;
        Mat hs = c.states[0];
        Mat dh = c.dNew[0];
        Mat dxp = c.dxp;
        for (int i = 0; i < mb; i++) {
            int row = c.row(t, i);
            int xo = row * h;
            int no = (row + mb) * h;
            for (int j = 0; j < h; j++) {
                dxp.set(xo + j, dh.get(i * h + j) * activation.derivative(hs.get(no + j)));
            }
        }
        Blas.gemm(dxp.block(t), c.param("RW"), c.dPrev[0].arr, false, true, 1.0, 1.0);
    }

    @Override
    void finishBackward(CellContext c, int first, int last) {
        INDArray dA = c.dxp.blocks(first, last);
        c.columnSums("b", dA);
        c.gradient("RW", c.states[0].blocks(first, last), dA);
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
