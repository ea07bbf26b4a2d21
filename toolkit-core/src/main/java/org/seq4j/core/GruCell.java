package org.seq4j.core;

import java.util.List;
import java.util.Objects;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.seq4j.layers.GruVariant;

/**
 * Gated recurrent unit (Cho et al. 2014), gate order {@code [r | z | n]} as in cuDNN and PyTorch:
 * <pre>
 *   r  = σ(x·Wr + br + h·Rr + bRr)
 *   z  = σ(x·Wz + bz + h·Rz + bRz)
 *   n  = tanh(x·Wn + bn + r ⊙ (h·Rn + bRn))          RESET_AFTER (default; cuDNN, PyTorch, Keras reset_after)
 *   n  = tanh(x·Wn + bn + (r ⊙ h)·Rn)                RESET_BEFORE (Cho et al. 2014)
 *   h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * Parameters {@code W [nIn,3H]}, {@code RW [H,3H]}, {@code b [1,3H]} and, RESET_AFTER only, {@code rb [1,3H]}
 * (PyTorch's {@code bias_hh}). State {@code [h]}.
 */
public final class GruCell extends RecurrentCell {

    private GruVariant variant = GruVariant.RESET_AFTER;

    public GruCell() {
    }

    public GruCell(GruVariant variant) {
        this.variant = Objects.requireNonNull(variant, "variant");
    }

    public GruVariant getVariant() {
        return variant;
    }

    public void setVariant(GruVariant variant) {
        this.variant = variant;
    }

    private boolean after() {
        return variant == GruVariant.RESET_AFTER;
    }

    @Override
    public String kind() {
        return "gru";
    }

    @Override
    public List<ParamSpec> parameters(long nIn, long h) {
        ParamSpec w = new ParamSpec("W", nIn, 3 * h, ParamSpec.Init.INPUT_WEIGHT);
        ParamSpec rw = new ParamSpec("RW", h, 3 * h, ParamSpec.Init.RECURRENT_WEIGHT);
        ParamSpec b = new ParamSpec("b", 1, 3 * h, ParamSpec.Init.BIAS);
        return after() ? List.of(w, rw, b, new ParamSpec("rb", 1, 3 * h, ParamSpec.Init.ZERO)) : List.of(w, rw, b);
    }

    @Override
    public long projectionWidth(long units) {
        return 3 * units;
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
        final int g = 3 * h;
        final boolean fast = c.fast;
        final double[] b = c.vector("b");
        Mat xp = c.xp;
        Mat hs = c.states[0];
        Mat act = c.perStep("gru.act", g);
        INDArray rw = c.param("RW");
        if (after()) {
            final double[] rb = c.vector("rb");
            Mat rec = c.perStep("gru.rec", g);
            Nd4j.gemm(hs.block(t), rw, rec.block(t), false, false, 1.0, 0.0);
            for (int i = 0; i < mb; i++) {
                int row = c.row(t, i);
                int xo = row * g;
                int ho = row * h;
                int no = (row + mb) * h;
                for (int j = 0; j < h; j++) {
                    double r = Act.SIGMOID.apply(xp.get(xo + j) + b[j] + rec.get(xo + j) + rb[j], fast);
                    double z = Act.SIGMOID.apply(xp.get(xo + h + j) + b[h + j] + rec.get(xo + h + j) + rb[h + j],
                            fast);
                    double hn = rec.get(xo + 2 * h + j) + rb[2 * h + j];
                    double n = Act.TANH.apply(xp.get(xo + 2 * h + j) + b[2 * h + j] + r * hn, fast);
                    double hp = hs.get(ho + j);
                    act.set(xo + j, r);
                    act.set(xo + h + j, z);
                    act.set(xo + 2 * h + j, n);
                    hs.set(no + j, n + z * (hp - n));
                }
            }
        } else {
            INDArray rwGates = rw.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2 * h));
            INDArray rwCand = rw.get(NDArrayIndex.all(), NDArrayIndex.interval(2 * h, 3 * h));
            Mat rec = c.perStep("gru.rec", 2 * h);
            Mat rh = c.perStep("gru.rh", h);
            Mat cand = c.one("gru.cand", h);
            Nd4j.gemm(hs.block(t), rwGates, rec.block(t), false, false, 1.0, 0.0);
            for (int i = 0; i < mb; i++) {
                int row = c.row(t, i);
                int xo = row * g;
                int ro = row * 2 * h;
                int ho = row * h;
                for (int j = 0; j < h; j++) {
                    double r = Act.SIGMOID.apply(xp.get(xo + j) + b[j] + rec.get(ro + j), fast);
                    double z = Act.SIGMOID.apply(xp.get(xo + h + j) + b[h + j] + rec.get(ro + h + j), fast);
                    act.set(xo + j, r);
                    act.set(xo + h + j, z);
                    rh.set(ho + j, r * hs.get(ho + j));
                }
            }
            Nd4j.gemm(rh.block(t), rwCand, cand.arr, false, false, 1.0, 0.0);
            for (int i = 0; i < mb; i++) {
                int row = c.row(t, i);
                int xo = row * g;
                int ho = row * h;
                int no = (row + mb) * h;
                for (int j = 0; j < h; j++) {
                    double n = Act.TANH.apply(xp.get(xo + 2 * h + j) + b[2 * h + j] + cand.get(i * h + j), fast);
                    double z = act.get(xo + h + j);
                    double hp = hs.get(ho + j);
                    act.set(xo + 2 * h + j, n);
                    hs.set(no + j, n + z * (hp - n));
                }
            }
        }
    }

    @Override
    void backward(CellContext c, int t) {
        final int mb = c.mb;
        final int h = c.units;
        final int g = 3 * h;
        Mat hs = c.states[0];
        Mat act = c.perStep("gru.act", g);
        Mat dh = c.dNew[0];
        Mat dPrev = c.dPrev[0];
        Mat dxp = c.dxp;
        INDArray rw = c.param("RW");
        if (after()) {
            final double[] rb = c.vector("rb");
            Mat rec = c.perStep("gru.rec", g);
            Mat drec = c.perStep("gru.drec", g);
            for (int i = 0; i < mb; i++) {
                int row = c.row(t, i);
                int xo = row * g;
                int ho = row * h;
                int di = i * h;
                for (int j = 0; j < h; j++) {
                    double r = act.get(xo + j);
                    double z = act.get(xo + h + j);
                    double n = act.get(xo + 2 * h + j);
                    double hp = hs.get(ho + j);
                    double d = dh.get(di + j);
                    double hn = rec.get(xo + 2 * h + j) + rb[2 * h + j];
                    double dan = d * (1 - z) * (1 - n * n);
                    double daz = d * (hp - n) * z * (1 - z);
                    double dar = dan * hn * r * (1 - r);
                    dPrev.add(di + j, d * z);
                    dxp.set(xo + j, dar);
                    dxp.set(xo + h + j, daz);
                    dxp.set(xo + 2 * h + j, dan);
                    drec.set(xo + j, dar);
                    drec.set(xo + h + j, daz);
                    drec.set(xo + 2 * h + j, dan * r);
                }
            }
            Nd4j.gemm(drec.block(t), rw, dPrev.arr, false, true, 1.0, 1.0);
        } else {
            INDArray rwGates = rw.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2 * h));
            INDArray rwCand = rw.get(NDArrayIndex.all(), NDArrayIndex.interval(2 * h, 3 * h));
            Mat dan = c.perStep("gru.dan", h);
            Mat drh = c.one("gru.drh", h);
            Mat drec = c.perStep("gru.drec", 2 * h);
            for (int i = 0; i < mb; i++) {
                int row = c.row(t, i);
                int xo = row * g;
                int ho = row * h;
                int di = i * h;
                for (int j = 0; j < h; j++) {
                    double z = act.get(xo + h + j);
                    double n = act.get(xo + 2 * h + j);
                    double d = dh.get(di + j);
                    double a = d * (1 - z) * (1 - n * n);
                    dan.set(ho + j, a);
                    dxp.set(xo + 2 * h + j, a);
                }
            }
            Nd4j.gemm(dan.block(t), rwCand, drh.arr, false, true, 1.0, 0.0);     // d(r ⊙ h)
            for (int i = 0; i < mb; i++) {
                int row = c.row(t, i);
                int xo = row * g;
                int ro = row * 2 * h;
                int ho = row * h;
                int di = i * h;
                for (int j = 0; j < h; j++) {
                    double r = act.get(xo + j);
                    double z = act.get(xo + h + j);
                    double n = act.get(xo + 2 * h + j);
                    double hp = hs.get(ho + j);
                    double d = dh.get(di + j);
                    double dr = drh.get(di + j);
                    double dar = dr * hp * r * (1 - r);
                    double daz = d * (hp - n) * z * (1 - z);
                    dPrev.add(di + j, d * z + dr * r);
                    dxp.set(xo + j, dar);
                    dxp.set(xo + h + j, daz);
                    drec.set(ro + j, dar);
                    drec.set(ro + h + j, daz);
                }
            }
            Nd4j.gemm(drec.block(t), rwGates, dPrev.arr, false, true, 1.0, 1.0);
        }
    }

    @Override
    void finishBackward(CellContext c, int first, int last) {
        int h = c.units;
        INDArray hPrev = c.states[0].blocks(first, last);
        INDArray dA = c.dxp.blocks(first, last);
        c.grads.get("b").assign(dA.sum(true, 0));
        INDArray gRW = c.grads.get("RW");
        if (after()) {
            INDArray drec = c.perStep("gru.drec", 3 * h).blocks(first, last);
            gRW.assign(hPrev.transpose().mmul(drec));
            c.grads.get("rb").assign(drec.sum(true, 0));
        } else {
            INDArray drec = c.perStep("gru.drec", 2 * h).blocks(first, last);
            INDArray rh = c.perStep("gru.rh", h).blocks(first, last);
            INDArray dan = c.perStep("gru.dan", h).blocks(first, last);
            gRW.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2 * h)).assign(hPrev.transpose().mmul(drec));
            gRW.get(NDArrayIndex.all(), NDArrayIndex.interval(2 * h, 3 * h)).assign(rh.transpose().mmul(dan));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GruCell other && other.variant == variant;
    }

    @Override
    public int hashCode() {
        return Objects.hash("gru", variant);
    }

    @Override
    public String toString() {
        return "GruCell(" + variant + ")";
    }
}
