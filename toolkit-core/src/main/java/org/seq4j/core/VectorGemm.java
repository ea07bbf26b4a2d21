package org.seq4j.core;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C = A·B} in single precision on the JDK Vector API, for the recurrent core's per-step products (a minibatch
 * of states times a weight matrix: {@code [32 × 256]·[256 × 1024]}). At these shapes ND4J's OpenBLAS 0.3.19 with the
 * Haswell kernels reaches 45-55 GFLOP/s on one core here, PyTorch's {@code torch.mm} about 75, this register-blocked
 * kernel about 150 with AVX-512; it is used only there ({@link #WIDE}; docs/layers.md, "Speed"). Only loaded when
 * {@link FloatRows#VECTOR} says the module is present.
 *
 * <p>A and C are row-major Java arrays, B is in the kernel's panel layout ({@link #panels}); A has {@code mp} rows (a
 * multiple of {@link #ROWS}), B and C have {@code np} columns (a multiple of {@link #LANES}); the caller pads with
 * zeros. Each element of C is one chain of
 * fused multiply-adds over {@code p = 0 .. k−1} in order, starting from 0, whatever the vector width, so the
 * results are the same on every CPU that runs it. (The register block is written out by hand: C2 intrinsifies the
 * Vector API only where it inlines every call, and a helper taking vectors as arguments that it declines to inline
 * in a method this size boxes them, 5-10x slower.)
 */
final class VectorGemm {

    private VectorGemm() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Floats per vector: 16 with AVX-512, 8 with AVX2. */
    static final int LANES = S.length();

    /**
     * Whether the kernel is worth using: with AVX-512 (32 vector registers for the 24 accumulators) it takes half
     * OpenBLAS's time; restricted to AVX2 ({@code -XX:UseAVX=2} here) it took 1.5x OpenBLAS's, so {@link StepWeight}
     * then stays on OpenBLAS.
     */
    static final boolean WIDE = LANES >= 16;

    /** Rows of A per register block. */
    static final int ROWS = 8;

    private static final int STRIP = 3 * LANES;

    /**
     * The width of B's column strip that starts at column {@code j}: 3 vectors while they fit in {@code np}, then 1
     * vector for the columns left over. {@link #panels} lays B out and {@link #multiply} reads it by this one rule.
     */
    private static int stripWidth(int j, int np) {
        return j + STRIP <= np ? STRIP : LANES;
    }

    /**
     * B {@code [k, n]}, element (r, j) at {@code raw[r·s0 + j·s1]} (any strides: DL4J's parameter views are
     * column-major, so W or Wᵀ arrives as a transpose), in the layout {@link #multiply} reads: the column strips its
     * register blocks take ({@link #stripWidth}, up to {@code np}, a multiple of {@link #LANES}; columns from n on are
     * zero), each strip's {@code k} rows one after another, so the strip starting at column j begins at {@code j·k}.
     * A block then reads its part of B in order from one contiguous run
     * instead of one short piece every {@code np} floats: with np = 1024 those pieces are 4 KB apart, so each is on
     * another page and all map to the same few L1 sets (the packing of BLIS and GotoBLAS). Measured on one core here
     * (Zen 5, 4 fresh JVMs per layout, 5 timings each, nothing else running): {@code [32×512]·[512×2048]} 114-167
     * GFLOP/s row-major (two JVMs near 120, two near 150), 149-178 in panels; {@code [32×256]·[256×1024]} 91-122 and
     * 90-139. The sums are the same, so the same bits. A strip is filled in the order that reads the source
     * contiguously: row by row when its rows are contiguous ({@code s1 = 1}), else column by column (the writes then
     * stay inside the strip, 48 KB for k = 256).
     */
    static float[] panels(float[] raw, long s0, long s1, int k, int n, int np) {
        float[] out = new float[k * np];
        for (int js = 0, w; js < np; js += w) {
            w = stripWidth(js, np);
            int cols = Math.min(w, n - js);
            int base = js * k;
            if (s1 == 1) {
                for (int r = 0; r < k && cols > 0; r++) {
                    System.arraycopy(raw, (int) (r * s0 + js), out, base + r * w, cols);
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    int src = (int) ((js + j) * s1);
                    for (int r = 0, o = base + j; r < k; r++, o += w) {
                        out[o] = raw[(int) (src + r * s0)];
                    }
                }
            }
        }
        return out;
    }

    /** {@code C = A·B}, B in the layout of {@link #panels}. */
    static void multiply(float[] a, int mp, int k, float[] b, int np, float[] c) {
        for (int j = 0, w; j < np; j += w) {
            w = stripWidth(j, np);
            for (int i = 0; i < mp; i += ROWS) {
                if (w == STRIP) {
                    block8(a, i * k, k, b, j * k, np, c, i * np + j);
                } else {
                    column8(a, i * k, k, b, j * k, np, c, i * np + j);
                }
            }
        }
    }

    /**
     * Rows {@code i..i+8} of C, one vector wide, from B's strip at {@code bo}: the columns a 3-vector strip leaves over (128 = 2·48 +
     * 32). Eight independent accumulators; one accumulator per row (the form before this) waits on the latency of
     * each fused multiply-add and made SRN H128's step product 30% slower.
     */
    private static void column8(float[] a, int ao, int k, float[] b, int bo, int np, float[] c, int co) {
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        for (int p = 0; p < k; p++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo + p * LANES);
            int q = ao + p;
            c0 = b0.fma(FloatVector.broadcast(S, a[q]), c0);
            c1 = b0.fma(FloatVector.broadcast(S, a[q + k]), c1);
            c2 = b0.fma(FloatVector.broadcast(S, a[q + 2 * k]), c2);
            c3 = b0.fma(FloatVector.broadcast(S, a[q + 3 * k]), c3);
            c4 = b0.fma(FloatVector.broadcast(S, a[q + 4 * k]), c4);
            c5 = b0.fma(FloatVector.broadcast(S, a[q + 5 * k]), c5);
            c6 = b0.fma(FloatVector.broadcast(S, a[q + 6 * k]), c6);
            c7 = b0.fma(FloatVector.broadcast(S, a[q + 7 * k]), c7);
        }
        c0.intoArray(c, co);
        c1.intoArray(c, co + np);
        c2.intoArray(c, co + 2 * np);
        c3.intoArray(c, co + 3 * np);
        c4.intoArray(c, co + 4 * np);
        c5.intoArray(c, co + 5 * np);
        c6.intoArray(c, co + 6 * np);
        c7.intoArray(c, co + 7 * np);
    }

    /** Rows {@code i..i+8} of C, three vectors wide, from B's strip at {@code bs}: 24 accumulators in registers. */
    private static void block8(float[] a, int ao, int k, float[] b, int bs, int np, float[] c, int co) {
        final int l = LANES;
        final FloatVector z = FloatVector.zero(S);
        int r1 = co + np;
        int r2 = r1 + np;
        int r3 = r2 + np;
        int r4 = r3 + np;
        int r5 = r4 + np;
        int r6 = r5 + np;
        int r7 = r6 + np;
        FloatVector c00 = z, c01 = z, c02 = z;
        FloatVector c10 = z, c11 = z, c12 = z;
        FloatVector c20 = z, c21 = z, c22 = z;
        FloatVector c30 = z, c31 = z, c32 = z;
        FloatVector c40 = z, c41 = z, c42 = z;
        FloatVector c50 = z, c51 = z, c52 = z;
        FloatVector c60 = z, c61 = z, c62 = z;
        FloatVector c70 = z, c71 = z, c72 = z;
        for (int p = 0; p < k; p++) {
            int bo = bs + p * STRIP;
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + l);
            FloatVector b2 = FloatVector.fromArray(S, b, bo + 2 * l);
            int q = ao + p;
            FloatVector x = FloatVector.broadcast(S, a[q]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            c02 = b2.fma(x, c02);
            x = FloatVector.broadcast(S, a[q + k]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            c12 = b2.fma(x, c12);
            x = FloatVector.broadcast(S, a[q + 2 * k]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            c22 = b2.fma(x, c22);
            x = FloatVector.broadcast(S, a[q + 3 * k]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            c32 = b2.fma(x, c32);
            x = FloatVector.broadcast(S, a[q + 4 * k]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            c42 = b2.fma(x, c42);
            x = FloatVector.broadcast(S, a[q + 5 * k]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            c52 = b2.fma(x, c52);
            x = FloatVector.broadcast(S, a[q + 6 * k]);
            c60 = b0.fma(x, c60);
            c61 = b1.fma(x, c61);
            c62 = b2.fma(x, c62);
            x = FloatVector.broadcast(S, a[q + 7 * k]);
            c70 = b0.fma(x, c70);
            c71 = b1.fma(x, c71);
            c72 = b2.fma(x, c72);
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + l);
        c02.intoArray(c, co + 2 * l);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + l);
        c12.intoArray(c, r1 + 2 * l);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + l);
        c22.intoArray(c, r2 + 2 * l);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + l);
        c32.intoArray(c, r3 + 2 * l);
        c40.intoArray(c, r4);
        c41.intoArray(c, r4 + l);
        c42.intoArray(c, r4 + 2 * l);
        c50.intoArray(c, r5);
        c51.intoArray(c, r5 + l);
        c52.intoArray(c, r5 + 2 * l);
        c60.intoArray(c, r6);
        c61.intoArray(c, r6 + l);
        c62.intoArray(c, r6 + 2 * l);
        c70.intoArray(c, r7);
        c71.intoArray(c, r7 + l);
        c72.intoArray(c, r7 + 2 * l);
    }
}
