package org.seq4j.core;

import java.nio.FloatBuffer;
import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A weight matrix of one pass of the recurrent core (a parameter, some of its columns, or its transpose) and the
 * per-step products with it, {@code out = in·W} or {@code out += in·W}, where {@code in} is a minibatch of states.
 *
 * <p>In single precision with the Vector API module on a CPU with AVX-512, W is copied once per pass into a zero-padded Java
 * array in the kernel's panel layout and every product runs {@link VectorGemm} (about twice OpenBLAS's speed at these shapes here): the step's
 * rows are copied in, multiplied and copied out. Otherwise (double precision, no module, no AVX-512, or operands
 * that are not row-major) the product is OpenBLAS's through {@link Blas}. The two differ in the last bits of float sums, not more.
 */
final class StepWeight {

    /** Whether single-precision per-step products use {@link VectorGemm}: the module is present and the CPU has AVX-512. */
    static final boolean VECTOR = FloatRows.VECTOR && VectorGemm.WIDE;

    /** Products computed by {@link VectorGemm} so far (a test checks it is the path taken). */
    static final java.util.concurrent.atomic.AtomicLong VECTOR_CALLS = new java.util.concurrent.atomic.AtomicLong();

    private final INDArray view;
    private final int k;
    private final int n;
    private final int np;
    private final float[] w;
    private float[] a = new float[0];
    private float[] c = new float[0];
    private float[] old = new float[0];

    /** {@code w}: the matrix as it multiplies, {@code [k, n]} (a transposed view is fine); packed for the kernel. */
    StepWeight(INDArray w) {
        this(w, true);
    }

    /**
     * {@code pack = false} keeps the products on OpenBLAS: a pass of one step (step-wise decoding, {@code rnnTimeStep})
     * would pay the packing for a single product (measured: an LSTM H256 {@code rnnTimeStep} of 5 rows took 1.48 ms
     * instead of 1.06).
     */
    StepWeight(INDArray w, boolean pack) {
        this.view = w;
        this.k = (int) w.size(0);
        this.n = (int) w.size(1);
        if (pack && VECTOR && w.dataType() == DataType.FLOAT) {
            this.np = roundUp(n, VectorGemm.LANES);
            this.w = pack(w, k, n, np);
        } else {
            this.np = n;
            this.w = null;
        }
    }

    /**
     * {@code w [k, n]} in the kernel's panel layout ({@link VectorGemm#panels}), {@code np} columns (padding zero): one
     * bulk copy of the memory the view spans, then a gather by its strides.
     */
    private static float[] pack(INDArray w, int k, int n, int np) {
        if (k == 0 || n == 0) {
            return new float[k * np];
        }
        long s0 = w.stride(0);
        long s1 = w.stride(1);
        int span = (int) ((k - 1) * s0 + (n - 1) * s1 + 1);
        float[] raw = new float[span];
        w.data().asNioFloat().get((int) w.offset(), raw, 0, span);
        return VectorGemm.panels(raw, s0, s1, k, n, np);
    }

    /** {@code out = in·W}, or {@code out += in·W} when {@code accumulate}; in {@code [m, k]}, out {@code [m, n]}. */
    void multiply(INDArray in, INDArray out, boolean accumulate) {
        if (w == null || !rowMajor(in) || !rowMajor(out) || in.dataType() != DataType.FLOAT
                || out.dataType() != DataType.FLOAT) {
            Blas.gemm(in, view, out, false, false, 1.0, accumulate ? 1.0 : 0.0);
            return;
        }
        int m = (int) in.size(0);
        int mp = roundUp(m, VectorGemm.ROWS);
        if (a.length < mp * k) {
            a = new float[mp * k];
        }
        if (c.length < mp * np) {
            c = new float[mp * np];
        }
        FloatBuffer src = nio(in, 0);
        copyRows(src, (int) in.offset(), (int) in.stride(0), m, k, a, k, true);
        Arrays.fill(a, m * k, mp * k, 0f);
        FloatBuffer dst = nio(out, 1);
        int off = (int) out.offset();
        int ld = (int) out.stride(0);
        VECTOR_CALLS.incrementAndGet();
        VectorGemm.multiply(a, mp, k, w, np, c);
        if (accumulate) {
            // out + in·W, the product rounded first (as the kernel gives it), then one addition per element
            if (old.length < m * np) {
                old = new float[m * np];
            }
            copyRows(dst, off, ld, m, n, old, np, true);
            for (int i = 0; i < m * np; i++) {
                c[i] += old[i];
            }
        }
        copyRows(dst, off, ld, m, n, c, np, false);
    }

    /**
     * Whether {@link #multiply(float[], int)} applies: the weight is on the Vector API kernel and its products have
     * {@code cols} columns with no padding.
     */
    boolean multipliesArrays(int cols) {
        return w != null && np == n && n == cols;
    }

    /**
     * {@code in·W} for the {@code m} rows of {@code in} (row-major, {@code k} columns) on the Vector API kernel, from
     * and to Java arrays: for the single-precision gate loops, which have the state in a Java array already and want
     * the product in one, so neither goes through ND4J memory. The result is this weight's own work array (row-major,
     * {@code n} columns), valid until its next product; the same kernel as {@link #multiply(INDArray, INDArray,
     * boolean)}, so the same values. Only when {@link #multipliesArrays} says so.
     */
    float[] multiply(float[] in, int m) {
        int mp = roundUp(m, VectorGemm.ROWS);
        float[] src = in;
        if (mp != m) {
            if (a.length < mp * k) {
                a = new float[mp * k];
            }
            System.arraycopy(in, 0, a, 0, m * k);
            Arrays.fill(a, m * k, mp * k, 0f);
            src = a;
        }
        if (c.length < mp * np) {
            c = new float[mp * np];
        }
        VECTOR_CALLS.incrementAndGet();
        VectorGemm.multiply(src, mp, k, w, np, c);
        return c;
    }

    /** Rows per chunk of {@link #multiplyRows}: bounds its work arrays (256 × 1024 floats for an LSTM H256). */
    static final int CHUNK_ROWS = 256;

    /**
     * {@code out = x·W} for every row of {@code x} (a pass's input projection, all steps at once) on the kernel,
     * {@link #CHUNK_ROWS} rows at a time through this weight's work arrays: each element the same in-order chain of
     * fused multiply-adds as the per-step products. Only when {@link #multipliesArrays}{@code (out.cols)} says so.
     */
    void multiplyRows(Mat x, Mat out) {
        for (int r0 = 0; r0 < x.rows; r0 += CHUNK_ROWS) {
            int m = Math.min(CHUNK_ROWS, x.rows - r0);
            int mp = roundUp(m, VectorGemm.ROWS);
            if (a.length < mp * k) {
                a = new float[mp * k];
            }
            if (c.length < mp * np) {
                c = new float[mp * np];
            }
            x.readRows(r0, m, a);
            Arrays.fill(a, m * k, mp * k, 0f);
            VECTOR_CALLS.incrementAndGet();
            VectorGemm.multiply(a, mp, k, w, np, c);
            out.writeRows(r0, m, c);
        }
    }

    private final DataBuffer[] nioOf = new DataBuffer[2];
    private final FloatBuffer[] nio = new FloatBuffer[2];

    /**
     * The NIO view of an operand's memory, kept per operand slot while its data buffer stays the same (the steps of a
     * pass use views of the same buffers): {@code asNioFloat} builds a new view through JavaCPP each call, which took
     * 20% of an SRN H128 train step.
     */
    private FloatBuffer nio(INDArray x, int slot) {
        DataBuffer data = x.data();
        if (nioOf[slot] != data) {
            nio[slot] = data.asNioFloat();
            nioOf[slot] = data;
        }
        return nio[slot];
    }

    /** Rows of a native buffer (from {@code off}, stride {@code ld}) to or from a Java array with row stride {@code jld}. */
    private static void copyRows(FloatBuffer buf, int off, int ld, int rows, int cols, float[] arr, int jld,
                                 boolean read) {
        if (ld == cols && jld == cols) {
            if (read) {
                buf.get(off, arr, 0, rows * cols);
            } else {
                buf.put(off, arr, 0, rows * cols);
            }
            return;
        }
        for (int r = 0; r < rows; r++) {
            if (read) {
                buf.get(off + r * ld, arr, r * jld, cols);
            } else {
                buf.put(off + r * ld, arr, r * jld, cols);
            }
        }
    }

    /** Rank 2, unit stride along the columns (a single row's row stride does not matter: ND4J may report 1). */
    private static boolean rowMajor(INDArray x) {
        return x.rank() == 2 && (x.stride(1) == 1 || x.size(1) == 1) && (x.size(0) == 1 || x.stride(0) >= x.size(1));
    }

    private static int roundUp(int v, int multiple) {
        return (v + multiple - 1) / multiple * multiple;
    }
}
