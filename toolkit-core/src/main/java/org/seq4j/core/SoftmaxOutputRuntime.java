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
    /** What the kept gradient in {@code z2d} was computed from. */
    private INDArray keptInput;
    private INDArray keptLabels;

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
        z2d = reuse(z2d, dataType, (long) mb * steps, n);
        logits(z2d);
        double[] b = bias();
        double loss = 0;
        if (dataType == DataType.FLOAT) {
            FloatBuffer z = z2d.data().asNioFloat();
            float[] row = new float[n];
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < mb; i++) {
                    int r = t * mb + i;
                    double m = mask == null ? 1.0 : mask[r];
                    int target = target(lab, i, t, n);
                    z.get(r * n, row, 0, n);
                    loss += m * softmaxRow(row, b, target, (float) m);
                    z.put(r * n, row, 0, n);
                }
            }
        } else {
            DoubleBuffer z = z2d.data().asNioDouble();
            double[] row = new double[n];
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < mb; i++) {
                    int r = t * mb + i;
                    double m = mask == null ? 1.0 : mask[r];
                    int target = target(lab, i, t, n);
                    z.get(r * n, row, 0, n);
                    loss += m * softmaxRow(row, b, target, m);
                    z.put(r * n, row, 0, n);
                }
            }
        }
        keptInput = input;
        keptLabels = labels;
        return loss;
    }

    private int target(Strided3 lab, int i, int t, int n) {
        double v = lab.get(i, 0, t);
        int k = (int) v;
        Checks.require(k == v && k >= 0 && k < n, "%s: label of example %d, step %d is %s; expected a token id in "
                + "[0, %d)", name(), i, t, v, n);
        return k;
    }

    /** Row softmax with bias; replaces the row by {@code m·(p − onehot)}; returns {@code lse − z[target]}. */
    static float softmaxRow(float[] z, double[] b, int target, float m) {
        int n = z.length;
        float max = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            z[k] += (float) b[k];
            max = Math.max(max, z[k]);
        }
        float zt = z[target];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            float e = Kernels.expFloat(z[k] - max);
            z[k] = e;
            sum += e;
        }
        float scale = (float) (m / sum);
        for (int k = 0; k < n; k++) {
            z[k] *= scale;
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
        double zt = z[target];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            z[k] = Math.exp(z[k] - max);
            sum += z[k];
        }
        for (int k = 0; k < n; k++) {
            z[k] *= m / sum;
        }
        z[target] -= m;
        return max + Math.log(sum) - zt;
    }

    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr ws) {
        double sum = fused(training, ws);
        double s = conf().isMiniBatch() ? sum / getInputMiniBatchSize() : sum;
        s += fullNetRegTerm;
        this.score = s;
        return s;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr ws) {
        if (z2d == null || keptInput != input || keptLabels != labels) {
            fused(true, ws);
        }
        keptInput = null;
        keptLabels = null;
        INDArray in = nwc() ? input.permute(0, 2, 1) : input;
        int mb = (int) in.size(0);
        int steps = (int) in.size(2);
        long nIn = layerConf().getNIn();
        INDArray wg = gradientViews.get("W");
        Blas.gemm(x2d, z2d, wg, true, false, 1.0, 0.0);
        INDArray bg = gradientViews.get("b");
        bg.assign(z2d.sum(0).reshape(bg.shape()));
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

    /** The probabilities {@code [mb, nOut, T]}, a view of a time-major {@code [T, mb, nOut]} array. */
    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr ws) {
        int[] shape = inputRows(training, ws);
        int mb = shape[0];
        int steps = shape[1];
        int n = (int) layerConf().getNOut();
        INDArray probs = ws.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[] {steps, mb, n}, 'c');
        INDArray p2d = probs.reshape('c', (long) steps * mb, n);
        logits(p2d);
        double[] b = bias();
        double[] mask = RecurrentRuntime.timeMajorMask(maskArray, mb, steps, name());
        int rows = steps * mb;
        if (dataType == DataType.FLOAT) {
            FloatBuffer z = p2d.data().asNioFloat();
            long off = p2d.offset();
            float[] row = new float[n];
            for (int r = 0; r < rows; r++) {
                z.get((int) (off + (long) r * n), row, 0, n);
                softmaxRow(row, b, 0, 1f);
                row[0] += 1f;   // softmaxRow subtracts the one-hot of its target
                if (mask != null && mask[r] != 1.0) {
                    for (int k = 0; k < n; k++) {
                        row[k] *= (float) mask[r];
                    }
                }
                z.put((int) (off + (long) r * n), row, 0, n);
            }
        } else {
            DoubleBuffer z = p2d.data().asNioDouble();
            long off = p2d.offset();
            double[] row = new double[n];
            for (int r = 0; r < rows; r++) {
                z.get((int) (off + (long) r * n), row, 0, n);
                softmaxRow(row, b, 0, 1.0);
                row[0] += 1.0;
                if (mask != null) {
                    for (int k = 0; k < n; k++) {
                        row[k] *= mask[r];
                    }
                }
                z.put((int) (off + (long) r * n), row, 0, n);
            }
        }
        INDArray out = probs.permute(1, 2, 0);
        return nwc() ? out.permute(0, 2, 1) : out;
    }
}
