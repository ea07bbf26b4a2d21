package org.seq4j.data;

import java.util.Random;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.seq4j.util.Checks;

/**
 * Seeded synthetic sequence tasks, the classic probes of recurrent memory. Each returns a DL4J {@link DataSet} in NCW
 * layout; a label mask marks the steps that are scored.
 */
public final class SyntheticTasks {

    private SyntheticTasks() {
    }

    /**
     * The adding problem (Hochreiter and Schmidhuber 1997): each step carries a value uniform in [0, 1) and a marker;
     * exactly two steps are marked, one in each half of the sequence, and the target at the last step is the sum of
     * the two marked values. Predicting the mean (1.0) gives MSE 1/6 ≈ 0.167, the baseline to beat.
     *
     * @return features {@code [n, 2, T]} (value, marker), labels {@code [n, 1, T]} with a label mask that is 1 only at
     *         the last step
     */
    public static DataSet addingProblem(int n, int steps, long seed) {
        Checks.require(n > 0, "addingProblem: n must be > 0, got %d", n);
        Checks.require(steps >= 2, "addingProblem: steps must be >= 2, got %d", steps);
        Random r = new Random(seed);
        INDArray x = Nd4j.zeros(DataType.FLOAT, n, 2, steps);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 1, steps);
        INDArray labelMask = Nd4j.zeros(DataType.FLOAT, n, steps);
        int half = steps / 2;
        for (int i = 0; i < n; i++) {
            int a = r.nextInt(half);
            int b = half + r.nextInt(steps - half);
            double sum = 0;
            for (int t = 0; t < steps; t++) {
                double v = r.nextDouble();
                x.putScalar(new long[] {i, 0, t}, v);
                if (t == a || t == b) {
                    x.putScalar(new long[] {i, 1, t}, 1.0);
                    sum += v;
                }
            }
            y.putScalar(new long[] {i, 0, steps - 1}, sum);
            labelMask.putScalar(i, steps - 1, 1.0);
        }
        return new DataSet(x, y, null, labelMask);
    }

    /** Classes of {@link #copyMemory}: 0 blank, 1..8 symbols, 9 the delimiter. */
    public static final int COPY_CLASSES = 10;

    /**
     * The copy-memory task (Hochreiter and Schmidhuber 1997; Arjovsky et al. 2016): 10 symbols drawn from 1..8, then
     * {@code delay} blanks, the delimiter 9, and 10 more blanks; the target is blank everywhere except the last 10
     * steps, which must repeat the 10 symbols. Length {@code delay + 20}. A model that outputs blanks and then guesses
     * uniformly among the 8 symbols scores the chance cross-entropy {@link #copyMemoryChance}
     * {@code = 10·ln 8 / (delay + 20)} per step.
     *
     * @return features one-hot {@code [n, 10, delay + 20]}, labels as class ids {@code [n, 1, delay + 20]} (for a
     *         sparse softmax such as {@code SoftmaxOutput})
     */
    public static DataSet copyMemory(int n, int delay, long seed) {
        Checks.require(n > 0, "copyMemory: n must be > 0, got %d", n);
        Checks.require(delay >= 1, "copyMemory: delay must be >= 1, got %d", delay);
        int steps = delay + 20;
        Random r = new Random(seed);
        INDArray x = Nd4j.zeros(DataType.FLOAT, n, COPY_CLASSES, steps);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 1, steps);
        for (int i = 0; i < n; i++) {
            int[] in = new int[steps];
            for (int t = 0; t < 10; t++) {
                in[t] = 1 + r.nextInt(8);
                y.putScalar(new long[] {i, 0, steps - 10 + t}, in[t]);
            }
            in[delay + 10 - 1] = 9;   // the delimiter: "now repeat"
            for (int t = 0; t < steps; t++) {
                x.putScalar(new long[] {i, in[t], t}, 1.0);
            }
        }
        return new DataSet(x, y);
    }

    /** The cross-entropy per step (nats) of blanks then uniform guesses on {@link #copyMemory}: {@code 10·ln 8 / (delay + 20)}. */
    public static double copyMemoryChance(int delay) {
        return 10 * Math.log(8) / (delay + 20);
    }
}
