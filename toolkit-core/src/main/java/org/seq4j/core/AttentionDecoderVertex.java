package org.seq4j.core;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.samediff.SameDiffGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seq4j.attention.Attention;
import org.seq4j.attention.AttentionScore;
import org.seq4j.samediff.DynamicSameDiffVertex;
import org.seq4j.util.Checks;

/**
 * The runtime of an {@link AttentionDecoder}: the recurrent core's cell kernels ({@link RecurrentCell#forward},
 * {@link RecurrentCell#backward}) with the attention and the attentional output in between, forward and backward
 * by hand. DL4J's SameDiff vertex machinery is used only for what it provides to every vertex with parameters (the
 * parameter and gradient views, the updater, masks); no SameDiff graph is built.
 *
 * <p>Per step: one GEMM for the cell's input projection of {@code [y_t; f_t]}, the cell's recurrent GEMM and fused gate
 * loop, the attention over the memory in Java loops (scores, softmax over the valid encoder steps, context), and one
 * GEMM for {@code h̃_t = tanh([c_t; h_t]·Wc)}. Backward mirrors it; the weight gradients of the cell's input
 * projection and of {@code Wc} are one GEMM each over all steps.
 */
public final class AttentionDecoderVertex extends SameDiffGraphVertex {

    private final AttentionDecoder conf;
    private final Map<String, Mat> pool = new HashMap<>();
    private final Map<String, double[]> buffers = new HashMap<>();
    private final Map<String, float[]> floatBuffers = new HashMap<>();
    private Pass kept;
    private INDArray[] keptInputs;

    public AttentionDecoderVertex(AttentionDecoder config, ComputationGraph graph, String name, int vertexIndex,
                                  INDArray paramsView, boolean initParams, DataType dataType) {
        super(config, graph, name, vertexIndex, paramsView, initParams, dataType);
        this.conf = config;
    }

    // ---- DL4J graph vertex -----------------------------------------------------------------------------------------

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        conf.validateInput(inputs);
        kept = null;
        keptInputs = null;
        Pass p = forwardOnInputs();
        if (training) {
            kept = p;
            keptInputs = inputs.clone();
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                new long[] {p.mb, p.h, p.steps}, 'f');
        p.output(out);
        return out;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        conf.validateInput(inputs);
        Pass p = kept;
        if (p == null || !sameArrays(keptInputs, inputs)) {
            p = forwardOnInputs();
        }
        kept = null;
        keptInputs = null;
        INDArray dIn = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
                new long[] {p.mb, p.nIn, p.steps}, 'f');
        INDArray dMem = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
                new long[] {p.mb, p.mem.size, p.mem.steps}, 'f');
        INDArray dInit = inputs.length == 3 ? workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
                new long[] {p.mb, p.h}, 'c') : null;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            p.backward(epsilon, gradTable, dIn, dMem, dInit);
        }
        Gradient g = new DefaultGradient();
        for (String key : paramTable.keySet()) {
            g.gradientForVariable().put(key, gradTable.get(key));
        }
        return new Pair<>(g, dInit == null ? new INDArray[] {dIn, dMem} : new INDArray[] {dIn, dMem, dInit});
    }

    private static boolean sameArrays(INDArray[] a, INDArray[] b) {
        if (a == null || a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    /** Also forgets masks and the kept pass (DL4J sets a vertex's masks only when a batch has masks). */
    @Override
    public void clearVertex() {
        super.clearVertex();
        maskArrays = null;
        kept = null;
        keptInputs = null;
    }

    /**
     * A forward pass over the vertex's inputs with their current masks, starting from the initial-state input (h_0;
     * the other parts zero) or from zeros without one.
     */
    private Pass forwardOnInputs() {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            State initial = inputs.length == 3 ? start(inputs[2]) : null;
            return forward(inputs[0], memory(inputs[1], DynamicSameDiffVertex.currentMask(maskArrays, 1, inputs[1])),
                    DynamicSameDiffVertex.currentMask(maskArrays, 0, inputs[0]), initial, pool, buffers);
        }
    }

    // ---- step-by-step decoding -------------------------------------------------------------------------------------

    /**
     * The decoder's state between steps: the cell's state parts ({@link RecurrentCell#stateKeys()} order, each
     * {@code [rows, size]}) and the last attentional vector {@code h̃} {@code [rows, units]}.
     */
    public record State(INDArray[] cell, INDArray feed) {

        /** The state of rows {@code rows} (in that order; rows may repeat): beam search's reordering. */
        public State reorder(int[] rows) {
            Map<String, INDArray> parts = new LinkedHashMap<>();
            for (int p = 0; p < cell.length; p++) {
                parts.put("cell" + p, cell[p]);
            }
            parts.put("feed", feed);
            CellState r = CellState.of(parts).reorder(rows);
            INDArray[] reordered = new INDArray[cell.length];
            for (int p = 0; p < cell.length; p++) {
                reordered[p] = r.get("cell" + p);
            }
            return new State(reordered, r.get("feed"));
        }
    }

    /** One step's result: the output {@code h̃ [rows, units]}, the attention weights {@code [rows, Te]}, the next state. */
    public record Step(INDArray output, INDArray weights, State next) {
    }

    /** The encoder memory of a batch prepared once for many steps (values, mask, Bahdanau's keys). */
    public Memory memory(INDArray memory, INDArray mask) {
        return new Memory(memory, mask);
    }

    /** The zero state for {@code rows} rows: where decoding starts. */
    public State start(int rows) {
        long[] sizes = conf.getCell().stateSizes(conf.getUnits());
        INDArray[] parts = new INDArray[sizes.length];
        for (int p = 0; p < sizes.length; p++) {
            parts[p] = Nd4j.zeros(dataType, rows, sizes[p]);
        }
        return new State(parts, Nd4j.zeros(dataType, rows, conf.getUnits()));
    }

    /** The state with hidden state {@code h0 [rows, units]} and every other part zero (the initial-state input). */
    public State start(INDArray h0) {
        Checks.require(h0.rank() == 2 && h0.size(1) == conf.getUnits(), "%s: expected an initial state [rows, %d], "
                + "got %s", conf.describe(), conf.getUnits(), Arrays.toString(h0.shape()));
        State zero = start((int) h0.size(0));
        zero.cell()[0] = h0.castTo(dataType).dup('c');
        return zero;
    }

    /**
     * One decoder step for every row: {@code y [rows, nIn]} (this step's inputs, e.g. the previous token's embedding)
     * from {@code state}, over {@code memory} (rows aligned with y). Equals the corresponding step of a full forward
     * pass over the sequence.
     */
    public Step step(INDArray y, Memory memory, State state) {
        Checks.require(y.rank() == 2 && y.size(1) == conf.getInputSize() && y.size(0) == memory.mb,
                "%s: expected step inputs [%d, %d], got %s", conf.describe(), memory.mb, conf.getInputSize(),
                Arrays.toString(y.shape()));
        Pass p;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            p = forward(y.reshape(y.size(0), y.size(1), 1), memory, null, state, new HashMap<>(), new HashMap<>());
        }
        INDArray out = Nd4j.create(dataType, new long[] {p.mb, p.h, 1}, 'f');
        p.output(out);
        INDArray[] parts = new INDArray[p.c.states.length];
        for (int k = 0; k < parts.length; k++) {
            parts[k] = p.c.states[k].block(1).dup('c');
        }
        INDArray weights = Nd4j.create(p.alpha[0], new long[] {p.mb, memory.steps}, 'c')
                .castTo(dataType);
        return new Step(out.reshape(p.mb, p.h), weights, new State(parts, p.out.block(1).dup('c')));
    }

    // ---- the computation -------------------------------------------------------------------------------------------

    /** Encoder memory as Java arrays: values {@code [(i·Te + s)·D + k]}, mask {@code [i·Te + s]}, keys for Bahdanau. */
    public final class Memory {
        final int mb;
        final int steps;
        final int size;
        final double[] values;
        final double[] mask;
        /** Bahdanau's {@code M·Wk}, {@code [(i·Te + s)·A + a]}; null for the Luong scores */
        final double[] keys;

        Memory(INDArray memory, INDArray memMask) {
            Checks.require(memory.rank() == 3 && memory.size(1) == conf.getMemorySize(),
                    "%s: expected encoder memory [minibatch, %d, Te], got %s", conf.describe(),
                    conf.getMemorySize(), Arrays.toString(memory.shape()));
            this.mb = (int) memory.size(0);
            this.size = (int) memory.size(1);
            this.steps = (int) memory.size(2);
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                INDArray byStep = memory.castTo(DataType.DOUBLE).permute(0, 2, 1).dup('c');   // [mb, Te, D]
                this.values = byStep.data().asDouble();
                if (memMask != null) {
                    Checks.require(memMask.rank() == 2 && memMask.size(0) == mb && memMask.size(1) == steps,
                            "%s: encoder mask must be [%d, %d], got %s", conf.describe(), mb, steps,
                            Arrays.toString(memMask.shape()));
                    this.mask = memMask.castTo(DataType.DOUBLE).dup('c').data().asDouble();
                } else {
                    this.mask = null;
                }
                if (conf.getScore() == AttentionScore.BAHDANAU) {
                    INDArray wk = paramTable.get(Attention.WK).castTo(DataType.DOUBLE);
                    this.keys = byStep.reshape('c', (long) mb * steps, size).mmul(wk).dup('c').data().asDouble();
                } else {
                    this.keys = null;
                }
            }
        }

        boolean valid(int i, int s) {
            return mask == null || mask[i * steps + s] != 0.0;
        }
    }

    private Pass forward(INDArray y, Memory memory, INDArray decMask, State initial, Map<String, Mat> pool,
                         Map<String, double[]> buffers) {
        Pass p = new Pass(y, memory, pool, buffers);
        p.run(decMask, initial);
        return p;
    }

    /** {@code dst = values} read in 'c' order with dst's shape. */
    private static void assign(INDArray dst, double[] values) {
        dst.assign(Nd4j.create(values, dst.shape(), 'c').castTo(dst.dataType()));
    }

    private static double[] vector(INDArray x) {
        return x == null ? null : x.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    /** One forward pass (kept for its backward pass): the core's {@link CellContext} plus the attention's values. */
    private final class Pass {
        final int mb;
        final int steps;
        final int nIn;
        final int h;
        final int feed;
        final int d;
        final int a;
        final boolean feeding = conf.getFlow() == AttentionDecoder.Flow.INPUT_FEEDING;
        final AttentionScore score = conf.getScore();
        final Memory mem;
        final CellContext c;
        final INDArray y;
        /** the attentional vectors: block 0 the initial feed, block t + 1 = h̃_t after the mask's carry */
        Mat out;
        /** h̃'_t before the carry (the tanh values), block t */
        Mat raw;
        /** [c_t; h_t], block t */
        Mat z;
        /** per step: attention weights [mb·Te], query q [mb·H], projected query (Wa·q or Wq·q) */
        final double[][] alpha;
        final double[][] query;
        final double[][] projected;
        final double[] wa;
        final double[] wq;
        final double[] v;

        Pass(INDArray y, Memory mem, Map<String, Mat> pool, Map<String, double[]> buffers) {
            this.y = y;
            this.mem = mem;
            this.mb = (int) y.size(0);
            this.nIn = (int) y.size(1);
            this.steps = (int) y.size(2);
            this.h = (int) conf.getUnits();
            this.d = mem.size;
            this.feed = (int) conf.feedSize();
            this.a = (int) conf.getAttentionUnits();
            Checks.require(mem.mb == mb, "%s: decoder and encoder minibatch sizes differ: %d and %d",
                    conf.describe(), mb, mem.mb);
            Map<String, INDArray> cellParams = new LinkedHashMap<>();
            for (ParamSpec s : conf.cellParameters()) {
                cellParams.put(s.key(), paramTable.get(s.key()));
            }
            this.c = new CellContext(dataType, mb, steps, nIn + feed, h, cellParams, pool, buffers, floatBuffers);
            this.alpha = new double[steps][];
            this.query = new double[steps][];
            this.projected = new double[steps][];
            this.wa = vector(paramTable.get(Attention.WA));
            this.wq = vector(paramTable.get(Attention.WQ));
            this.v = vector(paramTable.get(Attention.V));
        }

        void run(INDArray decMask, State initial) {
            RecurrentCell cell = conf.getCell();
            long[] sizes = cell.stateSizes(h);
            c.x = c.perStep("x", nIn + feed);
            double[] ys = y.castTo(DataType.DOUBLE).dup('c').data().asDouble();   // [(i·nIn + k)·T + t]
            double[] row = new double[nIn];
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < mb; i++) {
                    for (int k = 0; k < nIn; k++) {
                        row[k] = ys[(i * nIn + k) * steps + t];
                    }
                    c.x.write((t * mb + i) * (nIn + feed), nIn, row, 0);
                }
            }
            c.xp = c.perStep("xp", (int) cell.projectionWidth(h));
            c.states = new Mat[sizes.length];
            for (int k = 0; k < sizes.length; k++) {
                c.states[k] = c.mat("state" + k, (steps + 1) * mb, (int) sizes[k]);
                if (initial != null) {
                    c.states[k].block(0).assign(initial.cell()[k]);
                } else {
                    c.states[k].zeroBlock(0);
                }
            }
            out = c.mat("out", (steps + 1) * mb, h);
            if (initial != null) {
                out.block(0).assign(initial.feed());
            } else {
                out.zeroBlock(0);
            }
            raw = c.perStep("raw", h);
            z = c.perStep("z", d + h);
            c.mask = RecurrentRuntime.timeMajorMask(decMask, mb, steps, conf.describe());
            cell.prepare(c);
            INDArray w = c.param("W");
            INDArray wc = paramTable.get(AttentionDecoder.WC);
            double[] ctx = new double[mb * d];
            double[] f = new double[mb * feed];
            double[] hs = new double[mb * h];
            double[] zr = new double[mb * (d + h)];
            double[] o = new double[mb * h];
            double[] prev = new double[mb * h];
            for (int t = 0; t < steps; t++) {
                if (feeding) {
                    out.readBlock(t, f);
                } else {
                    attend(t, c.states[0].readBlock(t, new double[mb * h]), ctx);
                    System.arraycopy(ctx, 0, f, 0, f.length);
                }
                for (int i = 0; i < mb; i++) {
                    c.x.write((t * mb + i) * (nIn + feed) + nIn, feed, f, i * feed);
                }
                Blas.gemm(c.x.block(t), w, c.xp.block(t), false, false, 1.0, 0.0);
                cell.forward(c, t);
                if (c.mask != null) {
                    RecurrentRuntime.carryOverPadding(c, t);
                }
                c.states[0].readBlock(t + 1, hs);
                if (feeding) {
                    attend(t, hs.clone(), ctx);
                }
                for (int i = 0; i < mb; i++) {
                    System.arraycopy(ctx, i * d, zr, i * (d + h), d);
                    System.arraycopy(hs, i * h, zr, i * (d + h) + d, h);
                }
                z.writeBlock(t, zr);
                Blas.gemm(z.block(t), wc, raw.block(t), false, false, 1.0, 0.0);
                raw.readBlock(t, o);
                for (int k = 0; k < o.length; k++) {
                    o[k] = Math.tanh(o[k]);
                }
                raw.writeBlock(t, o);
                if (c.mask != null) {
                    out.readBlock(t, prev);
                    for (int i = 0; i < mb; i++) {
                        double m = c.mask[t * mb + i];
                        for (int j = 0; j < h; j++) {
                            o[i * h + j] = m * o[i * h + j] + (1 - m) * prev[i * h + j];
                        }
                    }
                }
                out.writeBlock(t + 1, o);
            }
        }

        /** The layer output {@code [mb, H, T]}: h̃_t times the decoder mask. */
        void output(INDArray dst) {
            double[] o = new double[mb * h];
            double[] r = new double[mb * h * steps];
            for (int t = 0; t < steps; t++) {
                out.readBlock(t + 1, o);
                for (int i = 0; i < mb; i++) {
                    double m = c.mask == null ? 1.0 : c.mask[t * mb + i];
                    for (int j = 0; j < h; j++) {
                        r[(i * h + j) * steps + t] = m * o[i * h + j] + 0.0;   // no -0.0
                    }
                }
            }
            assign(dst, r);
        }

        /** Attention of step t for queries {@code q [mb·H]}: weights into {@code alpha[t]}, contexts into ctx. */
        void attend(int t, double[] q, double[] ctx) {
            int te = mem.steps;
            double[] pq = switch (score) {
                case LUONG_DOT -> q;
                case LUONG_GENERAL -> times(q, wa, h, d);
                case BAHDANAU -> times(q, wq, h, a);
            };
            double[] al = new double[mb * te];
            double[] e = new double[te];
            Arrays.fill(ctx, 0.0);
            for (int i = 0; i < mb; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s < te; s++) {
                    if (!mem.valid(i, s)) {
                        continue;
                    }
                    double sc = 0;
                    if (score == AttentionScore.BAHDANAU) {
                        int ko = (i * te + s) * a;
                        for (int u = 0; u < a; u++) {
                            sc += v[u] * Math.tanh(pq[i * a + u] + mem.keys[ko + u]);
                        }
                    } else {
                        int mo = (i * te + s) * d;
                        for (int k = 0; k < d; k++) {
                            sc += mem.values[mo + k] * pq[i * d + k];
                        }
                    }
                    e[s] = sc;
                    max = Math.max(max, sc);
                }
                double sum = 0;
                for (int s = 0; s < te; s++) {
                    if (mem.valid(i, s)) {
                        e[s] = Math.exp(e[s] - max);
                        sum += e[s];
                    }
                }
                for (int s = 0; s < te; s++) {
                    double w = mem.valid(i, s) ? e[s] / sum : 0.0;
                    al[i * te + s] = w;
                    if (w == 0.0) {
                        continue;
                    }
                    int mo = (i * te + s) * d;
                    for (int k = 0; k < d; k++) {
                        ctx[i * d + k] += w * mem.values[mo + k];
                    }
                }
            }
            alpha[t] = al;
            query[t] = q;
            projected[t] = pq;
        }

        /** {@code x [rows × n] · w [n × m]} (row-major Java arrays). */
        private double[] times(double[] x, double[] w, int n, int m) {
            int rows = x.length / n;
            double[] r = new double[rows * m];
            for (int i = 0; i < rows; i++) {
                for (int k = 0; k < n; k++) {
                    double xv = x[i * n + k];
                    if (xv == 0.0) {
                        continue;
                    }
                    for (int j = 0; j < m; j++) {
                        r[i * m + j] += xv * w[k * m + j];
                    }
                }
            }
            return r;
        }

        /** Accumulators of the attention's gradients over a backward pass. */
        double[] dMem;
        double[] dKeys;
        double[] dWa;
        double[] dWq;
        double[] dv;

        /**
         * Backward through step t's attention given dL/dc_t ({@code dctx [mb·D]}); returns dL/dq {@code [mb·H]} and
         * adds to the memory and parameter gradients.
         */
        double[] attendBackward(int t, double[] dctx) {
            int te = mem.steps;
            double[] al = alpha[t];
            double[] q = query[t];
            double[] pq = projected[t];
            int pw = score == AttentionScore.BAHDANAU ? a : d;
            double[] dpq = new double[mb * pw];
            double[] da = new double[te];
            double[] uu = new double[a];
            for (int i = 0; i < mb; i++) {
                double dot = 0;
                for (int s = 0; s < te; s++) {
                    double w = al[i * te + s];
                    if (w == 0.0) {
                        da[s] = 0;
                        continue;
                    }
                    int mo = (i * te + s) * d;
                    double g = 0;
                    for (int k = 0; k < d; k++) {
                        g += dctx[i * d + k] * mem.values[mo + k];
                        dMem[mo + k] += w * dctx[i * d + k];
                    }
                    da[s] = g;
                    dot += w * g;
                }
                for (int s = 0; s < te; s++) {
                    double w = al[i * te + s];
                    if (w == 0.0) {
                        continue;
                    }
                    double ds = w * (da[s] - dot);
                    if (score == AttentionScore.BAHDANAU) {
                        int ko = (i * te + s) * a;
                        for (int u = 0; u < a; u++) {
                            uu[u] = Math.tanh(pq[i * a + u] + mem.keys[ko + u]);
                            dv[u] += ds * uu[u];
                            double du = ds * v[u] * (1 - uu[u] * uu[u]);
                            dpq[i * a + u] += du;
                            dKeys[ko + u] += du;
                        }
                    } else {
                        int mo = (i * te + s) * d;
                        for (int k = 0; k < d; k++) {
                            dpq[i * d + k] += ds * mem.values[mo + k];
                            dMem[mo + k] += ds * pq[i * d + k];
                        }
                    }
                }
            }
            return switch (score) {
                case LUONG_DOT -> dpq;
                case LUONG_GENERAL -> projectBack(q, dpq, wa, dWa, d);
                case BAHDANAU -> projectBack(q, dpq, wq, dWq, a);
            };
        }

        /** For {@code pq = q·W} ({@code W [H × m]}): {@code dW += qᵀ·dpq}; returns {@code dq = dpq·Wᵀ}. */
        private double[] projectBack(double[] q, double[] dpq, double[] w, double[] dw, int m) {
            double[] dq = new double[mb * h];
            for (int i = 0; i < mb; i++) {
                for (int k = 0; k < h; k++) {
                    double qv = q[i * h + k];
                    double acc = 0;
                    for (int j = 0; j < m; j++) {
                        double g = dpq[i * m + j];
                        dw[k * m + j] += qv * g;
                        acc += g * w[k * m + j];
                    }
                    dq[i * h + k] = acc;
                }
            }
            return dq;
        }

        void backward(INDArray epsilon, Map<String, INDArray> grads, INDArray dIn, INDArray dMemOut, INDArray dInit) {
            RecurrentCell cell = conf.getCell();
            long[] sizes = cell.stateSizes(h);
            int parts = sizes.length;
            int te = mem.steps;
            c.grads = grads;
            c.acc = null;
            Checks.require(epsilon.rank() == 3 && epsilon.size(0) == mb && epsilon.size(1) == h
                            && epsilon.size(2) == steps, "%s: expected an output gradient [%d, %d, %d], got %s",
                    conf.describe(), mb, h, steps, Arrays.toString(epsilon.shape()));
            double[] eps = epsilon.castTo(DataType.DOUBLE).dup('c').data().asDouble();   // [(i·H + j)·T + t]
            dMem = new double[mb * te * d];
            dKeys = score == AttentionScore.BAHDANAU ? new double[mb * te * a] : null;
            dWa = wa == null ? null : new double[wa.length];
            dWq = wq == null ? null : new double[wq.length];
            dv = v == null ? null : new double[v.length];

            c.dxp = c.perStep("dxp", (int) cell.projectionWidth(h));
            Mat dx = c.perStep("dx", nIn + feed);
            Mat dA = c.perStep("dA", h);
            Mat dz = c.one("dz", d + h);
            Mat[] cur = new Mat[parts];
            Mat[] next = new Mat[parts];
            for (int k = 0; k < parts; k++) {
                cur[k] = c.one("dcur" + k, (int) sizes[k]);
                next[k] = c.one("dnext" + k, (int) sizes[k]);
                cur[k].zero();
            }
            INDArray w = c.param("W");
            INDArray wc = paramTable.get(AttentionDecoder.WC);
            double[] dFeedNext = new double[mb * h];     // dL/dh̃_t from step t + 1 (its input and the carry)
            double[] carry = new double[mb * h];
            double[] o = new double[mb * h];
            double[] g = new double[mb * h];
            double[] dzr = new double[mb * (d + h)];
            double[] dctx = new double[mb * d];
            double[] extra = new double[mb * h];
            double[] dxr = new double[mb * (nIn + feed)];
            for (int t = steps - 1; t >= 0; t--) {
                raw.readBlock(t, o);
                for (int i = 0; i < mb; i++) {
                    double m = c.mask == null ? 1.0 : c.mask[t * mb + i];
                    for (int j = 0; j < h; j++) {
                        // the output is m·h̃_t; h̃_t = m·h̃'_t + (1 − m)·h̃_{t−1}
                        double gv = m * eps[(i * h + j) * steps + t] + dFeedNext[i * h + j];
                        carry[i * h + j] = (1 - m) * gv;
                        double r = o[i * h + j];
                        g[i * h + j] = m * gv * (1 - r * r);
                    }
                }
                dA.writeBlock(t, g);
                Blas.gemm(dA.block(t), wc, dz.arr, false, true, 1.0, 0.0);
                dz.readBlock(0, dzr);
                for (int i = 0; i < mb; i++) {
                    System.arraycopy(dzr, i * (d + h), dctx, i * d, d);
                    System.arraycopy(dzr, i * (d + h) + d, extra, i * h, h);
                }
                if (feeding) {
                    double[] dq = attendBackward(t, dctx);
                    for (int k = 0; k < extra.length; k++) {
                        extra[k] += dq[k];
                    }
                }
                // dL/d(state part 0 after step t) gets what the attention and h̃ read from h_t
                for (int k = 0; k < parts; k++) {
                    Mat dc = cur[k];
                    Mat nx = next[k];
                    int cols = dc.cols;
                    for (int i = 0; i < mb; i++) {
                        double m = c.mask == null ? 1.0 : c.mask[t * mb + i];
                        for (int j = 0; j < cols; j++) {
                            int idx = i * cols + j;
                            double val = dc.get(idx) + (k == 0 ? extra[idx] : 0.0);
                            dc.set(idx, m * val);
                            nx.set(idx, (1 - m) * val);
                        }
                    }
                }
                c.dNew = cur;
                c.dPrev = next;
                cell.backward(c, t);
                Blas.gemm(c.dxp.block(t), w, dx.block(t), false, true, 1.0, 0.0);
                dx.readBlock(t, dxr);
                if (feeding) {
                    for (int i = 0; i < mb; i++) {
                        for (int j = 0; j < h; j++) {
                            dFeedNext[i * h + j] = dxr[i * (nIn + feed) + nIn + j] + carry[i * h + j];
                        }
                    }
                } else {
                    for (int i = 0; i < mb; i++) {
                        for (int k = 0; k < d; k++) {
                            dctx[i * d + k] += dxr[i * (nIn + feed) + nIn + k];
                        }
                    }
                    double[] dq = attendBackward(t, dctx);   // the query was h_{t−1}: state part 0 before step t
                    Mat prev = next[0];
                    for (int k = 0; k < dq.length; k++) {
                        prev.set(k, prev.get(k) + dq[k]);
                    }
                    System.arraycopy(carry, 0, dFeedNext, 0, carry.length);
                }
                Mat[] swap = cur;
                cur = next;
                next = swap;
            }
            if (dInit != null) {
                // after the loop, cur holds dL/d(state before step 0): the initial hidden state's is part 0
                double[] d0 = cur[0].readBlock(0, new double[mb * h]);
                assign(dInit, d0);
            }
            Blas.gemm(c.x.arr, c.dxp.arr, grads.get("W"), true, false, 1.0, 0.0);
            cell.finishBackward(c, 0, steps);
            Blas.gemm(z.arr, dA.arr, grads.get(AttentionDecoder.WC), true, false, 1.0, 0.0);
            if (score == AttentionScore.BAHDANAU) {
                // keys = M·Wk: dWk = Mᵀ·dKeys, dM += dKeys·Wkᵀ
                INDArray m2 = Nd4j.create(mem.values, new long[] {(long) mb * te, d}, 'c');
                INDArray dk = Nd4j.create(dKeys, new long[] {(long) mb * te, a}, 'c');
                grads.get(Attention.WK).assign(m2.transpose().mmul(dk));
                INDArray wk = paramTable.get(Attention.WK).castTo(DataType.DOUBLE);
                double[] back = dk.mmul(wk.transpose()).dup('c').data().asDouble();
                for (int k = 0; k < back.length; k++) {
                    dMem[k] += back[k];
                }
                grads.get(Attention.WQ).assign(Nd4j.create(dWq, new long[] {h, a}, 'c'));
                grads.get(Attention.V).assign(Nd4j.create(dv, new long[] {a, 1}, 'c'));
            } else if (score == AttentionScore.LUONG_GENERAL) {
                grads.get(Attention.WA).assign(Nd4j.create(dWa, new long[] {h, d}, 'c'));
            }
            // dL/dy = the first nIn columns of dX; dL/dM back to [mb, D, Te]
            double[] di = new double[mb * nIn * steps];
            for (int t = 0; t < steps; t++) {
                dx.readBlock(t, dxr);
                for (int i = 0; i < mb; i++) {
                    for (int k = 0; k < nIn; k++) {
                        di[(i * nIn + k) * steps + t] = dxr[i * (nIn + feed) + k];
                    }
                }
            }
            assign(dIn, di);
            double[] dm = new double[mb * d * te];
            for (int i = 0; i < mb; i++) {
                for (int s = 0; s < te; s++) {
                    for (int k = 0; k < d; k++) {
                        dm[(i * d + k) * te + s] = dMem[(i * te + s) * d + k];
                    }
                }
            }
            assign(dMemOut, dm);
        }
    }
}
