package org.seq4j.core;

import java.util.HashMap;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The buffers one pass of the recurrent core works on, handed to the cell's kernels. Rows are time-major: row
 * {@code t·mb + i} is example i at step t. State part p at step t (before the step) is block t of
 * {@code states[p]}; block 0 is the initial state.
 */
final class CellContext {

    final DataType type;
    /**
     * Single precision (the core computes in FLOAT or DOUBLE): the fast activation approximations, and the float forms
     * of the cells' loops where a cell has them.
     */
    final boolean fast;
    final int mb;
    final int steps;
    final int nIn;
    final int units;
    final Map<String, INDArray> params;
    /** the layer's gradient views; set by the backward pass */
    Map<String, INDArray> grads;
    private final Map<String, Mat> pool;
    private final Map<String, double[]> vectors = new HashMap<>();
    private final Map<String, double[]> buffers;
    private final Map<String, float[]> floatBuffers;
    private final Map<String, float[]> floatVectors = new HashMap<>();
    private final Map<String, StepWeight> stepWeights = new HashMap<>();

    /** A backward pass will follow this forward pass: keep what it needs (activations); inference skips them. */
    boolean keep = true;
    Mat x;
    Mat xp;
    Mat[] states;
    /** time-major mask (index t·mb + i), or null */
    double[] mask;
    Mat dxp;
    Mat[] dNew;
    Mat[] dPrev;
    /** per-pass values a cell derives from its parameters in {@link RecurrentCell#prepare} (e.g. SCRN's α) */
    double[] aux;
    /**
     * Variational (recurrent) dropout: one keep-mask per example and unit of state part 0, the same at every step,
     * scaled by 1/(1 − p) (Gal and Ghahramani 2016), applied where that state enters a recurrent weight matrix; null
     * when off (inference, or p = 0).
     */
    double[] recMask;
    /** per-backward accumulators of a cell (e.g. SCRN's dL/dα); null at the start of each backward pass */
    double[] acc;

    CellContext(DataType type, int mb, int steps, int nIn, int units, Map<String, INDArray> params,
                Map<String, Mat> pool, Map<String, double[]> buffers, Map<String, float[]> floatBuffers) {
        this.buffers = buffers;
        this.floatBuffers = floatBuffers;
        this.type = type;
        this.fast = type != DataType.DOUBLE;
        this.mb = mb;
        this.steps = steps;
        this.nIn = nIn;
        this.units = units;
        this.params = params;
        this.pool = pool;
    }

    /** A working matrix {@code [rows, cols]} in blocks of mb rows, reused across passes when its shape fits. */
    Mat mat(String name, int rows, int cols) {
        Mat m = pool.get(name);
        if (m == null || !m.fits(type, rows, cols, mb)) {
            m = new Mat(type, rows, cols, mb);
            pool.put(name, m);
        }
        return m;
    }

    /** A per-step matrix: {@code T·mb} rows. */
    Mat perStep(String name, int cols) {
        return mat(name, steps * mb, cols);
    }

    /** A one-block matrix: {@code mb} rows. */
    Mat one(String name, int cols) {
        return mat(name, mb, cols);
    }

    /** A Java work array of at least {@code len} doubles for the fused loops, reused across steps and passes. */
    double[] buf(String name, int len) {
        double[] b = buffers.get(name);
        if (b == null || b.length < len) {
            b = new double[len];
            buffers.put(name, b);
        }
        return b;
    }

    /** A float work array of at least {@code len} values, for the single-precision forms of the fused loops. */
    float[] floatBuf(String name, int len) {
        float[] b = floatBuffers.get(name);
        if (b == null || b.length < len) {
            b = new float[len];
            floatBuffers.put(name, b);
        }
        return b;
    }

    /** Keeps {@code b} as work array {@code name} (one that a helper grew), for the next {@link #buf} call. */
    void keepBuf(String name, double[] b) {
        buffers.put(name, b);
    }

    /** {@code grads[key] = aᵀ·b}: a weight gradient summed over steps, one GEMM straight into its view. */
    void gradient(String key, INDArray a, INDArray b) {
        Blas.gemm(a, b, grads.get(key), true, false, 1.0, 0.0);
    }

    /** {@code grads[key] = column sums of m}: a bias gradient, as a GEMM with a row of ones. */
    void columnSums(String key, INDArray m) {
        int rows = (int) m.size(0);
        Mat ones = pool.get("ones");
        if (ones == null || !ones.fits(type, 1, rows, 1)) {
            ones = new Mat(type, 1, rows, 1);
            ones.arr.assign(1.0);
            pool.put("ones", ones);
        }
        Blas.gemm(ones.arr, m, grads.get(key), false, false, 1.0, 0.0);
    }

    /** State part 0 before step t as it enters the recurrent weights: {@code s_{t−1}}, or {@code s_{t−1} ⊙ mask}. */
    INDArray recurrentInput(int t) {
        if (recMask == null) {
            return states[0].block(t);
        }
        Mat in = perStep("recurrentInput", states[0].cols);
        in.writeBlock(t, recurrentValues(t, buf("recurrentInput", mb * states[0].cols)));
        return in.block(t);
    }

    /** The values of {@link #recurrentInput(int)} in a Java array. */
    double[] recurrentValues(int t, double[] dst) {
        double[] v = states[0].readBlock(t, dst);
        if (recMask != null) {
            for (int k = 0; k < recMask.length; k++) {
                v[k] *= recMask[k];
            }
        }
        return v;
    }

    /**
     * {@code s_{t−1}·W} for parameter {@code key} in single precision, as a row-major float array of {@code mb} rows and
     * {@code cols} columns (valid until the next product with that weight), for the float gate loops. On the Vector
     * API kernel it goes from the state's values to the kernel's output without the ND4J round trip (two copies of the
     * product a step); otherwise (a recurrent dropout mask, OpenBLAS) through work matrix {@code name}.
     */
    float[] recurrentProduct(String key, int cols, String name, int t) {
        StepWeight w = weight(key);
        if (recMask == null && w.multipliesArrays(cols)) {
            return w.multiply(states[0].readBlock(t, floatBuf(name + ".in", mb * states[0].cols)), mb);
        }
        Mat rec = one(name, cols);
        w.multiply(recurrentInput(t), rec.arr, false);
        return rec.readBlock(0, floatBuf(name + ".r", mb * cols));
    }

    /** The recurrent inputs of steps {@code [first, last)}, for the recurrent weight gradients. */
    INDArray recurrentInputs(int first, int last) {
        return recMask == null ? states[0].blocks(first, last)
                : perStep("recurrentInput", states[0].cols).blocks(first, last);
    }

    /**
     * A weight of this pass for the per-step products: parameter {@code key} (columns {@code [from, to)}), or its
     * transpose; made once per pass (in single precision it copies the weight for the Vector API kernel when the pass
     * has more than one step, see {@link StepWeight}).
     */
    StepWeight weight(String key, int from, int to, boolean transpose) {
        return stepWeights.computeIfAbsent(key + "[" + from + "," + to + ")" + (transpose ? "T" : ""), k -> {
            INDArray p = param(key);
            INDArray w = from == 0 && to == p.size(1) ? p
                    : p.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to));
            return new StepWeight(transpose ? w.transpose() : w, steps > 1);
        });
    }

    /** Parameter {@code key} as it multiplies a step's states: {@code s·W}. */
    StepWeight weight(String key) {
        return weight(key, 0, (int) param(key).size(1), false);
    }

    /** Parameter {@code key} transposed, for a step's gradient: {@code dG·Wᵀ}. */
    StepWeight transposed(String key) {
        return weight(key, 0, (int) param(key).size(1), true);
    }

    /** {@code dL/ds_{t−1} += (dG·Wᵀ) ⊙ mask}: the gradient of a recurrent product {@code recurrentInput(t)·W}. */
    void backThroughRecurrent(INDArray dG, StepWeight wT) {
        if (recMask == null) {
            wT.multiply(dG, dPrev[0].arr, true);
            return;
        }
        Mat tmp = one("recurrentBack", dPrev[0].cols);
        wT.multiply(dG, tmp.arr, false);
        double[] g = tmp.readBlock(0, buf("recurrentBack", recMask.length));
        double[] p = dPrev[0].readBlock(0, buf("recurrentPrev", recMask.length));
        for (int k = 0; k < recMask.length; k++) {
            p[k] += g[k] * recMask[k];
        }
        dPrev[0].writeBlock(0, p);
    }

    /**
     * For cells whose recurrent product {@code s·RW} (s = state part 0) adds to the same pre-activations as
     * {@code x·W + b} (LSTM, SRN, Jordan's hidden layer): {@code dL/ds_{t−1} += dXP_t·RWᵀ}.
     */
    void backThroughRecurrentWeights(int t) {
        backThroughRecurrent(dxp.block(t), transposed("RW"));
    }

    /** For the same cells: {@code db = Σ dXP} and {@code dRW = S_prevᵀ·dXP} over steps {@code [first, last)}. */
    void biasAndRecurrentWeightGradients(int first, int last) {
        INDArray dA = dxp.blocks(first, last);
        columnSums("b", dA);
        gradient("RW", recurrentInputs(first, last), dA);
    }

    INDArray param(String key) {
        INDArray p = params.get(key);
        if (p == null) {
            throw new IllegalStateException("The recurrent core found no parameter '" + key + "'");
        }
        return p;
    }

    /** A parameter's values as a flat double array (row vectors: biases, α), read once per pass. */
    double[] vector(String key) {
        return vectors.computeIfAbsent(key, k -> param(k).castTo(DataType.DOUBLE).dup('c').data().asDouble());
    }

    /** A parameter's values as a flat float array (row vectors: biases), read once per pass. */
    float[] floatVector(String key) {
        return floatVectors.computeIfAbsent(key, k -> param(k).castTo(DataType.FLOAT).dup('c').data().asFloat());
    }

    /** Row-major index of (example i, column j) in block t of a matrix with {@code cols} columns. */
    int row(int t, int i) {
        return t * mb + i;
    }
}
