package org.seq4j.core;

import java.util.List;
import java.util.Objects;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seq4j.util.Checks;

/**
 * Structurally constrained recurrent network (SCRN; Mikolov, Joulin, Chopra, Mathieu, Ranzato 2014) on the core:
 * <pre>
 *   s' = (1 − α) ⊙ x·B + α ⊙ s                      slow context, C units
 *   h' = σ(s'·P + x·A + h·RW + b)                    fast hidden, H units (sigmoid, as in the reference code)
 *   output = [h' ; s']                               size H + C
 * </pre>
 * The paper's {@code y = f(U·h + V·s)} is an output layer on top of the output. α is fixed (default 0.95) or learned
 * per context unit as {@code α = σ(θ)}. Parameters {@code W = [B | A]  [nIn, C+H]}, {@code P [C,H]},
 * {@code RW [H,H]}, {@code b [1,H]} and, when learned, {@code alphaLogit [1,C]} (θ). State {@code [h, s]}.
 *
 * <p>The same equations as the SameDiff layer {@link org.seq4j.layers.Scrn} (whose {@code B}, {@code A}, {@code R}
 * are this cell's {@code W[:, :C]}, {@code W[:, C:]} and {@code RW}); a test holds the two forms to 1e-10.
 */
public final class ScrnCell extends RecurrentCell {

    public static final double DEFAULT_ALPHA = 0.95;

    private long contextUnits;
    private double alpha = DEFAULT_ALPHA;
    private boolean learnAlpha;

    public ScrnCell() {
    }

    public ScrnCell(long contextUnits, double alpha, boolean learnAlpha) {
        this.contextUnits = contextUnits;
        this.alpha = alpha;
        this.learnAlpha = learnAlpha;
    }

    public long getContextUnits() {
        return contextUnits;
    }

    public void setContextUnits(long contextUnits) {
        this.contextUnits = contextUnits;
    }

    public double getAlpha() {
        return alpha;
    }

    public void setAlpha(double alpha) {
        this.alpha = alpha;
    }

    public boolean isLearnAlpha() {
        return learnAlpha;
    }

    public void setLearnAlpha(boolean learnAlpha) {
        this.learnAlpha = learnAlpha;
    }

    @Override
    public String kind() {
        return "scrn";
    }

    @Override
    public void validate(String layerName, long nIn, long units) {
        Checks.require(contextUnits > 0, "scrn layer %s: contextUnits must be > 0, got %d", layerName, contextUnits);
        Checks.require(alpha >= 0 && alpha <= 1, "scrn layer %s: alpha must be in [0, 1], got %s", layerName, alpha);
        Checks.require(!learnAlpha || (alpha > 0 && alpha < 1),
                "scrn layer %s: a learned alpha starts from alpha = %s, which must be in (0, 1) (it is σ(θ))",
                layerName, alpha);
    }

    @Override
    public List<ParamSpec> parameters(long nIn, long h) {
        List<ParamSpec> p = List.of(new ParamSpec("W", nIn, contextUnits + h, ParamSpec.Init.INPUT_WEIGHT),
                new ParamSpec("P", contextUnits, h, ParamSpec.Init.RECURRENT_WEIGHT),
                new ParamSpec("RW", h, h, ParamSpec.Init.RECURRENT_WEIGHT),
                new ParamSpec("b", 1, h, ParamSpec.Init.BIAS));
        if (!learnAlpha) {
            return p;
        }
        return List.of(p.get(0), p.get(1), p.get(2), p.get(3),
                new ParamSpec("alphaLogit", 1, contextUnits, ParamSpec.Init.CELL));
    }

    @Override
    public void initParam(ParamSpec spec, INDArray view, double biasInit) {
        view.assign(Math.log(alpha / (1 - alpha)));
    }

    @Override
    public long projectionWidth(long units) {
        return contextUnits + units;
    }

    @Override
    public long[] stateSizes(long units) {
        return new long[] {units, contextUnits};
    }

    @Override
    public String[] stateKeys() {
        return new String[] {"prevAct", "context"};
    }

    @Override
    public int[] outputParts() {
        return new int[] {0, 1};
    }

    @Override
    void prepare(CellContext c) {
        int ctx = (int) contextUnits;
        double[] a = new double[ctx];
        if (learnAlpha) {
            double[] theta = c.vector("alphaLogit");
            for (int k = 0; k < ctx; k++) {
                a[k] = 1.0 / (1.0 + Math.exp(-theta[k]));
            }
        } else {
            java.util.Arrays.fill(a, alpha);
        }
        c.aux = a;
    }

    @Override
    void forward(CellContext c, int t) {
        final int mb = c.mb;
        final int h = c.units;
        final int ctx = (int) contextUnits;
        final int w = ctx + h;
        final double[] al = c.aux;
        final double[] b = c.vector("b");
        Mat hs = c.states[0];
        Mat ss = c.states[1];
        Mat rec = c.one("scrn.rec", h);
        double[] x = c.xp.readBlock(t, c.buf("scrn.x", mb * w));
        double[] sp = ss.readBlock(t, c.buf("scrn.sp", mb * ctx));
        double[] sn = c.buf("scrn.sn", mb * ctx);
        for (int i = 0; i < mb; i++) {
            int o = i * w;
            int q = i * ctx;
            for (int k = 0; k < ctx; k++) {
                sn[q + k] = (1 - al[k]) * x[o + k] + al[k] * sp[q + k];
            }
        }
        ss.writeBlock(t + 1, sn);
        c.weight("P").multiply(ss.block(t + 1), rec.arr, false);
        c.weight("RW").multiply(c.recurrentInput(t), rec.arr, true);
        double[] r = rec.readBlock(0, c.buf("scrn.r", mb * h));
        for (int i = 0; i < mb; i++) {
            int o = i * w + ctx;
            int q = i * h;
            for (int j = 0; j < h; j++) {
                r[q + j] += x[o + j] + b[j];
            }
        }
        Kernels.sigmoid(r, 0, mb * h, c.fast);
        hs.writeBlock(t + 1, r);
    }

    @Override
    void backward(CellContext c, int t) {
        final int mb = c.mb;
        final int h = c.units;
        final int ctx = (int) contextUnits;
        final int w = ctx + h;
        final double[] al = c.aux;
        Mat dA = c.perStep("scrn.dA", h);
        double[] y = c.states[0].readBlock(t + 1, c.buf("scrn.y", mb * h));
        double[] da = c.dNew[0].readBlock(0, c.buf("scrn.da", mb * h));
        Kernels.timesDerivative(Act.SIGMOID, da, 0, y, 0, mb * h);
        dA.writeBlock(t, da);
        c.backThroughRecurrent(dA.block(t), c.transposed("RW"));
        c.transposed("P").multiply(dA.block(t), c.dNew[1].arr, true);
        double[] ds = c.dNew[1].readBlock(0, c.buf("scrn.ds", mb * ctx));
        double[] dsp = c.dPrev[1].readBlock(0, c.buf("scrn.dsp", mb * ctx));
        double[] dx = c.buf("scrn.dx", mb * w);
        double[] x = learnAlpha ? c.xp.readBlock(t, c.buf("scrn.x", mb * w)) : null;
        double[] sp = learnAlpha ? c.states[1].readBlock(t, c.buf("scrn.sp", mb * ctx)) : null;
        if (learnAlpha && c.acc == null) {
            c.acc = new double[ctx];
        }
        for (int i = 0; i < mb; i++) {
            int o = i * w;
            int q = i * ctx;
            for (int k = 0; k < ctx; k++) {
                dx[o + k] = (1 - al[k]) * ds[q + k];
                dsp[q + k] += al[k] * ds[q + k];
            }
            System.arraycopy(da, i * h, dx, o + ctx, h);
            if (learnAlpha) {
                for (int k = 0; k < ctx; k++) {
                    c.acc[k] += ds[q + k] * (sp[q + k] - x[o + k]);
                }
            }
        }
        c.dxp.writeBlock(t, dx);
        c.dPrev[1].writeBlock(0, dsp);
    }

    @Override
    void finishBackward(CellContext c, int first, int last) {
        INDArray dA = c.perStep("scrn.dA", c.units).blocks(first, last);
        c.columnSums("b", dA);
        c.gradient("RW", c.recurrentInputs(first, last), dA);
        c.gradient("P", c.states[1].blocks(first + 1, last + 1), dA);
        if (learnAlpha) {
            INDArray g = c.grads.get("alphaLogit");
            for (int k = 0; k < contextUnits; k++) {
                double acc = c.acc == null ? 0.0 : c.acc[k];
                g.putScalar(k, acc * c.aux[k] * (1 - c.aux[k]));
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScrnCell other && other.contextUnits == contextUnits && other.alpha == alpha
                && other.learnAlpha == learnAlpha;
    }

    @Override
    public int hashCode() {
        return Objects.hash("scrn", contextUnits, alpha, learnAlpha);
    }

    @Override
    public String toString() {
        return "ScrnCell(context=" + contextUnits + ", alpha=" + alpha + (learnAlpha ? ", learned" : "") + ")";
    }
}
