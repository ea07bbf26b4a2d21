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
 * Parameters {@code W [nIn,4H]}, {@code RW [H,4H]}, {@code b [1,4H]}; state {@code [h, c]}, output h.
 *
 * <p>Optional peepholes (Gers and Schmidhuber 2000; off by default, as in PyTorch and Keras): the gates also see the
 * cell, {@code f = σ(… + pf ⊙ c)}, {@code i = σ(… + pi ⊙ c)}, {@code o = σ(… + po ⊙ c')}, with parameters
 * {@code pi}, {@code pf}, {@code po} {@code [1,H]} (initialised to 0).
 */
public final class LstmCell extends RecurrentCell {

    private double forgetBias = 1.0;
    private boolean peepholes;

    public LstmCell() {
    }

    public LstmCell(double forgetBias) {
        this.forgetBias = forgetBias;
    }

    public LstmCell(double forgetBias, boolean peepholes) {
        this.forgetBias = forgetBias;
        this.peepholes = peepholes;
    }

    public boolean isPeepholes() {
        return peepholes;
    }

    public void setPeepholes(boolean peepholes) {
        this.peepholes = peepholes;
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
        List<ParamSpec> p = List.of(new ParamSpec("W", nIn, 4 * h, ParamSpec.Init.INPUT_WEIGHT),
                new ParamSpec("RW", h, 4 * h, ParamSpec.Init.RECURRENT_WEIGHT),
                new ParamSpec("b", 1, 4 * h, ParamSpec.Init.CELL));
        if (!peepholes) {
            return p;
        }
        return List.of(p.get(0), p.get(1), p.get(2), new ParamSpec("pi", 1, h, ParamSpec.Init.ZERO),
                new ParamSpec("pf", 1, h, ParamSpec.Init.ZERO), new ParamSpec("po", 1, h, ParamSpec.Init.ZERO));
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
        if (c.fast && !peepholes) {
            forwardFloat(c, t);
            return;
        }
        final int mb = c.mb;
        final int h = c.units;
        final int g4 = 4 * h;
        final boolean fast = c.fast;
        final double[] b = c.vector("b");
        Mat hs = c.states[0];
        Mat cs = c.states[1];
        Mat rec = c.one("lstm.rec", g4);
        c.weight("RW").multiply(c.recurrentInput(t), rec.arr, false);
        double[] x = c.xp.readBlock(t, c.buf("lstm.x", mb * g4));
        double[] r = rec.readBlock(0, c.buf("lstm.r", mb * g4));
        double[] cp = cs.readBlock(t, c.buf("lstm.cp", mb * h));
        double[] a = c.buf("lstm.a", mb * g4);
        double[] cn = c.buf("lstm.cn", mb * h);
        double[] tc = c.buf("lstm.tc", mb * h);
        double[] hn = c.buf("lstm.hn", mb * h);
        final double[] pi = peepholes ? c.vector("pi") : null;
        final double[] pf = peepholes ? c.vector("pf") : null;
        final double[] po = peepholes ? c.vector("po") : null;
        for (int i = 0; i < mb; i++) {
            int o = i * g4;
            for (int j = 0; j < g4; j++) {
                a[o + j] = x[o + j] + r[o + j] + b[j];
            }
            int q = i * h;
            Kernels.tanh(a, o, h, fast);                   // g
            if (peepholes) {
                for (int j = 0; j < h; j++) {
                    a[o + h + j] += pf[j] * cp[q + j];
                    a[o + 3 * h + j] += pi[j] * cp[q + j];
                }
                Kernels.sigmoid(a, o + h, h, fast);        // f
                Kernels.sigmoid(a, o + 3 * h, h, fast);    // i
            } else {
                Kernels.sigmoid(a, o + h, 3 * h, fast);    // f, o, i
            }
            for (int j = 0; j < h; j++) {
                cn[q + j] = a[o + h + j] * cp[q + j] + a[o + 3 * h + j] * a[o + j];
                tc[q + j] = cn[q + j];
            }
            if (peepholes) {
                for (int j = 0; j < h; j++) {
                    a[o + 2 * h + j] += po[j] * cn[q + j];
                }
                Kernels.sigmoid(a, o + 2 * h, h, fast);    // o sees the new cell
            }
            Kernels.tanh(tc, q, h, fast);
            for (int j = 0; j < h; j++) {
                hn[q + j] = a[o + 2 * h + j] * tc[q + j];
            }
        }
        if (c.keep) {
            c.perStep("lstm.act", g4).writeBlock(t, a);
            c.perStep("lstm.tanhc", h).writeBlock(t, tc);
        }
        cs.writeBlock(t + 1, cn);
        hs.writeBlock(t + 1, hn);
    }

    /**
     * {@link #forward} in single precision, on float work arrays (no widening to double and back; the float
     * activations of {@link FloatRows}): the same equations in the same order, without peepholes.
     */
    private void forwardFloat(CellContext c, int t) {
        final int mb = c.mb;
        final int h = c.units;
        final int g4 = 4 * h;
        final float[] b = c.floatVector("b");
        float[] r = c.recurrentProduct("RW", g4, "lstm.rec", t);
        float[] a = c.xp.readBlock(t, c.floatBuf("lstm.a", mb * g4));
        float[] cp = c.states[1].readBlock(t, c.floatBuf("lstm.cp", mb * h));
        float[] cn = c.floatBuf("lstm.cn", mb * h);
        float[] tc = c.floatBuf("lstm.tc", mb * h);
        float[] hn = c.floatBuf("lstm.hn", mb * h);
        for (int i = 0; i < mb; i++) {
            int o = i * g4;
            FloatRows.gate(a, r, o, b, 0, h, false);              // g
            FloatRows.gate(a, r, o + h, b, h, 3 * h, true);       // f, o, i
            FloatRows.lstmState(a, o, h, cp, cn, tc, hn, i * h);
        }
        if (c.keep) {
            c.perStep("lstm.act", g4).writeBlock(t, a);
            c.perStep("lstm.tanhc", h).writeBlock(t, tc);
        }
        c.states[1].writeBlock(t + 1, cn);
        c.states[0].writeBlock(t + 1, hn);
    }

    /** {@link #backward} in single precision (see {@link #forwardFloat}). */
    private void backwardFloat(CellContext c, int t) {
        final int mb = c.mb;
        final int h = c.units;
        final int g4 = 4 * h;
        float[] a = c.perStep("lstm.act", g4).readBlock(t, c.floatBuf("lstm.a", mb * g4));
        float[] tc = c.perStep("lstm.tanhc", h).readBlock(t, c.floatBuf("lstm.tc", mb * h));
        float[] cp = c.states[1].readBlock(t, c.floatBuf("lstm.cp", mb * h));
        float[] dh = c.dNew[0].readBlock(0, c.floatBuf("lstm.dh", mb * h));
        float[] dc = c.dNew[1].readBlock(0, c.floatBuf("lstm.dc", mb * h));
        float[] dcp = c.dPrev[1].readBlock(0, c.floatBuf("lstm.dcp", mb * h));
        float[] dx = c.floatBuf("lstm.dx", mb * g4);
        for (int i = 0; i < mb; i++) {
            int o = i * g4;
            int q = i * h;
            for (int j = 0; j < h; j++) {
                float og = a[o + 2 * h + j];
                dx[o + 2 * h + j] = dh[q + j] * tc[q + j] * og * (1 - og);
                dc[q + j] += dh[q + j] * og * (1 - tc[q + j] * tc[q + j]);
                dcp[q + j] += dc[q + j] * a[o + h + j];
                float g = a[o + j];
                float f = a[o + h + j];
                float in = a[o + 3 * h + j];
                dx[o + j] = dc[q + j] * in * (1 - g * g);
                dx[o + h + j] = dc[q + j] * cp[q + j] * f * (1 - f);
                dx[o + 3 * h + j] = dc[q + j] * g * in * (1 - in);
            }
        }
        c.dxp.writeBlock(t, dx);
        c.dPrev[1].writeBlock(0, dcp);
        c.backThroughRecurrentWeights(t);
    }

    @Override
    void backward(CellContext c, int t) {
        if (c.fast && !peepholes) {
            backwardFloat(c, t);
            return;
        }
        final int mb = c.mb;
        final int h = c.units;
        final int g4 = 4 * h;
        double[] a = c.perStep("lstm.act", g4).readBlock(t, c.buf("lstm.a", mb * g4));
        double[] tc = c.perStep("lstm.tanhc", h).readBlock(t, c.buf("lstm.tc", mb * h));
        double[] cp = c.states[1].readBlock(t, c.buf("lstm.cp", mb * h));
        double[] dh = c.dNew[0].readBlock(0, c.buf("lstm.dh", mb * h));
        double[] dc = c.dNew[1].readBlock(0, c.buf("lstm.dc", mb * h));
        double[] dcp = c.dPrev[1].readBlock(0, c.buf("lstm.dcp", mb * h));
        double[] dx = c.buf("lstm.dx", mb * g4);
        double[] cn = peepholes ? c.states[1].readBlock(t + 1, c.buf("lstm.cn", mb * h)) : null;
        final double[] pi = peepholes ? c.vector("pi") : null;
        final double[] pf = peepholes ? c.vector("pf") : null;
        final double[] po = peepholes ? c.vector("po") : null;
        if (peepholes && c.acc == null) {
            c.acc = new double[3 * h];   // dL/dpi, dL/dpf, dL/dpo
        }
        for (int i = 0; i < mb; i++) {
            int o = i * g4;
            int q = i * h;
            for (int j = 0; j < h; j++) {
                double og = a[o + 2 * h + j];
                dx[o + 2 * h + j] = dh[q + j] * tc[q + j] * og * (1 - og);
            }
            for (int j = 0; j < h; j++) {
                // total gradient of the new cell state: direct + through h = o ⊙ tanh(c) (+ through o's peephole)
                dc[q + j] += dh[q + j] * a[o + 2 * h + j] * (1 - tc[q + j] * tc[q + j]);
            }
            if (peepholes) {
                for (int j = 0; j < h; j++) {
                    dc[q + j] += dx[o + 2 * h + j] * po[j];
                }
            }
            for (int j = 0; j < h; j++) {
                dcp[q + j] += dc[q + j] * a[o + h + j];
            }
            for (int j = 0; j < h; j++) {
                double g = a[o + j];
                dx[o + j] = dc[q + j] * a[o + 3 * h + j] * (1 - g * g);
            }
            for (int j = 0; j < h; j++) {
                double f = a[o + h + j];
                dx[o + h + j] = dc[q + j] * cp[q + j] * f * (1 - f);
            }
            for (int j = 0; j < h; j++) {
                double in = a[o + 3 * h + j];
                dx[o + 3 * h + j] = dc[q + j] * a[o + j] * in * (1 - in);
            }
            if (peepholes) {
                for (int j = 0; j < h; j++) {
                    double dai = dx[o + 3 * h + j];
                    double daf = dx[o + h + j];
                    dcp[q + j] += dai * pi[j] + daf * pf[j];
                    c.acc[j] += dai * cp[q + j];
                    c.acc[h + j] += daf * cp[q + j];
                    c.acc[2 * h + j] += dx[o + 2 * h + j] * cn[q + j];
                }
            }
        }
        c.dxp.writeBlock(t, dx);
        c.dPrev[1].writeBlock(0, dcp);
        c.backThroughRecurrentWeights(t);
    }

    @Override
    void finishBackward(CellContext c, int first, int last) {
        c.biasAndRecurrentWeightGradients(first, last);
        if (peepholes) {
            int h = c.units;
            String[] keys = {"pi", "pf", "po"};
            for (int k = 0; k < 3; k++) {
                INDArray g = c.grads.get(keys[k]);
                for (int j = 0; j < h; j++) {
                    g.putScalar(j, c.acc == null ? 0.0 : c.acc[k * h + j]);
                }
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LstmCell other && other.forgetBias == forgetBias && other.peepholes == peepholes;
    }

    @Override
    public int hashCode() {
        return Objects.hash("lstm", forgetBias, peepholes);
    }

    @Override
    public String toString() {
        return "LstmCell(forgetBias=" + forgetBias + (peepholes ? ", peepholes" : "") + ")";
    }
}
