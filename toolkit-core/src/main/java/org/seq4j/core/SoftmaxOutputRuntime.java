package org.seq4j.core;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.RnnOutputLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seq4j.util.Checks;

/** The runtime of {@link SoftmaxOutput}: fused logits, log-sum-exp, loss and gradient; see there. */
final class SoftmaxOutputRuntime extends RnnOutputLayer {

    /** Time-major inputs {@code [T·mb, nIn]} (row {@code t·mb + i}) and logits, then gradients, {@code [T·mb, nOut]}. */
    private INDArray x2d;
    private INDArray z2d;
    private INDArray dx2d;
    /**
     * What the gradient kept in {@code z2d} and the loss {@code keptLoss} were computed from. DL4J asks for the gradient
     * and the score of one step separately (a graph: backprop first; a network: score first): the second of the two
     * reuses the first's pass instead of repeating the logits GEMM and the softmax; each may be used once.
     */
    private INDArray keptInput;
    private INDArray keptLabels;
    private INDArray keptMask;
    private boolean keptTraining;
    private double keptLoss;
    /** The column sums of the gradient rows in {@code z2d} (the bias gradient), summed while the rows are made. */
    private double[] biasGradient;
    private boolean scoreUsed;
    private boolean gradientUsed;
    /** Logits-and-softmax passes over labelled rows so far (a test checks one per training step). */
    static final java.util.concurrent.atomic.AtomicLong PASSES = new java.util.concurrent.atomic.AtomicLong();

    SoftmaxOutputRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private String name() {
        return "softmax output layer " + Checks.layerName(layerConf().getLayerName());
    }

    private boolean nwc() {
        return layerConf().getRnnDataFormat() == RNNFormat.NWC;
    }

    private static INDArray reuse(INDArray a, DataType type, long rows, long cols) {
        if (a != null && a.dataType() == type && a.size(0) == rows && a.size(1) == cols) {
            return a;
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.createUninitializedDetached(type, rows, cols);
        }
    }

    /** The input as time-major rows in {@code x2d}, after input dropout; returns {@code [mb, T]}. */
    private int[] inputRows(boolean training, LayerWorkspaceMgr ws) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, ws);
        INDArray in = nwc() ? input.permute(0, 2, 1) : input;
        long nIn = layerConf().getNIn();
        Checks.require(in.rank() == 3 && in.size(1) == nIn, "%s: expected input [minibatch, nIn=%d, timeSteps], got "
                + "%s", name(), nIn, Arrays.toString(in.shape()));
        int mb = (int) in.size(0);
        int steps = (int) in.size(2);
        x2d = reuse(x2d, dataType, (long) mb * steps, nIn);
        INDArray src = in.dataType() == dataType ? in : in.castTo(dataType);
        INDArray rows = RecurrentRuntime.timeMajorRows(src);
        if (rows != null) {   // a recurrent core layer's output: already time-major rows
            x2d.assign(rows);
            return new int[] {mb, steps};
        }
        Strided3 s = new Strided3(src);
        if (dataType == DataType.FLOAT) {
            FloatBuffer x = x2d.data().asNioFloat();
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < mb; i++) {
                    int row = (t * mb + i) * (int) nIn;
                    for (int k = 0; k < nIn; k++) {
                        x.put(row + k, (float) s.get(i, k, t));
                    }
                }
            }
        } else {
            DoubleBuffer x = x2d.data().asNioDouble();
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < mb; i++) {
                    int row = (t * mb + i) * (int) nIn;
                    for (int k = 0; k < nIn; k++) {
                        x.put(row + k, s.get(i, k, t));
                    }
                }
            }
        }
        return new int[] {mb, steps};
    }

    /** {@code out = x2d·W + b}. */
    private void logits(INDArray out) {
        Blas.gemm(x2d, getParam("W"), out, false, false, 1.0, 0.0);
    }

    private double[] bias() {
        return getParam("b").castTo(DataType.DOUBLE).dup().data().asDouble();
    }

    /**
     * Logits, loss and gradient in one pass; the gradient {@code m·(softmax − onehot)} of each row is left in
     * {@code z2d}. Returns the summed loss.
     */
    private double fused(boolean training, LayerWorkspaceMgr ws) {
        int[] shape = inputRows(training, ws);
        int mb = shape[0];
        int steps = shape[1];
        int n = (int) layerConf().getNOut();
        Checks.require(labels != null, "%s: no labels set", name());
        INDArray y = labels.rank() == 2 ? labels.reshape(labels.size(0), 1, labels.size(1)) : labels;
        if (nwc() && y.rank() == 3 && y.size(2) == 1) {
            y = y.permute(0, 2, 1);
        }
        Checks.require(y.rank() == 3 && y.size(0) == mb && y.size(1) == 1 && y.size(2) == steps,
                "%s: expected token-id labels [%d, 1, %d], got %s", name(), mb, steps, Arrays.toString(labels.shape()));
        Strided3 lab = new Strided3(y.dataType() == DataType.FLOAT || y.dataType() == DataType.DOUBLE ? y
                : y.castTo(DataType.FLOAT));
        double[] mask = RecurrentRuntime.timeMajorMask(maskArray, mb, steps, name());
        int[] targets = new int[mb * steps];
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < mb; i++) {
                targets[t * mb + i] = target(lab, i, t, n);
            }
        }
        z2d = reuse(z2d, dataType, (long) mb * steps, n);
        PASSES.incrementAndGet();
        logits(z2d);
        double loss = softmaxRows(z2d, n, bias(), targets, mask);
        keptInput = input;
        keptLabels = labels;
        keptMask = maskArray;
        keptTraining = training;
        keptLoss = loss;
        scoreUsed = false;
        gradientUsed = false;
        return loss;
    }

    private int target(Strided3 lab, int i, int t, int n) {
        double v = lab.get(i, 0, t);
        int k = (int) v;
        Checks.require(k == v && k >= 0 && k < n, "%s: label of example %d, step %d is %s; expected a token id in "
                + "[0, %d)", name(), i, t, v, n);
        return k;
    }

    /**
     * Every row r of {@code z2d} ({@code [rows, n]}, row-major from its offset) becomes {@code m_r·softmax(z_r + b)},
     * minus {@code m_r} at {@code targets[r]} when {@code targets} is not null (the loss gradient); {@code m_r} is the
     * mask (1 without one). Returns {@code Σ m_r·(lse_r − z_r[targets[r]])}, 0 without targets.
     */
    private double softmaxRows(INDArray z2d, int n, double[] b, int[] targets, double[] mask) {
        int rows = (int) z2d.size(0);
        long off = z2d.offset();
        double loss = 0;
        biasGradient = targets == null ? null : new double[n];
        if (dataType == DataType.FLOAT) {
            float[] columns = targets == null ? null : new float[n];
            FloatBuffer z = z2d.data().asNioFloat();
            float[] row = new float[n];
            float[] bf = new float[n];
            for (int k = 0; k < n; k++) {
                bf[k] = (float) b[k];
            }
            if (n <= SHORT_ROW) {
                loss = shortRows(z, (int) off, rows, n, bf, targets, mask, columns);
            } else {
                for (int r = 0; r < rows; r++) {
                    int at = (int) (off + (long) r * n);
                    double m = mask == null ? 1.0 : mask[r];
                    z.get(at, row, 0, n);
                    loss += m * softmaxRow(row, bf, targets == null ? -1 : targets[r], (float) m);
                    z.put(at, row, 0, n);
                    if (columns != null) {
                        for (int k = 0; k < n; k++) {
                            columns[k] += row[k];
                        }
                    }
                }
            }
            if (columns != null) {
                for (int k = 0; k < n; k++) {
                    biasGradient[k] = columns[k];
                }
            }
        } else {
            DoubleBuffer z = z2d.data().asNioDouble();
            double[] row = new double[n];
            for (int r = 0; r < rows; r++) {
                int at = (int) (off + (long) r * n);
                double m = mask == null ? 1.0 : mask[r];
                z.get(at, row, 0, n);
                loss += m * softmaxRow(row, b, targets == null ? -1 : targets[r], m);
                z.put(at, row, 0, n);
                if (biasGradient != null) {
                    for (int k = 0; k < n; k++) {
                        biasGradient[k] += row[k];
                    }
                }
            }
        }
        return loss;
    }

    /** Rows of at most this many classes go through {@link #shortRows}. */
    static final int SHORT_ROW = 64;

    /** Rows per block in {@link #shortRows}. */
    private static final int BLOCK_ROWS = 256;

    /**
     * {@link #softmaxRow(float[], float[], int, float)} on every row of {@code z} from {@code off}, for short rows: a
     * block of rows at a time, so that the exponentials run over the whole block on full vectors instead of a row's
     * few elements and a scalar tail. The same float operations per element and the same order of the sums as
     * {@code softmaxRow}, so the results are bit-identical to it; returns the masked loss sum.
     */
    static double shortRows(FloatBuffer z, int off, int rows, int n, float[] b, int[] targets, double[] mask,
                            float[] columns) {
        int block = Math.min(rows, BLOCK_ROWS);
        float[] e = new float[block * n];
        float[] max = new float[block];
        float[] zt = new float[block];
        double loss = 0;
        for (int r0 = 0; r0 < rows; r0 += block) {
            int count = Math.min(block, rows - r0);
            int at = off + r0 * n;
            z.get(at, e, 0, count * n);
            for (int i = 0; i < count; i++) {
                int o = i * n;
                float m = Float.NEGATIVE_INFINITY;
                for (int k = 0; k < n; k++) {
                    e[o + k] += b[k];
                    m = Math.max(m, e[o + k]);
                }
                int target = targets == null ? -1 : targets[r0 + i];
                zt[i] = target >= 0 ? e[o + target] : 0f;
                max[i] = m;
                for (int k = 0; k < n; k++) {
                    e[o + k] -= m;
                }
            }
            FloatRows.exp(e, 0, count * n);
            for (int i = 0; i < count; i++) {
                int o = i * n;
                double m = mask == null ? 1.0 : mask[r0 + i];
                float mf = (float) m;   // softmaxRow's scale and gradient use the mask as a float
                double sum = FloatRows.sumInLaneOrder(e, o, n);
                float scale = (float) (mf / sum);
                for (int k = 0; k < n; k++) {
                    e[o + k] *= scale;
                }
                int target = targets == null ? -1 : targets[r0 + i];
                if (target >= 0) {
                    e[o + target] -= mf;
                    loss += m * (float) (max[i] + Math.log(sum) - zt[i]);
                }
                if (columns != null) {
                    for (int k = 0; k < n; k++) {
                        columns[k] += e[o + k];
                    }
                }
            }
            z.put(at, e, 0, count * n);
        }
        return loss;
    }

    /**
     * Row softmax with bias, scaled by {@code m}; with a target ({@code target >= 0}) the row becomes
     * {@code m·(p − onehot)} and the result is {@code lse − z[target]}; without, the row is {@code m·p} and the result 0.
     */
    static float softmaxRow(float[] z, float[] b, int target, float m) {
        float max = FloatRows.addAndMax(z, b);
        float zt = target >= 0 ? z[target] : 0f;
        double sum = FloatRows.expAndSum(z, max);
        float scale = (float) (m / sum);
        for (int k = 0; k < z.length; k++) {
            z[k] *= scale;
        }
        if (target < 0) {
            return 0f;
        }
        z[target] -= m;
        return (float) (max + Math.log(sum) - zt);
    }

    static double softmaxRow(double[] z, double[] b, int target, double m) {
        int n = z.length;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            z[k] += b[k];
            max = Math.max(max, z[k]);
        }
        double zt = target >= 0 ? z[target] : 0.0;
        double sum = 0;
        for (int k = 0; k < n; k++) {
            z[k] = Math.exp(z[k] - max);
            sum += z[k];
        }
        for (int k = 0; k < n; k++) {
            z[k] *= m / sum;
        }
        if (target < 0) {
            return 0.0;
        }
        z[target] -= m;
        return max + Math.log(sum) - zt;
    }

    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr ws) {
        double sum = kept(training) && !scoreUsed ? keptLoss : fused(training, ws);
        scoreUsed = true;
        double s = conf().isMiniBatch() ? sum / getInputMiniBatchSize() : sum;
        s += fullNetRegTerm;
        this.score = s;
        return s;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr ws) {
        if (!kept(true) || gradientUsed) {
            fused(true, ws);
        }
        gradientUsed = true;
        INDArray in = nwc() ? input.permute(0, 2, 1) : input;
        int mb = (int) in.size(0);
        int steps = (int) in.size(2);
        long nIn = layerConf().getNIn();
        INDArray wg = gradientViews.get("W");
        Blas.gemm(x2d, z2d, wg, true, false, 1.0, 0.0);
        INDArray bg = gradientViews.get("b");
        bg.assign(Nd4j.createFromArray(biasGradient).castTo(dataType).reshape(bg.shape()));
        dx2d = reuse(dx2d, dataType, (long) mb * steps, nIn);
        Blas.gemm(z2d, getParam("W"), dx2d, false, true, 1.0, 0.0);
        // dL/dx [mb, nIn, T] as a view of a time-major [T, mb, nIn] array: one copy of dx2d
        INDArray eps = ws.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, new long[] {steps, mb, nIn}, 'c');
        eps.reshape('c', (long) steps * mb, nIn).assign(dx2d);
        INDArray out = eps.permute(1, 2, 0);
        out = backpropDropOutIfPresent(out);
        Gradient g = new DefaultGradient();
        g.gradientForVariable().put("W", wg);
        g.gradientForVariable().put("b", bg);
        return new Pair<>(g, nwc() ? out.permute(0, 2, 1) : out);
    }

    /** Whether {@code z2d} and {@code keptLoss} belong to the current input, labels, mask and mode. */
    private boolean kept(boolean training) {
        return z2d != null && keptInput == input && keptLabels == labels && keptMask == maskArray
                && keptTraining == training;
    }

    /** The probabilities {@code [mb, nOut, T]}, a view of a time-major {@code [T, mb, nOut]} array. */
    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr ws) {
        keptInput = null; // x2d is about to hold this input
        int[] shape = inputRows(training, ws);
        int mb = shape[0];
        int steps = shape[1];
        int n = (int) layerConf().getNOut();
        INDArray probs = ws.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[] {steps, mb, n}, 'c');
        INDArray p2d = probs.reshape('c', (long) steps * mb, n);
        logits(p2d);
        softmaxRows(p2d, n, bias(), null, RecurrentRuntime.timeMajorMask(maskArray, mb, steps, name()));
        INDArray out = probs.permute(1, 2, 0);
        return nwc() ? out.permute(0, 2, 1) : out;
    }
}
