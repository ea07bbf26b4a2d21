package org.seq4j.core;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code C = alpha·op(A)·op(B) + beta·C} for the recurrent core: OpenBLAS's {@code cblas_sgemm}/{@code cblas_dgemm}
 * called directly on the arrays' own native memory on the CPU backend, which saves the 30-50 µs of op set-up that
 * each {@code Nd4j.gemm} costs (measured: 196 µs vs 230-256 µs for a [32×256]·[256×768] step product). It computes
 * the products over all steps (input projections, weight gradients, dL/dx) and the per-step products wherever
 * {@link StepWeight} does not use its Vector API kernel (double precision, no module, no AVX-512, one-step passes).
 * Falls back to {@code Nd4j.gemm} on other backends (CUDA) or layouts.
 */
final class Blas {

    private Blas() {
    }

    private static final boolean CPU = Nd4j.getBackend().getClass().getName().contains("Cpu");

    /** Products computed by the direct OpenBLAS path so far (a test checks the fast path is the one taken). */
    static final java.util.concurrent.atomic.AtomicLong DIRECT_CALLS = new java.util.concurrent.atomic.AtomicLong();

    /** The same contract as {@code Nd4j.gemm(a, b, c, transA, transB, alpha, beta)}. */
    static void gemm(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB, double alpha,
                     double beta) {
        DataType type = c.dataType();
        if (!dense(c)) {
            // e.g. a rank-1 or oddly strided gradient view: compute into a dense matrix, then copy
            long m = transA ? a.size(1) : a.size(0);
            long n = transB ? b.size(0) : b.size(1);
            INDArray tmp = Nd4j.createUninitialized(type, new long[] {m, n}, 'c');
            if (beta != 0.0) {
                tmp.assign(c.reshape(m, n));
            }
            gemm(a, b, tmp, transA, transB, alpha, beta);
            c.assign(tmp.reshape(c.shape()));
            return;
        }
        if (!CPU || a.dataType() != type || b.dataType() != type || !(type == DataType.FLOAT
                || type == DataType.DOUBLE) || !dense(a) || !dense(b) || !dense(c)) {
            Nd4j.gemm(a, b, c, transA, transB, alpha, beta);
            return;
        }
        // C's own order is the BLAS layout; an operand stored in the other order is its transpose
        boolean rowMajor = rowMajor(c);
        int layout = rowMajor ? openblas.CblasRowMajor : openblas.CblasColMajor;
        int m = (int) c.size(0);
        int n = (int) c.size(1);
        int k = (int) (transA ? a.size(0) : a.size(1));
        boolean ta = transA ^ (rowMajor(a) != rowMajor);
        boolean tb = transB ^ (rowMajor(b) != rowMajor);
        int lda = ld(a);
        int ldb = ld(b);
        int ldc = ld(c);
        int opA = ta ? openblas.CblasTrans : openblas.CblasNoTrans;
        int opB = tb ? openblas.CblasTrans : openblas.CblasNoTrans;
        DIRECT_CALLS.incrementAndGet();
        if (type == DataType.FLOAT) {
            openblas.cblas_sgemm(layout, opA, opB, m, n, k, (float) alpha, floats(a), lda, floats(b), ldb,
                    (float) beta, floats(c), ldc);
        } else {
            openblas.cblas_dgemm(layout, opA, opB, m, n, k, alpha, doubles(a), lda, doubles(b), ldb, beta,
                    doubles(c), ldc);
        }
    }

    /** A rank-2 array with unit stride along one dimension (row- or column-major with a leading dimension). */
    private static boolean dense(INDArray x) {
        if (x.rank() != 2) {
            return false;
        }
        long[] st = x.stride();
        return (st[1] == 1 && st[0] >= x.size(1)) || (st[0] == 1 && st[1] >= x.size(0)) || x.length() == 1;
    }

    private static boolean rowMajor(INDArray x) {
        long[] st = x.stride();
        if (st[1] == 1 && st[0] == 1) {
            return x.ordering() == 'c';
        }
        return st[1] == 1;
    }

    private static int ld(INDArray x) {
        long[] st = x.stride();
        long ld = rowMajor(x) ? Math.max(st[0], x.size(1)) : Math.max(st[1], x.size(0));
        return (int) Math.max(1, ld);
    }

    private static FloatPointer floats(INDArray x) {
        return new FloatPointer(x.data().pointer()).position(x.offset());
    }

    private static DoublePointer doubles(INDArray x) {
        return new DoublePointer(x.data().pointer()).position(x.offset());
    }
}
