package org.seq4j.core;

import java.util.List;
import java.util.Objects;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Long short-term memory with a forget gate (Hochreiter and Schmidhuber 1997; Gers et al. 2000), in DL4J's
 * parameter layout so that DL4J {@code LSTM} weights and seq4j model files load unchanged. Gate blocks
 * {@code [g | f | o | i]} (DL4J's order; PyTorch's is {@code [i | f | g | o]}, see {@code WeightImport}):
 * <pre>
 *   g = tanh(x·Wg + h·Rg + bg)      block input
 *   f = σ(x·Wf + h·Rf + bf)         forget gate (bias initialised to {@link #getForgetBias()}, default 1)
 *   o = σ(x·Wo + h·Ro + bo)         output gate
 *   i = σ(x·Wi + h·Ri + bi)         input gate
 *   c' = f ⊙ c + i ⊙ g
 *   h' = o ⊙ tanh(c')
 * </pre>
 * Parameters {@code W [nIn,4H]}, {@code RW [H,4H]}, {@code b [1,4H]}; state {@code [h, c]}, output h. No
 * peepholes.
 */
public final class LstmCell extends RecurrentCell {

    private double forgetBias = 1.0;

    public LstmCell() {
    }

    public LstmCell(double forgetBias) {
        this.forgetBias = forgetBias;
    }

    public double getForgetBias() {
        return forgetBias;
    }

    public void setForgetBias(double forgetBias) {
        this.forgetBias = forgetBias;
    }

    @Override
    public String kind() {
        return "lstm";
    }

    @Override
    public List<ParamSpec> parameters(long nIn, long h) {
        return List.of(new ParamSpec("W", nIn, 4 * h, ParamSpec.Init.INPUT_WEIGHT),
                new ParamSpec("RW", h, 4 * h, ParamSpec.Init.RECURRENT_WEIGHT),
                new ParamSpec("b", 1, 4 * h, ParamSpec.Init.CELL));
    }

    @Override
    public void initParam(ParamSpec spec, INDArray view, double biasInit) {
        long h = spec.cols() / 4;
        view.assign(biasInit);
        view.get(NDArrayIndex.all(), NDArrayIndex.interval(h, 2 * h)).assign(forgetBias);
    }

    @Override
    public long projectionWidth(long units) {
        return 4 * units;
    }

    @Override
    public long[] stateSizes(long units) {
        return new long[] {units, units};
    }

    @Override
    public String[] stateKeys() {
        return new String[] {"prevAct", "prevMem"};
    }

    @Override
    void forward(CellContext c, int t) {
        final int mb = c.mb;
        final int h = c.units;
        final int g4 = 4 * h;
        final boolean fast = c.fast;
        final double[] b = c.vector("b");
        Mat xp = c.xp;
        Mat hs = c.states[0];
        Mat cs = c.states[1];
        Mat act = c.perStep("lstm.act", g4);
        Mat tc = c.perStep("lstm.tanhc", h);
        Mat rec = c.one("lstm.rec", g4);
        Blas.gemm(hs.block(t), c.param("RW"), rec.arr, false, false, 1.0, 0.0);
        for (int i = 0; i < mb; i++) {
            int row = c.row(t, i);
            int xo = row * g4;
            int ri = i * g4;
            int ho = row * h;
            int no = (row + mb) * h;
            for (int j = 0; j < h; j++) {
                double gg = Act.TANH.apply(xp.get(xo + j) + rec.get(ri + j) + b[j], fast);
                double f = Act.SIGMOID.apply(xp.get(xo + h + j) + rec.get(ri + h + j) + b[h + j], fast);
                double o = Act.SIGMOID.apply(xp.get(xo + 2 * h + j) + rec.get(ri + 2 * h + j) + b[2 * h + j], fast);
                double in = Act.SIGMOID.apply(xp.get(xo + 3 * h + j) + rec.get(ri + 3 * h + j) + b[3 * h + j], fast);
                double cell = f * cs.get(ho + j) + in * gg;
                double th = Act.TANH.apply(cell, fast);
                act.set(xo + j, gg);
                act.set(xo + h + j, f);
                act.set(xo + 2 * h + j, o);
                act.set(xo + 3 * h + j, in);
                tc.set(ho + j, th);
                cs.set(no + j, cell);
                hs.set(no + j, o * th);
            }
        }
    }

    @Override
    void backward(CellContext c, int t) {
        final int mb = c.mb;
        final int h = c.units;
        final int g4 = 4 * h;
        Mat cs = c.states[1];
        Mat act = c.perStep("lstm.act", g4);
        Mat tc = c.perStep("lstm.tanhc", h);
        Mat dh = c.dNew[0];
        Mat dc = c.dNew[1];
        Mat dhPrev = c.dPrev[0];
        Mat dcPrev = c.dPrev[1];
        Mat dxp = c.dxp;
        for (int i = 0; i < mb; i++) {
            int row = c.row(t, i);
            int xo = row * g4;
            int ho = row * h;
            int di = i * h;
            for (int j = 0; j < h; j++) {
                double gg = act.get(xo + j);
                double f = act.get(xo + h + j);
                double o = act.get(xo + 2 * h + j);
                double in = act.get(xo + 3 * h + j);
                double th = tc.get(ho + j);
                double dhv = dh.get(di + j);
                double dcv = dc.get(di + j) + dhv * o * (1 - th * th);
                dcPrev.add(di + j, dcv * f);
                dxp.set(xo + j, dcv * in * (1 - gg * gg));
                dxp.set(xo + h + j, dcv * cs.get(ho + j) * f * (1 - f));
                dxp.set(xo + 2 * h + j, dhv * th * o * (1 - o));
                dxp.set(xo + 3 * h + j, dcv * gg * in * (1 - in));
            }
        }
        Blas.gemm(dxp.block(t), c.param("RW"), dhPrev.arr, false, true, 1.0, 1.0);
    }

    @Override
    void finishBackward(CellContext c, int first, int last) {
        INDArray dA = c.dxp.blocks(first, last);
        c.columnSums("b", dA);
        c.gradient("RW", c.states[0].blocks(first, last), dA);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LstmCell other && other.forgetBias == forgetBias;
    }

    @Override
    public int hashCode() {
        return Objects.hash("lstm", forgetBias);
    }

    @Override
    public String toString() {
        return "LstmCell(forgetBias=" + forgetBias + ")";
    }
}
