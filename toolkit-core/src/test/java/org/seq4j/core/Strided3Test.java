package org.seq4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The Java copy behind the core's layout loops: it reads every element of a rank-3 array in any order and of views at
 * an offset or with gaps, and {@link Strided3#flush()} writes back exactly the view's elements, never the memory between
 * them.
 */
class Strided3Test {

    private static INDArray numbered(DataType type, char order, long... shape) {
        INDArray a = Nd4j.create(type, shape, order);
        for (int i = 0; i < shape[0]; i++) {
            for (int k = 0; k < shape[1]; k++) {
                for (int t = 0; t < shape[2]; t++) {
                    a.putScalar(new long[] {i, k, t}, 100 * i + 10 * k + t);
                }
            }
        }
        return a;
    }

    @Test
    void readsEveryElementOfDenseArraysAndViews() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (char order : new char[] {'c', 'f'}) {
                INDArray whole = numbered(type, order, 4, 6, 5);
                INDArray view = whole.get(NDArrayIndex.interval(1, 3), NDArrayIndex.interval(2, 5),
                        NDArrayIndex.interval(1, 4));
                INDArray permuted = whole.permute(2, 0, 1);
                for (INDArray a : new INDArray[] {whole, view, permuted}) {
                    Strided3 s = new Strided3(a, new double[3]);   // too short: it grows its own
                    for (int i = 0; i < a.size(0); i++) {
                        for (int k = 0; k < a.size(1); k++) {
                            for (int t = 0; t < a.size(2); t++) {
                                assertThat(s.get(i, k, t)).as("%s %s %s", type, order, a.shapeInfoToString())
                                        .isEqualTo(a.getDouble(i, k, t));
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void flushWritesTheViewsElementsAndNothingBetweenThem() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (char order : new char[] {'c', 'f'}) {
                INDArray whole = numbered(type, order, 4, 6, 5);
                INDArray before = whole.dup();
                INDArray view = whole.get(NDArrayIndex.interval(1, 3), NDArrayIndex.interval(2, 5),
                        NDArrayIndex.interval(1, 4));
                Strided3 s = new Strided3(view, null);
                for (int i = 0; i < 2; i++) {
                    for (int k = 0; k < 3; k++) {
                        for (int t = 0; t < 3; t++) {
                            s.set(i, k, t, -s.get(i, k, t));
                        }
                    }
                }
                assertThat(whole).as("nothing reaches the array before flush").isEqualTo(before);
                s.flush();
                for (int i = 0; i < 4; i++) {
                    for (int k = 0; k < 6; k++) {
                        for (int t = 0; t < 5; t++) {
                            boolean inView = i >= 1 && i < 3 && k >= 2 && k < 5 && t >= 1 && t < 4;
                            assertThat(whole.getDouble(i, k, t)).as("%s %s (%d,%d,%d)", type, order, i, k, t)
                                    .isEqualTo((inView ? -1 : 1) * before.getDouble(i, k, t));
                        }
                    }
                }
            }
        }
    }

    @Test
    void aDenseArrayIsWrittenBackWhole() {
        INDArray a = numbered(DataType.FLOAT, 'f', 3, 4, 2);
        double[] work = new double[100];
        Strided3 s = new Strided3(a, work);
        assertThat(s.values()).as("a long enough work array is reused").isSameAs(work);
        s.set(2, 3, 1, 0.5);
        s.flush();
        assertThat(a.getDouble(2, 3, 1)).isEqualTo(0.5);
        assertThat(a.getDouble(2, 3, 0)).isEqualTo(230.0);
    }
}
