package org.seq4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The per-step products: the Vector API kernel is one fused multiply-add chain per element in order (equal bit for
 * bit to a scalar loop that does the same), and {@link StepWeight} gives OpenBLAS's products on the core's operands
 * (block views at an offset, column slices, transposes, accumulation, rows and columns that do not fill a register
 * block).
 */
class StepWeightTest {

    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    @Test
    void theKernelIsOneInOrderFmaChainPerElement() {
        Random r = new Random(7);
        int rows = VectorGemm.ROWS;
        int lanes = VectorGemm.LANES;
        for (int[] shape : new int[][] {{rows, 1, lanes}, {rows, 5, 3 * lanes}, {2 * rows, 37, 4 * lanes},
                {3 * rows, 64, 7 * lanes}, {rows, 300, 5 * lanes}}) {
            int mp = shape[0];
            int k = shape[1];
            int np = shape[2];
            float[] a = random(r, mp * k);
            float[] b = random(r, k * np);
            float[] c = random(r, mp * np);
            VectorGemm.multiply(a, mp, k, VectorGemm.panels(b, np, 1, k, np, np), np, c);
            for (int i = 0; i < mp; i++) {
                for (int j = 0; j < np; j++) {
                    float acc = 0f;
                    for (int p = 0; p < k; p++) {
                        acc = Math.fma(a[i * k + p], b[p * np + j], acc);
                    }
                    assertThat(Float.floatToRawIntBits(c[i * np + j])).as("C[%d,%d] of %dx%dx%d", i, j, mp, k, np)
                            .isEqualTo(Float.floatToRawIntBits(acc));
                }
            }
        }
    }

    @Test
    void productsEqualOpenBlasOnTheCoresOperands() {
        assertThat(FloatRows.VECTOR).as("surefire runs with the Vector API module").isTrue();
        Nd4j.getRandom().setSeed(11);
        long before = StepWeight.VECTOR_CALLS.get();
        // m: a minibatch that is not a multiple of the register block; n: not a multiple of the vector width
        for (int[] shape : new int[][] {{5, 7, 3}, {29, 100, 300}, {32, 64, 256}, {1, 33, 17}}) {
            int m = shape[0];
            int k = shape[1];
            int n = shape[2];
            // a weight with extra columns (the slice [2, 2 + n) multiplies) and its transpose
            INDArray param = Nd4j.randn(DataType.FLOAT, k, n + 5);
            INDArray slice = param.get(NDArrayIndex.all(), NDArrayIndex.interval(2, 2 + n));
            Mat states = new Mat(DataType.FLOAT, 4 * m, k, m);
            states.arr.assign(Nd4j.randn(DataType.FLOAT, 4 * m, k));
            Mat out = new Mat(DataType.FLOAT, 4 * m, n, m);
            for (boolean accumulate : new boolean[] {false, true}) {
                out.arr.assign(Nd4j.randn(DataType.FLOAT, 4 * m, n));
                INDArray expected = out.block(3).dup();
                Blas.gemm(states.block(2), slice, expected, false, false, 1.0, accumulate ? 1.0 : 0.0);
                INDArray untouched = out.blocks(0, 3).dup();
                new StepWeight(slice).multiply(states.block(2), out.block(3), accumulate);
                assertThat(maxRelative(out.block(3), expected)).as("%s accumulate %s", java.util.Arrays.toString(shape),
                        accumulate).isLessThan(1e-5);
                assertThat(out.blocks(0, 3)).as("other blocks untouched").isEqualTo(untouched);
            }
            // the transpose: [m, n] · sliceᵀ -> [m, k]
            Mat grad = new Mat(DataType.FLOAT, 2 * m, n, m);
            grad.arr.assign(Nd4j.randn(DataType.FLOAT, 2 * m, n));
            INDArray expected = Nd4j.zeros(DataType.FLOAT, m, k);
            Blas.gemm(grad.block(1), slice, expected, false, true, 1.0, 0.0);
            INDArray got = Nd4j.zeros(DataType.FLOAT, m, k);
            new StepWeight(slice.transpose()).multiply(grad.block(1), got, false);
            assertThat(maxRelative(got, expected)).as("transposed %s", java.util.Arrays.toString(shape))
                    .isLessThan(1e-5);
        }
        // the kernel is used on AVX-512 CPUs only; elsewhere every product above was OpenBLAS's
        assertThat(StepWeight.VECTOR_CALLS.get() - before).as("products by the Vector API kernel")
                .isEqualTo(StepWeight.VECTOR ? 12 : 0);
    }

    @Test
    void theArrayFormGivesTheSameBitsAsTheNd4jForm() {
        Nd4j.getRandom().setSeed(12);
        for (int[] shape : new int[][] {{32, 128, 512}, {5, 64, 96}}) {
            int m = shape[0];
            int k = shape[1];
            int n = shape[2];
            INDArray param = Nd4j.randn(DataType.FLOAT, k, n);
            StepWeight w = new StepWeight(param.transpose().transpose());   // a view, as parameter views are
            assertThat(w.multipliesArrays(n)).isEqualTo(StepWeight.VECTOR);
            assertThat(w.multipliesArrays(n + 1)).isFalse();
            if (!StepWeight.VECTOR) {
                continue;
            }
            INDArray in = Nd4j.randn(DataType.FLOAT, m, k);
            INDArray out = Nd4j.zeros(DataType.FLOAT, m, n);
            w.multiply(in, out, false);
            float[] got = w.multiply(in.data().asFloat(), m);
            float[] want = out.data().asFloat();
            for (int i = 0; i < m * n; i++) {
                assertThat(Float.floatToIntBits(got[i])).as("%s element %d", java.util.Arrays.toString(shape), i)
                        .isEqualTo(Float.floatToIntBits(want[i]));
            }
        }
    }

    @Test
    void theWholePassProjectionIsTheKernelsProductRowByRow() {
        Nd4j.getRandom().setSeed(13);
        // 300 rows: a full chunk of 256, then 44 (not a multiple of the register block's 8)
        int rows = 300;
        int k = 128;
        int n = 96;
        INDArray param = Nd4j.randn(DataType.FLOAT, 'f', k, n);   // column-major, as DL4J's parameter views
        Mat x = new Mat(DataType.FLOAT, rows, k, 30);
        x.arr.assign(Nd4j.randn(DataType.FLOAT, rows, k));
        Mat out = new Mat(DataType.FLOAT, rows, n, 30);
        StepWeight w = new StepWeight(param);
        if (!w.multipliesArrays(n)) {
            return;   // no AVX-512 or no module: the projection stays on OpenBLAS
        }
        long before = StepWeight.VECTOR_CALLS.get();
        w.multiplyRows(x, out);
        assertThat(StepWeight.VECTOR_CALLS.get() - before).as("chunks").isEqualTo(2);
        INDArray expected = Nd4j.zeros(DataType.FLOAT, rows, n);
        Blas.gemm(x.arr, param, expected, false, false, 1.0, 0.0);
        assertThat(maxRelative(out.arr, expected)).isLessThan(1e-5);
        // each row is the per-step product's row, bit for bit (the same fma chain whatever the chunking)
        float[] all = x.readRows(0, rows, new float[rows * k]);
        float[] got = out.readRows(0, rows, new float[rows * n]);
        for (int r0 : new int[] {0, 29, 290}) {
            float[] want = new StepWeight(param).multiply(java.util.Arrays.copyOfRange(all, r0 * k, (r0 + 10) * k), 10);
            for (int i = 0; i < 10 * n; i++) {
                assertThat(Float.floatToIntBits(got[r0 * n + i])).as("row %d", r0 + i / n)
                        .isEqualTo(Float.floatToIntBits(want[i]));
            }
        }
    }

    @Test
    void doublePrecisionStaysOnOpenBlas() {
        long before = StepWeight.VECTOR_CALLS.get();
        INDArray w = Nd4j.randn(DataType.DOUBLE, 6, 9);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 4, 6);
        INDArray out = Nd4j.zeros(DataType.DOUBLE, 4, 9);
        new StepWeight(w).multiply(x, out, false);
        assertThat(maxRelative(out, x.mmul(w))).isLessThan(1e-14);
        assertThat(StepWeight.VECTOR_CALLS.get()).isEqualTo(before);
    }

    private static double maxRelative(INDArray got, INDArray expected) {
        double scale = expected.amaxNumber().doubleValue();
        return got.castTo(DataType.DOUBLE).sub(expected.castTo(DataType.DOUBLE)).amaxNumber().doubleValue() / scale;
    }
}
