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
    void prepare(CellContext c) {
        if (after()) {
            // r and z see b + rb together
            double[] b = c.vector("b");
            double[] rb = c.vector("rb");
            double[] both = new double[b.length];
            for (int k = 0; k < b.length; k++) {
                both[k] = b[k] + rb[k];
            }
            c.aux = both;
        }
    }

    @Override
    void forward(CellContext c, int t) {
        if (c.fast && after()) {
            forwardFloat(c, t);
            return;
        }
        final int mb = c.mb;
        final int h = c.units;
        final int g = 3 * h;
        final boolean fast = c.fast;
        final double[] b = c.vector("b");
        Mat hs = c.states[0];
        Mat act = c.perStep("gru.act", g);
        double[] x = c.xp.readBlock(t, c.buf("gru.x", mb * g));
        double[] hp = hs.readBlock(t, c.buf("gru.hp", mb * h));
        double[] a = c.buf("gru.a", mb * g);
        double[] hn = c.buf("gru.hn", mb * h);
        if (after()) {
            final double[] rb = c.vector("rb");
            final double[] brz = c.aux;
            Mat rec = c.perStep("gru.rec", g);
            c.weight("RW").multiply(c.recurrentInput(t), rec.block(t), false);
            double[] r = rec.readBlock(t, c.buf("gru.r", mb * g));
            for (int i = 0; i < mb; i++) {
                int o = i * g;
                for (int j = 0; j < 2 * h; j++) {
                    a[o + j] = x[o + j] + r[o + j] + brz[j];
                }
                Kernels.sigmoid(a, o, 2 * h, fast);
                int n = o + 2 * h;
                for (int j = 0; j < h; j++) {
                    a[n + j] = x[n + j] + b[2 * h + j] + a[o + j] * (r[n + j] + rb[2 * h + j]);
                }
                Kernels.tanh(a, n, h, fast);
                int q = i * h;
                for (int j = 0; j < h; j++) {
                    hn[q + j] = a[n + j] + a[o + h + j] * (hp[q + j] - a[n + j]);
                }
            }
        } else {
            Mat rec = c.perStep("gru.rec", 2 * h);
            Mat rh = c.perStep("gru.rh", h);
            Mat cand = c.one("gru.cand", h);
            c.weight("RW", 0, 2 * h, false).multiply(c.recurrentInput(t), rec.block(t), false);
            double[] hd = c.recMask == null ? hp : c.recurrentValues(t, c.buf("gru.hd", mb * h));
            double[] r = rec.readBlock(t, c.buf("gru.r", mb * 2 * h));
            double[] rhv = c.buf("gru.rhv", mb * h);
            for (int i = 0; i < mb; i++) {
                int o = i * g;
                int ro = i * 2 * h;
                for (int j = 0; j < 2 * h; j++) {
                    a[o + j] = x[o + j] + r[ro + j] + b[j];
                }
                Kernels.sigmoid(a, o, 2 * h, fast);
                int q = i * h;
                for (int j = 0; j < h; j++) {
                    rhv[q + j] = a[o + j] * hd[q + j];
                }
            }
            rh.writeBlock(t, rhv);
            c.weight("RW", 2 * h, 3 * h, false).multiply(rh.block(t), cand.arr, false);
            double[] cv = cand.readBlock(0, c.buf("gru.cv", mb * h));
            for (int i = 0; i < mb; i++) {
                int o = i * g;
                int n = o + 2 * h;
                int q = i * h;
                for (int j = 0; j < h; j++) {
                    a[n + j] = x[n + j] + b[2 * h + j] + cv[q + j];
                }
                Kernels.tanh(a, n, h, fast);
                for (int j = 0; j < h; j++) {
                    hn[q + j] = a[n + j] + a[o + h + j] * (hp[q + j] - a[n + j]);
                }
            }
        }
        if (c.keep) {
            act.writeBlock(t, a);
        }
        hs.writeBlock(t + 1, hn);
    }

    /**
     * {@link #forward} of the reset-after variant in single precision, on float work arrays (see
     * {@code LstmCell.forwardFloat}); the same equations in the same order.
     */
    private void forwardFloat(CellContext c, int t) {
        final int mb = c.mb;
        final int h = c.units;
        final int g = 3 * h;
        final float[] b = c.floatVector("b");
        final float[] rb = c.floatVector("rb");
        final float[] brz = c.floatBuf("gru.brz", 2 * h);
        for (int j = 0; j < 2 * h; j++) {
            brz[j] = (float) c.aux[j];
        }
        float[] r = c.recurrentProduct("RW", g, "gru.rec1", t);
        if (c.keep) {
            c.perStep("gru.rec", g).writeBlock(t, r);   // the backward pass reads the recurrent candidate part
        }
        float[] a = c.xp.readBlock(t, c.floatBuf("gru.a", mb * g));   // x, then the activations in place
        float[] hp = c.states[0].readBlock(t, c.floatBuf("gru.hp", mb * h));
        float[] hn = c.floatBuf("gru.hn", mb * h);
        for (int i = 0; i < mb; i++) {
            FloatRows.gate(a, r, i * g, brz, 0, 2 * h, true);   // reset and update gates
            FloatRows.gruCandidate(a, r, i * g, h, b, rb, hp, hn, i * h);
        }
        if (c.keep) {
            c.perStep("gru.act", g).writeBlock(t, a);
        }
        c.states[0].writeBlock(t + 1, hn);
    }

    /** {@link #backward} of the reset-after variant in single precision (see {@link #forwardFloat}). */
    private void backwardFloat(CellContext c, int t) {
        final int mb = c.mb;
        final int h = c.units;
        final int g = 3 * h;
        final float[] rb = c.floatVector("rb");
        float[] a = c.perStep("gru.act", g).readBlock(t, c.floatBuf("gru.a", mb * g));
        float[] hp = c.states[0].readBlock(t, c.floatBuf("gru.hp", mb * h));
        float[] d = c.dNew[0].readBlock(0, c.floatBuf("gru.d", mb * h));
        float[] p = c.dPrev[0].readBlock(0, c.floatBuf("gru.p", mb * h));
        float[] r = c.perStep("gru.rec", g).readBlock(t, c.floatBuf("gru.r", mb * g));
        float[] dx = c.floatBuf("gru.dx", mb * g);
        float[] dr = c.floatBuf("gru.dr", mb * g);
        for (int i = 0; i < mb; i++) {
            int o = i * g;
            int z = o + h;
            int n = o + 2 * h;
            int q = i * h;
            for (int j = 0; j < h; j++) {
                float dan = d[q + j] * (1 - a[z + j]) * (1 - a[n + j] * a[n + j]);
                float daz = d[q + j] * (hp[q + j] - a[n + j]) * a[z + j] * (1 - a[z + j]);
                float dar = dan * (r[n + j] + rb[2 * h + j]) * a[o + j] * (1 - a[o + j]);
                dx[n + j] = dan;
                dr[n + j] = dan * a[o + j];
                dx[z + j] = daz;
                dr[z + j] = daz;
                dx[o + j] = dar;
                dr[o + j] = dar;
                p[q + j] += d[q + j] * a[z + j];
            }
        }
        Mat drec = c.perStep("gru.drec", g);
        c.dxp.writeBlock(t, dx);
        drec.writeBlock(t, dr);
        c.dPrev[0].writeBlock(0, p);
        c.backThroughRecurrent(drec.block(t), c.transposed("RW"));
    }

    @Override
    void backward(CellContext c, int t) {
        if (c.fast && after()) {
            backwardFloat(c, t);
            return;
        }
        final int mb = c.mb;
        final int h = c.units;
        final int g = 3 * h;
        Mat act = c.perStep("gru.act", g);
        double[] a = act.readBlock(t, c.buf("gru.a", mb * g));
        double[] hp = c.states[0].readBlock(t, c.buf("gru.hp", mb * h));
        double[] d = c.dNew[0].readBlock(0, c.buf("gru.d", mb * h));
        double[] p = c.dPrev[0].readBlock(0, c.buf("gru.p", mb * h));
        double[] dx = c.buf("gru.dx", mb * g);
        if (after()) {
            final double[] rb = c.vector("rb");
            Mat drec = c.perStep("gru.drec", g);
            double[] r = c.perStep("gru.rec", g).readBlock(t, c.buf("gru.r", mb * g));
            double[] dr = c.buf("gru.dr", mb * g);
            for (int i = 0; i < mb; i++) {
                int o = i * g;
                int z = o + h;
                int n = o + 2 * h;
                int q = i * h;
                for (int j = 0; j < h; j++) {
                    double dan = d[q + j] * (1 - a[z + j]) * (1 - a[n + j] * a[n + j]);
                    dx[n + j] = dan;
                    dr[n + j] = dan * a[o + j];
                }
                for (int j = 0; j < h; j++) {
                    double daz = d[q + j] * (hp[q + j] - a[n + j]) * a[z + j] * (1 - a[z + j]);
                    dx[z + j] = daz;
                    dr[z + j] = daz;
                }
                for (int j = 0; j < h; j++) {
                    double dar = dx[n + j] * (r[n + j] + rb[2 * h + j]) * a[o + j] * (1 - a[o + j]);
                    dx[o + j] = dar;
                    dr[o + j] = dar;
                }
                for (int j = 0; j < h; j++) {
                    p[q + j] += d[q + j] * a[z + j];
                }
            }
            c.dxp.writeBlock(t, dx);
            drec.writeBlock(t, dr);
            c.dPrev[0].writeBlock(0, p);
            c.backThroughRecurrent(drec.block(t), c.transposed("RW"));
        } else {
            Mat dan = c.perStep("gru.dan", h);
            Mat drh = c.one("gru.drh", h);
            Mat drec = c.perStep("gru.drec", 2 * h);
            double[] danv = c.buf("gru.danv", mb * h);
            for (int i = 0; i < mb; i++) {
                int o = i * g;
                int z = o + h;
                int n = o + 2 * h;
                int q = i * h;
                for (int j = 0; j < h; j++) {
                    double v = d[q + j] * (1 - a[z + j]) * (1 - a[n + j] * a[n + j]);
                    danv[q + j] = v;
                    dx[n + j] = v;
                }
            }
            dan.writeBlock(t, danv);
            c.weight("RW", 2 * h, 3 * h, true).multiply(dan.block(t), drh.arr, false);     // d(r ⊙ h)
            double[] drhv = drh.readBlock(0, c.buf("gru.drhv", mb * h));
            double[] dr = c.buf("gru.dr", mb * 2 * h);
            // the candidate's recurrent product reads r ⊙ h, with h under the recurrent-dropout mask if any
            double[] hd = c.recMask == null ? hp : c.recurrentValues(t, c.buf("gru.hd", mb * h));
            double[] keep = c.recMask;
            for (int i = 0; i < mb; i++) {
                int o = i * g;
                int z = o + h;
                int n = o + 2 * h;
                int ro = i * 2 * h;
                int q = i * h;
                for (int j = 0; j < h; j++) {
                    double dar = drhv[q + j] * hd[q + j] * a[o + j] * (1 - a[o + j]);
                    dx[o + j] = dar;
                    dr[ro + j] = dar;
                }
                for (int j = 0; j < h; j++) {
                    double daz = d[q + j] * (hp[q + j] - a[n + j]) * a[z + j] * (1 - a[z + j]);
                    dx[z + j] = daz;
                    dr[ro + h + j] = daz;
                }
                for (int j = 0; j < h; j++) {
                    p[q + j] += d[q + j] * a[z + j] + drhv[q + j] * a[o + j] * (keep == null ? 1.0 : keep[q + j]);
                }
            }
            c.dxp.writeBlock(t, dx);
            drec.writeBlock(t, dr);
            c.dPrev[0].writeBlock(0, p);
            c.backThroughRecurrent(drec.block(t), c.weight("RW", 0, 2 * h, true));
        }
    }

    @Override
    void finishBackward(CellContext c, int first, int last) {
        int h = c.units;
        INDArray hPrev = c.recurrentInputs(first, last);
        INDArray dA = c.dxp.blocks(first, last);
        c.columnSums("b", dA);
        INDArray gRW = c.grads.get("RW");
        if (after()) {
            INDArray drec = c.perStep("gru.drec", 3 * h).blocks(first, last);
            Blas.gemm(hPrev, drec, gRW, true, false, 1.0, 0.0);
            c.columnSums("rb", drec);
        } else {
            INDArray drec = c.perStep("gru.drec", 2 * h).blocks(first, last);
            INDArray rh = c.perStep("gru.rh", h).blocks(first, last);
            INDArray dan = c.perStep("gru.dan", h).blocks(first, last);
            Blas.gemm(hPrev, drec, gRW.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2 * h)), true, false, 1.0,
                    0.0);
            Blas.gemm(rh, dan, gRW.get(NDArrayIndex.all(), NDArrayIndex.interval(2 * h, 3 * h)), true, false, 1.0,
                    0.0);
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
