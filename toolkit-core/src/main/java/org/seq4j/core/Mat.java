package org.seq4j.core;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A working matrix of the recurrent core: a detached, row-major ND4J array {@code [rows, cols]} that the GEMMs
 * write through ND4J and the fused gate loops read and write element by element through a direct NIO view of the same
 * native memory (no copies, no per-step ND4J element-wise ops).
 *
 * <p>Rows come in blocks of {@code blockRows} (the minibatch): block {@code t} is time step {@code t} in the
 * time-major layout; its ND4J view is made once and reused.
 */
final class Mat {

    final INDArray arr;
    final int rows;
    final int cols;
    private final int blockRows;
    private final FloatBuffer f;
    private final DoubleBuffer d;
    private final INDArray[] blocks;

    Mat(DataType type, int rows, int cols, int blockRows) {
        this.arr = Nd4j.createUninitializedDetached(type, 'c', rows, cols);
        this.rows = rows;
        this.cols = cols;
        this.blockRows = blockRows;
        if (type == DataType.FLOAT) {
            this.f = arr.data().asNioFloat();
            this.d = null;
        } else if (type == DataType.DOUBLE) {
            this.f = null;
            this.d = arr.data().asNioDouble();
        } else {
            throw new IllegalArgumentException("The recurrent core computes in FLOAT or DOUBLE, not " + type);
        }
        this.blocks = new INDArray[blockRows == 0 ? 0 : rows / blockRows];
    }

    boolean fits(DataType type, int r, int c, int br) {
        return arr.dataType() == type && rows == r && cols == c && blockRows == br;
    }

    double get(int i) {
        return f != null ? f.get(i) : d.get(i);
    }

    void set(int i, double v) {
        if (f != null) {
            f.put(i, (float) v);
        } else {
            d.put(i, v);
        }
    }

    /** Copies {@code len} elements from index {@code from} into {@code dst[off..]}, widening floats to doubles. */
    double[] read(int from, int len, double[] dst, int off) {
        if (d != null) {
            d.get(from, dst, off, len);
            return dst;
        }
        float[] tmp = scratch(len);
        f.get(from, tmp, 0, len);
        for (int k = 0; k < len; k++) {
            dst[off + k] = tmp[k];
        }
        return dst;
    }

    /** Copies {@code src[off..off+len)} to index {@code from}, narrowing to float in single precision. */
    void write(int from, int len, double[] src, int off) {
        if (d != null) {
            d.put(from, src, off, len);
            return;
        }
        float[] tmp = scratch(len);
        for (int k = 0; k < len; k++) {
            tmp[k] = (float) src[off + k];
        }
        f.put(from, tmp, 0, len);
    }

    private float[] floats = new float[0];

    private float[] scratch(int len) {
        if (floats.length < len) {
            floats = new float[len];
        }
        return floats;
    }

    /** Reads row block t whole: {@code blockRows · cols} values. */
    double[] readBlock(int t, double[] dst) {
        int len = blockRows * cols;
        read(t * len, len, dst, 0);
        return dst;
    }

    /** Writes row block t whole from {@code src}. */
    void writeBlock(int t, double[] src) {
        int len = blockRows * cols;
        write(t * len, len, src, 0);
    }

    /** Reads row block t whole into {@code dst} without conversion (single-precision matrices only). */
    float[] readBlock(int t, float[] dst) {
        int len = blockRows * cols;
        f.get(t * len, dst, 0, len);
        return dst;
    }

    /** Writes row block t whole from {@code src} (single-precision matrices only). */
    void writeBlock(int t, float[] src) {
        int len = blockRows * cols;
        f.put(t * len, src, 0, len);
    }

    /** Reads rows {@code [from, from + count)} into {@code dst} (single-precision matrices only). */
    float[] readRows(int from, int count, float[] dst) {
        f.get(from * cols, dst, 0, count * cols);
        return dst;
    }

    /** Writes rows {@code [from, from + count)} from {@code src} (single-precision matrices only). */
    void writeRows(int from, int count, float[] src) {
        f.put(from * cols, src, 0, count * cols);
    }

    /** The ND4J view of row block {@code t}: rows {@code [t·blockRows, (t+1)·blockRows)}. */
    INDArray block(int t) {
        INDArray b = blocks[t];
        if (b == null) {
            b = arr.get(org.nd4j.linalg.indexing.NDArrayIndex.interval((long) t * blockRows, (long) (t + 1) * blockRows),
                    org.nd4j.linalg.indexing.NDArrayIndex.all());
            blocks[t] = b;
        }
        return b;
    }

    /** The ND4J view of row blocks {@code [from, to)}. */
    INDArray blocks(int from, int to) {
        return arr.get(org.nd4j.linalg.indexing.NDArrayIndex.interval((long) from * blockRows, (long) to * blockRows),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
    }

    void zero() {
        arr.assign(0.0);
    }

    /** Sets row block {@code t} to zero. */
    void zeroBlock(int t) {
        int from = t * blockRows * cols;
        int to = from + blockRows * cols;
        for (int i = from; i < to; i++) {
            set(i, 0.0);
        }
    }
}
