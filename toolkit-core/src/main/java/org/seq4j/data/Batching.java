package org.seq4j.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.seq4j.util.Checks;

/**
 * Turns variable-length index sequences into padded DL4J batches.
 *
 * <pre>
 *   ids  [mb, 1, T]   token indices as floats (EmbeddingSequenceLayer input; sparse labels for LossSparseMCXENT),
 *                     padded with {@code <pad>} = 0
 *   mask [mb, T]      1 on real steps, 0 on padding (right padding)
 * </pre>
 *
 * <p>Length bucketing ({@link #batches}): a sequence goes to the first bucket whose bound is at least its length, and
 * every batch of a bucket is padded to that bound, so that a SameDiff layer (one graph per length, M2.1 bug B3) sees
 * only as many lengths as there are buckets. Shuffling is seeded.
 */
public final class Batching {

    private Batching() {
    }

    /**
     * Groups example indices into batches of at most {@code batchSize}.
     *
     * @param lengths      length of each example
     * @param bucketBounds increasing bucket bounds; empty for no bucketing (one bucket, padded to its longest)
     * @param seed         shuffles examples within buckets and the order of batches; a fixed seed, a fixed order
     */
    public static List<int[]> batches(int[] lengths, int batchSize, int[] bucketBounds, long seed) {
        Checks.require(batchSize > 0, "Batching: batchSize must be > 0, got %d", batchSize);
        for (int i = 1; i < bucketBounds.length; i++) {
            Checks.require(bucketBounds[i] > bucketBounds[i - 1], "Batching: bucket bounds must increase, got %s",
                    Arrays.toString(bucketBounds));
        }
        int buckets = Math.max(1, bucketBounds.length);
        List<List<Integer>> byBucket = new ArrayList<>();
        for (int b = 0; b < buckets; b++) {
            byBucket.add(new ArrayList<>());
        }
        for (int i = 0; i < lengths.length; i++) {
            Checks.require(lengths[i] > 0, "Batching: example %d is empty (length 0)", i);
            byBucket.get(bucket(lengths[i], bucketBounds, i)).add(i);
        }
        Random r = new Random(seed);
        List<int[]> out = new ArrayList<>();
        for (List<Integer> bucket : byBucket) {
            Collections.shuffle(bucket, r);
            for (int s = 0; s < bucket.size(); s += batchSize) {
                out.add(bucket.subList(s, Math.min(bucket.size(), s + batchSize)).stream().mapToInt(x -> x).toArray());
            }
        }
        Collections.shuffle(out, r);
        return out;
    }

    /** The length to pad {@code batch} to: its bucket's bound, or its longest example without bucketing. */
    public static int padLength(int[] lengths, int[] batch, int[] bucketBounds) {
        int max = Arrays.stream(batch).map(i -> lengths[i]).max().orElseThrow();
        return bucketBounds.length == 0 ? max : bucketBounds[bucket(max, bucketBounds, batch[0])];
    }

    private static int bucket(int length, int[] bounds, int example) {
        if (bounds.length == 0) {
            return 0;
        }
        for (int b = 0; b < bounds.length; b++) {
            if (length <= bounds[b]) {
                return b;
            }
        }
        throw new IllegalArgumentException("Batching: example " + example + " has length " + length
                + ", longer than the largest bucket bound " + bounds[bounds.length - 1]
                + "; add a larger bound or truncate long sequences");
    }

    /** {@code [mb, 1, T]} indices of the chosen sequences, right-padded with 0. */
    public static INDArray ids(List<int[]> seqs, int[] batch, int steps) {
        INDArray a = Nd4j.zeros(DataType.FLOAT, batch.length, 1, steps);
        for (int i = 0; i < batch.length; i++) {
            int[] s = seqs.get(batch[i]);
            Checks.require(s.length <= steps, "Batching: sequence %d has length %d > %d", batch[i], s.length, steps);
            for (int t = 0; t < s.length; t++) {
                a.putScalar(new long[] {i, 0, t}, s[t]);
            }
        }
        return a;
    }

    /** {@code [mb, T]} mask: 1 for the first {@code length} steps of each chosen sequence. */
    public static INDArray mask(List<int[]> seqs, int[] batch, int steps) {
        INDArray m = Nd4j.zeros(DataType.FLOAT, batch.length, steps);
        for (int i = 0; i < batch.length; i++) {
            int len = Math.min(steps, seqs.get(batch[i]).length);
            for (int t = 0; t < len; t++) {
                m.putScalar(i, t, 1.0);
            }
        }
        return m;
    }

    /**
     * An encoder-decoder batch for teacher forcing: inputs {@code [source, decoderInput]} where the decoder input is
     * {@code <s> y1 … yn} and the label is {@code y1 … yn </s>}, all as index arrays with masks; the target side is
     * padded to {@code targetSteps} = longest target + 1.
     */
    public static MultiDataSet seq2seq(List<int[]> sources, List<int[]> targets, int[] batch, int sourceSteps,
                                       int targetSteps) {
        List<int[]> decIn = new ArrayList<>();
        List<int[]> decOut = new ArrayList<>();
        for (int[] t : targets) {
            int[] in = new int[t.length + 1];
            int[] out = new int[t.length + 1];
            in[0] = Vocabulary.BOS_ID;
            System.arraycopy(t, 0, in, 1, t.length);
            System.arraycopy(t, 0, out, 0, t.length);
            out[t.length] = Vocabulary.EOS_ID;
            decIn.add(in);
            decOut.add(out);
        }
        INDArray srcMask = mask(sources, batch, sourceSteps);
        INDArray tgtMask = mask(decIn, batch, targetSteps);
        return new MultiDataSet(new INDArray[] {ids(sources, batch, sourceSteps), ids(decIn, batch, targetSteps)},
                new INDArray[] {ids(decOut, batch, targetSteps)},
                new INDArray[] {srcMask, tgtMask}, new INDArray[] {tgtMask});
    }
}
