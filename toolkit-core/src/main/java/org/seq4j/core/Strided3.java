package org.seq4j.core;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Element access to a rank-3 ND4J array (any order, views included) through a Java copy of the memory it spans, for
 * the recurrent core's layout changes between DL4J's {@code [mb, features, T]} and its own time-major rows: one bulk
 * copy in, a Java loop, one bulk copy out ({@link #flush()}), instead of a strided native assign (about 12% of a GRU
 * train step) or an NIO access per element (about 10% of an SRN H128 train step).
 *
 * <p>The copy lives in a caller's work array ({@link #values()}: keep it and pass it to the next use) so that a pass
 * allocates nothing. Writes reach the ND4J array only through {@link #flush()}.
 */
final class Strided3 {

    private final INDArray array;
    private final FloatBuffer f;
    private final DoubleBuffer d;
    private final int start;
    private final int span;
    /** index in {@link #v} of element (0, 0, 0) */
    private final int base;
    private final int s0;
    private final int s1;
    private final int s2;
    private final double[] v;

    /** Copies the memory {@code a} spans into {@code work} (a new array when null or too short). */
    Strided3(INDArray a, double[] work) {
        if (a.rank() != 3) {
            throw new IllegalArgumentException("Strided3 needs a rank-3 array, got rank " + a.rank());
        }
        DataType type = a.dataType();
        this.f = type == DataType.FLOAT ? a.data().asNioFloat() : null;
        this.d = type == DataType.DOUBLE ? a.data().asNioDouble() : null;
        if (f == null && d == null) {
            throw new IllegalArgumentException("Strided3 needs FLOAT or DOUBLE, got " + type);
        }
        this.array = a;
        long[] st = a.stride();
        long[] sh = a.shape();
        long lo = a.offset();
        long hi = a.offset();
        for (int r = 0; r < 3; r++) {
            long reach = (sh[r] - 1) * st[r];
            lo += Math.min(reach, 0);
            hi += Math.max(reach, 0);
        }
        this.start = (int) lo;
        this.base = (int) (a.offset() - lo);
        this.span = a.isEmpty() ? 0 : (int) (hi - lo + 1);
        this.s0 = (int) st[0];
        this.s1 = (int) st[1];
        this.s2 = (int) st[2];
        this.v = work != null && work.length >= span ? work : new double[span];
        if (d != null) {
            d.get(start, v, 0, span);
        } else {
            float[] tmp = new float[Math.min(span, CHUNK)];
            for (int from = 0; from < span; from += CHUNK) {
                int len = Math.min(CHUNK, span - from);
                f.get(start + from, tmp, 0, len);
                for (int k = 0; k < len; k++) {
                    v[from + k] = tmp[k];
                }
            }
        }
    }

    Strided3(INDArray a) {
        this(a, null);
    }

    private static final int CHUNK = 1 << 14;

    static boolean supports(INDArray a) {
        return a.rank() == 3 && (a.dataType() == DataType.FLOAT || a.dataType() == DataType.DOUBLE)
                && !a.isEmpty();
    }

    /** The work array holding the copy, to pass to the next {@code Strided3}. */
    double[] values() {
        return v;
    }

    /** The index in {@link #values()} of element (i, k, t). */
    int index(int i, int k, int t) {
        return base + i * s0 + k * s1 + t * s2;
    }

    double get(int i, int k, int t) {
        return v[index(i, k, t)];
    }

    void set(int i, int k, int t, double value) {
        v[index(i, k, t)] = value;
    }

    /**
     * Writes the copy back. When the array fills the memory it spans (a dense array in any order) that is one bulk
     * copy; a view with gaps is written element by element, so memory between its elements is never touched.
     */
    void flush() {
        if (span == array.length() && s0 != 0 && s1 != 0 && s2 != 0) {
            if (d != null) {
                d.put(start, v, 0, span);
            } else {
                float[] tmp = new float[Math.min(span, CHUNK)];
                for (int from = 0; from < span; from += CHUNK) {
                    int len = Math.min(CHUNK, span - from);
                    for (int k = 0; k < len; k++) {
                        tmp[k] = (float) v[from + k];
                    }
                    f.put(start + from, tmp, 0, len);
                }
            }
            return;
        }
        long[] sh = array.shape();
        for (int i = 0; i < sh[0]; i++) {
            for (int k = 0; k < sh[1]; k++) {
                for (int t = 0; t < sh[2]; t++) {
                    int rel = index(i, k, t);
                    if (d != null) {
                        d.put(start + rel, v[rel]);
                    } else {
                        f.put(start + rel, (float) v[rel]);
                    }
                }
            }
        }
    }
}
