package org.seq4j.core;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seq4j.util.Checks;

/**
 * The one recurrent runtime: runs any {@link RecurrentCell} over a sequence on DL4J's recurrent-layer API, forward
 * and with hand-written backpropagation through time.
 *
 * <p>Work is arranged as fused RNN kernels (cuDNN, PyTorch) arrange it, so that each time step costs one recurrent
 * GEMM and one fused pass of Java arithmetic over the gates, and no per-step ND4J element-wise op or allocation:
 * <ol>
 *   <li>The input is laid out time-major, {@code X [T·mb, nIn]}, and projected for all steps in one GEMM,
 *       {@code XP = X·W}.</li>
 *   <li>Per step the cell's kernel does its recurrent GEMM into a preallocated block and its gate math in one loop
 *       over the native buffers ({@link Mat}); masked steps then carry every state part
 *       ({@code s_t = m·s'_t + (1 − m)·s_{t−1}}).</li>
 *   <li>Backward mirrors it; weight gradients are one GEMM each over all steps ({@code dW = Xᵀ·dXP} here, the
 *       recurrent ones in the cell), and {@code dX = dXP·Wᵀ} is one GEMM.</li>
 * </ol>
 * Working memory is detached from DL4J's workspaces and reused across iterations while shapes stay the same; a
 * training forward pass keeps its intermediates for the backward pass (no recomputation).
 *
 * <p>State for {@code rnnTimeStep} and truncated BPTT: the cell's state parts under its
 * {@link RecurrentCell#stateKeys()} ({@code prevAct} = h, as DL4J's own layers name it); see {@link CellState}.
 */
public class RecurrentRuntime extends BaseRecurrentLayer<org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer> {

    private final RecurrentCell cell;
    private final int units;
    private final Map<String, Mat> pool = new HashMap<>();
    private final Map<String, double[]> buffers = new HashMap<>();
    private final Map<String, float[]> floatBuffers = new HashMap<>();
    private CellContext kept;
    private INDArray keptInput;
    /**
     * This layer's own copy of the configuration's input dropout: DL4J's {@code Dropout} keeps the last mask in the
     * configuration object, and {@code Bidirectional.clone()} does not copy the layer it wraps, so networks built from
     * clones of one configuration (Spark's workers in one executor, ParallelWrapper) would share, and overwrite, one
     * mask between threads.
     */
    private org.deeplearning4j.nn.conf.dropout.IDropout inputDropout;
    private long forwardPasses;

    private final double recurrentDropout;
    /** A fixed recurrent-dropout mask for tests (gradient checks need the same mask in every forward pass). */
    private double[] fixedRecurrentMask;

    public RecurrentRuntime(NeuralNetConfiguration conf, DataType dataType, RecurrentCell cell, long units) {
        this(conf, dataType, cell, units, 0.0);
    }

    /** A runtime whose cell drops its recurrent input with probability {@code recurrentDropout} in training. */
    public RecurrentRuntime(NeuralNetConfiguration conf, DataType dataType, RecurrentCell cell, long units,
                            double recurrentDropout) {
        super(conf, dataType);
        this.cell = cell;
        this.units = Math.toIntExact(units);
        this.recurrentDropout = recurrentDropout;
    }

    private double[] lastRecurrentMask;
    private boolean recordStateGradients;
    private double[] stateGradientNorms;

    /**
     * Records, in every backward pass from now on, the norm of dL/ds_t over the whole state s_t (every part: LSTM's
     * h and c, SCRN's h and context) at each step t, the mean over the examples of the L2 norm: the raw material of
     * the gradient-norm-versus-lag diagnostic ({@link GradientLag}).
     */
    public void recordStateGradients(boolean on) {
        this.recordStateGradients = on;
    }

    /** The norms of the last backward pass by step (index t), or null when not recorded. */
    public double[] stateGradientNorms() {
        return stateGradientNorms == null ? null : stateGradientNorms.clone();
    }

    /** The recurrent-dropout mask of the last forward pass (null when none was used). For tests. */
    double[] lastRecurrentMask() {
        return lastRecurrentMask;
    }

    /** Uses {@code mask} (keep values, already scaled) instead of sampling one; null samples again. For tests. */
    void fixRecurrentMask(double[] mask) {
        this.fixedRecurrentMask = mask;
    }

    /**
     * The variational dropout mask of a training pass: per example and unit, kept with probability 1 − p and then
     * scaled by 1/(1 − p), the same at every step; drawn from ND4J's random generator (seeded by the network).
     */
    private double[] recurrentMask(boolean training, int mb) {
        if (!training || recurrentDropout <= 0) {
            return null;
        }
        int n = mb * (int) cell.stateSizes(units)[0];
        if (fixedRecurrentMask != null) {
            Checks.require(fixedRecurrentMask.length == n, "%s: fixed recurrent mask has %d values, needs %d", name(),
                    fixedRecurrentMask.length, n);
            return fixedRecurrentMask;
        }
        double[] m = new double[n];
        double keep = 1 - recurrentDropout;
        org.nd4j.linalg.api.rng.Random rng = Nd4j.getRandom();
        for (int k = 0; k < n; k++) {
            m[k] = rng.nextDouble() < keep ? 1 / keep : 0.0;
        }
        return m;
    }

    /** Forward passes run so far (a test checks that a training step runs one, not two). */
    public long forwardPasses() {
        return forwardPasses;
    }

    public RecurrentCell cell() {
        return cell;
    }

    public long units() {
        return units;
    }

    @Override
    public Type type() {
        return Type.RECURRENT;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    private String name() {
        return cell.kind() + " layer " + Checks.layerName(layerConf().getLayerName());
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
                                                          int minibatchSize) {
        this.maskArray = maskArray;
        this.maskState = currentMaskState;
        return new Pair<>(maskArray, MaskState.Passthrough);
    }

    private boolean carryState;
    /** The initial state of the last forward pass (null: zeros), for a backward pass that must recompute it. */
    private INDArray[] lastInitial;

    /**
     * Stateful mode (Keras {@code stateful=True}; the continuous-stream batching of Zaremba et al.): every forward
     * pass, training included, starts from the state the previous one ended in and stores its last state, so the
     * rows of consecutive batches are consecutive segments of the same streams. Gradients do not flow into the
     * previous batch (truncated BPTT at the batch boundary). {@code rnnClearPreviousState()} starts the streams
     * again from zeros; the carried state is the one {@link CellState#capture} reads, so a checkpoint can hold it.
     * Not persisted with the model: a task switches it on for the runs that need it.
     */
    public void carryState(boolean on) {
        this.carryState = on;
    }

    public boolean carriesState() {
        return carryState;
    }

    /** Switches {@link #carryState} on or off for every seq4j recurrent layer of {@code graph}. */
    public static void carryState(org.deeplearning4j.nn.graph.ComputationGraph graph, boolean on) {
        for (org.deeplearning4j.nn.api.Layer l : graph.getLayers()) {
            if (l instanceof RecurrentRuntime r) {
                r.carryState(on);
            }
        }
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (carryState) {
            CellContext c = forward(stored(stateMap), training, training, workspaceMgr);
            store(c, stateMap);
            return output(c, workspaceMgr);
        }
        return output(forward(null, training, training, workspaceMgr), workspaceMgr);
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        setInput(input.isAttached() ? input.detach() : input, workspaceMgr);
        CellContext c = forward(stored(stateMap), false, false, workspaceMgr);
        store(c, stateMap);
        return output(c, workspaceMgr);
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
                                                LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        CellContext c = forward(stored(tBpttStateMap), training, training, workspaceMgr);
        if (storeLastForTBPTT) {
            store(c, tBpttStateMap);
        }
        return output(c, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        return backward(epsilon, null, -1, workspaceMgr);
    }

    /**
     * Truncated BPTT: the segment starts from the state the previous segment ended in ({@code stateMap}, which DL4J
     * updates from the TBPTT state after every segment), and gradients flow back over the last
     * {@code tbpttBackLength} steps only.
     */
    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength,
                                                          LayerWorkspaceMgr workspaceMgr) {
        return backward(epsilon, stored(stateMap), tbpttBackLength, workspaceMgr);
    }

    private INDArray[] stored(Map<String, INDArray> map) {
        String[] keys = cell.stateKeys();
        INDArray[] parts = new INDArray[keys.length];
        boolean any = false;
        for (int p = 0; p < keys.length; p++) {
            parts[p] = map.get(keys[p]);
            any |= parts[p] != null;
        }
        return any ? parts : null;
    }

    private void store(CellContext c, Map<String, INDArray> map) {
        String[] keys = cell.stateKeys();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            for (int p = 0; p < keys.length; p++) {
                map.put(keys[p], c.states[p].block(c.steps).dup('c'));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Forward

    private Map<String, INDArray> params(boolean training, LayerWorkspaceMgr ws) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (ParamSpec s : cell.parameters(layerConf().getNIn(), units)) {
            m.put(s.key(), getParamWithNoise(s.key(), training, ws));
        }
        return m;
    }

    @Override
    protected void applyDropOutIfNecessary(boolean training, LayerWorkspaceMgr ws) {
        if (training && !dropoutApplied && layerConf().getIDropout() != null) {
            if (inputDropout == null) {
                inputDropout = layerConf().getIDropout().clone();
            }
            INDArray result = inputModificationAllowed ? input
                    : ws.createUninitialized(ArrayType.INPUT, input.dataType(), input.shape(), input.ordering());
            input = inputDropout.applyDropout(input, result, getIterationCount(), getEpochCount(), ws);
            dropoutApplied = true;
        }
    }

    @Override
    protected INDArray backpropDropOutIfPresent(INDArray epsilon) {
        if (layerConf().getIDropout() != null && inputDropout != null) {
            inputDropout.backprop(epsilon, epsilon, getIterationCount(), getEpochCount());
        }
        return epsilon;
    }

    /**
     * Inputs of at least this width are projected on the Vector API kernel ({@link StepWeight#multiplyRows}), narrower
     * ones by OpenBLAS. Measured on one core here (B·T = 1,600 rows, the weight's packing included): k = 256, n = 1024
     * 7.1 against 8.4 ms; k = 512, n = 2048 22 against 32 ms; k = 64: level (1.07 against 1.08 ms at n = 512).
     */
    static final int KERNEL_PROJECTION_MIN_IN = 128;

    /** {@code X·W} for all steps at once, into {@code c.xp}. */
    private static void projectInput(CellContext c, int nIn) {
        StepWeight w = nIn >= KERNEL_PROJECTION_MIN_IN && c.x.arr.dataType() == DataType.FLOAT ? c.weight("W") : null;
        if (w != null && w.multipliesArrays(c.xp.cols)) {
            w.multiplyRows(c.x, c.xp);
        } else {
            Blas.gemm(c.x.arr, c.param("W"), c.xp.arr, false, false, 1.0, 0.0);
        }
    }

    private CellContext forward(INDArray[] initial, boolean training, boolean keep, LayerWorkspaceMgr ws) {
        assertInputSet(false);
        forwardPasses++;
        kept = null;
        keptInput = null;
        applyDropOutIfNecessary(training, ws);
        INDArray in = permuteIfNWC(input);
        checkInput(in, initial);
        lastInitial = initial;
        final int mb = (int) in.size(0);
        final int nIn = (int) in.size(1);
        final int steps = (int) in.size(2);
        final long[] sizes = cell.stateSizes(units);

        CellContext c = new CellContext(dataType, mb, steps, nIn, units, params(training, ws), pool, buffers,
                floatBuffers);
        c.keep = training;
        c.x = c.perStep("x", nIn);
        toTimeMajor(in, 0, nIn, c.x, c);
        c.xp = c.perStep("xp", (int) cell.projectionWidth(units));
        projectInput(c, nIn);
        c.states = new Mat[sizes.length];
        for (int p = 0; p < sizes.length; p++) {
            c.states[p] = c.mat("state" + p, (steps + 1) * mb, (int) sizes[p]);
            if (initial != null && initial[p] != null) {
                c.states[p].block(0).assign(initial[p]);
            } else {
                c.states[p].zeroBlock(0);
            }
        }
        c.mask = timeMajorMask(maskArray, mb, steps, name());
        c.recMask = recurrentMask(training, mb);
        lastRecurrentMask = c.recMask;
        cell.prepare(c);
        for (int t = 0; t < steps; t++) {
            cell.forward(c, t);
            if (c.mask != null) {
                carryOverPadding(c, t);
            }
        }
        if (keep) {
            kept = c;
            keptInput = input;
        }
        return c;
    }

    /** {@code s_{t+1} = m·s' + (1 − m)·s_t} for every state part, on the rows of step t whose mask is not 1. */
    static void carryOverPadding(CellContext c, int t) {
        for (int i = 0; i < c.mb; i++) {
            double m = c.mask[t * c.mb + i];
            if (m == 1.0) {
                continue;
            }
            for (Mat s : c.states) {
                int prev = (t * c.mb + i) * s.cols;
                int next = prev + c.mb * s.cols;
                for (int j = 0; j < s.cols; j++) {
                    s.set(next + j, m * s.get(next + j) + (1 - m) * s.get(prev + j));
                }
            }
        }
    }

    /**
     * The layer output {@code [mb, outputSize, T]}: the output state parts of steps 1..T, times the mask, written as
     * time-major rows {@code [T, mb, outputSize]} and returned as a permuted view of them (strides
     * {@code [outputSize, 1, mb·outputSize]}): no transpose here, and a seq4j layer above reads the rows back with
     * one contiguous copy ({@link #timeMajorRows}).
     */
    private INDArray output(CellContext c, LayerWorkspaceMgr ws) {
        int outSize = (int) cell.outputSize(units);
        INDArray rowsOut = ws.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                new long[] {c.steps, c.mb, outSize}, 'c');
        // each output part's rows of steps 1..T are already time-major: one ND4J copy per part, one mask multiply
        INDArray rows2d = rowsOut.reshape('c', (long) c.steps * c.mb, outSize);
        int[] parts = cell.outputParts();
        int off = 0;
        for (int p : parts) {
            Mat s = c.states[p];
            INDArray src = s.arr.get(interval(c.mb, (long) (c.steps + 1) * c.mb), all());
            (parts.length == 1 ? rows2d : rows2d.get(all(), interval(off, off + s.cols))).assign(src);
            off += s.cols;
        }
        if (c.mask != null) {
            rows2d.muliColumnVector(Nd4j.createFromArray(c.mask).castTo(dataType).reshape(rows2d.size(0), 1));
        }
        return permuteIfNWC(rowsOut.permute(1, 2, 0));
    }

    /**
     * The rows {@code [T·mb, n]} of {@code x [mb, n, T]} as a row-major view, when x is a permuted view of time-major
     * rows (as this layer's output and {@code SoftmaxOutput}'s input gradient are); null otherwise.
     */
    static INDArray timeMajorRows(INDArray x) {
        if (x.rank() != 3 || x.isEmpty()) {
            return null;
        }
        long mb = x.size(0);
        long n = x.size(1);
        long steps = x.size(2);
        boolean rows = (x.stride(1) == 1 || n == 1) && (x.stride(0) == n || mb == 1)
                && (x.stride(2) == mb * n || steps == 1);
        return rows ? x.permute(2, 0, 1).reshape('c', steps * mb, n) : null;
    }

    /** Columns per tile of the layout loops between time-major rows and DL4J's {@code [mb, n, T]} arrays. */
    private static final int TILE = 16;

    /** {@code dst[t·mb + i][j] = src[i, off + j, t]} for j in [0, cols). */
    private static void toTimeMajor(INDArray src, int off, int cols, Mat dst, CellContext c) {
        int mb = c.mb;
        int steps = c.steps;
        if (!Strided3.supports(src) || src.dataType() != dst.arr.dataType()) {
            INDArray part = src.get(all(), interval(off, off + cols), all());
            dst.arr.reshape('c', steps, mb, cols).assign(part.permute(2, 0, 1));
            return;
        }
        INDArray rows2d = off == 0 && cols == src.size(1) ? timeMajorRows(src) : null;
        if (rows2d != null) {
            dst.arr.assign(rows2d);   // already time-major rows: one contiguous copy
            return;
        }
        if (src.dataType() == DataType.FLOAT && src.stride(0) >= 0 && src.stride(1) >= 0 && src.stride(2) >= 0) {
            toTimeMajorFloat(src, off, cols, dst, c);
            return;
        }
        Strided3 s = new Strided3(src, c.buf("layout.in", 0));
        c.keepBuf("layout.in", s.values());
        double[] rows = c.buf("layout.rows", steps * mb * cols);
        for (int t = 0; t < steps; t++) {
            for (int j0 = 0; j0 < cols; j0 += TILE) {
                int j1 = Math.min(cols, j0 + TILE);
                for (int i = 0; i < mb; i++) {
                    int r = (t * mb + i) * cols;
                    for (int j = j0; j < j1; j++) {
                        rows[r + j] = s.get(i, off + j, t);
                    }
                }
            }
        }
        dst.write(0, steps * mb * cols, rows, 0);
    }

    /**
     * {@link #toTimeMajor} in single precision for an array with non-negative strides: one bulk copy of the memory it
     * spans into a float work array, the transpose in floats, one bulk copy out (no conversions to double and back).
     */
    private static void toTimeMajorFloat(INDArray src, int off, int cols, Mat dst, CellContext c) {
        int mb = c.mb;
        int steps = c.steps;
        int s0 = (int) src.stride(0);
        int s1 = (int) src.stride(1);
        int s2 = (int) src.stride(2);
        int span = (mb - 1) * s0 + ((int) src.size(1) - 1) * s1 + (steps - 1) * s2 + 1;
        float[] v = c.floatBuf("layout.in", span);
        src.data().asNioFloat().get((int) src.offset(), v, 0, span);
        float[] rows = c.floatBuf("layout.rows", steps * mb * cols);
        for (int t = 0; t < steps; t++) {
            for (int j0 = 0; j0 < cols; j0 += TILE) {
                int j1 = Math.min(cols, j0 + TILE);
                for (int i = 0; i < mb; i++) {
                    int r = (t * mb + i) * cols;
                    int at = i * s0 + (off + j0) * s1 + t * s2;
                    for (int j = j0; j < j1; j++, at += s1) {
                        rows[r + j] = v[at];
                    }
                }
            }
        }
        dst.arr.data().asNioFloat().put(0, rows, 0, steps * mb * cols);
    }

    /**
     * A mask {@code [mb, T]} (or DL4J's output-layer form {@code [mb·T, 1]}, already in time-major 'f' order) as
     * time-major values, index {@code t·mb + i}; null when {@code mask} is null. {@code what} names the layer in errors.
     */
    static double[] timeMajorMask(INDArray mask, int mb, int steps, String what) {
        if (mask == null) {
            return null;
        }
        if (mask.rank() == 2 && mask.size(1) == 1 && mask.size(0) == (long) mb * steps && steps > 1) {
            return mask.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        }
        Checks.require(mask.rank() == 2 && mask.size(0) == mb && mask.size(1) == steps,
                "%s: mask must be [minibatch, timeSteps] = [%d, %d], got %s", what, mb, steps,
                Arrays.toString(mask.shape()));
        double[] byExample = mask.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] m = new double[mb * steps];
        for (int i = 0; i < mb; i++) {
            for (int t = 0; t < steps; t++) {
                m[t * mb + i] = byExample[i * steps + t];
            }
        }
        return m;
    }

    private void checkInput(INDArray in, INDArray[] initial) {
        long nIn = layerConf().getNIn();
        Checks.require(in.rank() == 3,
                "%s: expected input of rank 3 [minibatch, nIn=%d, timeSteps], got rank %d with shape %s",
                name(), nIn, in.rank(), Arrays.toString(in.shape()));
        Checks.require(in.size(1) == nIn, "%s: expected input [minibatch, nIn=%d, timeSteps], got shape %s",
                name(), nIn, Arrays.toString(in.shape()));
        Checks.require(in.size(2) > 0, "%s: the input has no time steps (shape %s)", name(),
                Arrays.toString(in.shape()));
        if (initial != null) {
            long[] sizes = cell.stateSizes(units);
            for (int p = 0; p < initial.length; p++) {
                INDArray s = initial[p];
                Checks.require(s != null && s.rank() == 2 && s.size(0) == in.size(0) && s.size(1) == sizes[p],
                        "%s: stored state '%s' is %s but the input needs [%d, %d]; call rnnClearPreviousState() "
                                + "before a batch of another size", name(), cell.stateKeys()[p],
                        s == null ? "missing" : Arrays.toString(s.shape()), in.size(0), sizes[p]);
            }
        }
        Checks.require(in.dataType().isFPType(), "%s: input must be floating point, got %s", name(),
                in.dataType());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Backward

    private void recordNorm(Mat[] parts, int mb, int t, int steps) {
        if (stateGradientNorms == null || stateGradientNorms.length != steps) {
            stateGradientNorms = new double[steps];
        }
        double sum = 0;
        for (int i = 0; i < mb; i++) {
            double sq = 0;
            for (Mat d : parts) {
                for (int j = 0; j < d.cols; j++) {
                    double v = d.get(i * d.cols + j);
                    sq += v * v;
                }
            }
            sum += Math.sqrt(sq);
        }
        stateGradientNorms[t] = sum / mb;
    }

    private Pair<Gradient, INDArray> backward(INDArray epsilon, INDArray[] initial, int backLength,
                                              LayerWorkspaceMgr ws) {
        assertInputSet(true);
        CellContext c;
        if (kept != null && keptInput == input) {
            c = kept;
        } else {
            // recompute with the dropout mask the loss was computed with, not a new one
            double[] fixed = fixedRecurrentMask;
            fixedRecurrentMask = lastRecurrentMask;
            try {
                c = forward(initial != null ? initial : lastInitial, true, false, ws);
            } finally {
                fixedRecurrentMask = fixed;
            }
        }
        kept = null;
        keptInput = null;
        c.grads = gradientViews;
        final int mb = c.mb;
        final int steps = c.steps;
        final int first = backLength > 0 ? Math.max(0, steps - backLength) : 0;
        final long[] sizes = cell.stateSizes(units);
        final int parts = sizes.length;

        // epsilon [mb, out, T] -> per output part, time-major [T*mb, size], zero on padded steps
        INDArray eps = permuteIfNWC(epsilon);
        Checks.require(eps.rank() == 3 && eps.size(0) == mb && eps.size(2) == steps,
                "%s: expected an output gradient [%d, %d, %d], got %s", name(), mb, cell.outputSize(units), steps,
                Arrays.toString(eps.shape()));
        Mat[] epsByPart = new Mat[parts];
        long off = 0;
        for (int p : cell.outputParts()) {
            Mat e = c.perStep("eps" + p, (int) sizes[p]);
            toTimeMajor(eps, (int) off, (int) sizes[p], e, c);
            epsByPart[p] = e;
            off += sizes[p];
        }

        c.dxp = c.perStep("dxp", (int) cell.projectionWidth(units));
        Mat[] cur = new Mat[parts];
        Mat[] next = new Mat[parts];
        for (int p = 0; p < parts; p++) {
            cur[p] = c.one("dcur" + p, (int) sizes[p]);
            next[p] = c.one("dnext" + p, (int) sizes[p]);
            cur[p].zero();
        }
        c.acc = null;
        for (int t = steps - 1; t >= first; t--) {
            for (int p = 0; p < parts; p++) {
                Mat e = epsByPart[p];
                int cols = cur[p].cols;
                double[] d = cur[p].readBlock(0, c.buf("back.d", mb * cols));
                double[] ev = e == null ? null : e.readBlock(t, c.buf("back.e", mb * cols));
                double[] n = c.buf("back.n", mb * cols);
                for (int i = 0; i < mb; i++) {
                    double m = c.mask == null ? 1.0 : c.mask[t * mb + i];
                    for (int j = i * cols; j < (i + 1) * cols; j++) {
                        // the output is m·s_t, so its gradient reaches s_t times m
                        double v = d[j] + (ev == null ? 0.0 : m * ev[j]);
                        // s_t = m·s' + (1 − m)·s_{t−1}: m·v goes to the cell's new state, (1 − m)·v past it
                        d[j] = m * v;
                        n[j] = (1 - m) * v;
                    }
                }
                cur[p].writeBlock(0, d);
                next[p].writeBlock(0, n);
            }
            c.dNew = cur;
            c.dPrev = next;
            if (recordStateGradients) {
                recordNorm(cur, mb, t, steps);
            }
            cell.backward(c, t);
            Mat[] swap = cur;
            cur = next;
            next = swap;
        }

        INDArray dXP = c.dxp.blocks(first, steps);
        Blas.gemm(c.x.blocks(first, steps), dXP, gradientViews.get("W"), true, false, 1.0, 0.0);
        cell.finishBackward(c, first, steps);

        // dL/dx = dXP·Wᵀ, written straight into time-major rows [T, mb, nIn] and returned as the [mb, nIn, T] view
        // of them (see output()); steps before the truncation window get zero
        INDArray rowsOut = ws.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
                new long[] {steps, mb, c.nIn}, 'c');
        INDArray dx = rowsOut.reshape('c', (long) steps * mb, c.nIn);
        if (first > 0) {
            dx.get(interval(0, (long) first * mb), all()).assign(0.0);
        }
        Blas.gemm(dXP, c.param("W"), dx.get(interval((long) first * mb, (long) steps * mb), all()), false, true,
                1.0, 0.0);
        INDArray epsOut = rowsOut.permute(1, 2, 0);

        weightNoiseParams.clear();
        Gradient g = new DefaultGradient(gradientsFlattened);
        for (String key : c.params.keySet()) {   // the cell's parameters, in layout order
            g.gradientForVariable().put(key, gradientViews.get(key));
        }
        epsOut = backpropDropOutIfPresent(epsOut);
        return new Pair<>(g, permuteIfNWC(epsOut));
    }
}
