package org.seq4j.train;

import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

/**
 * The training batches of each epoch. The order must depend only on the epoch number (for example a shuffle seeded
 * with {@code seed + epoch}), so that a run resumed from a checkpoint sees exactly the batches an uninterrupted run
 * would have seen.
 */
@FunctionalInterface
public interface EpochData {

    /** The batches of epoch {@code epoch} (0-based), in training order. */
    List<MultiDataSet> batches(int epoch);

    /**
     * {@code count} batches built one at a time, when the trainer asks for each ({@code batch.apply(i)}), and not
     * kept: an epoch's data never sits in memory whole (a collection of many long series has hundreds of thousands of
     * windows). {@code batch} must give the same batch for the same index every time.
     */
    static List<MultiDataSet> onDemand(int count, java.util.function.IntFunction<MultiDataSet> batch) {
        return new java.util.AbstractList<>() {
            @Override
            public MultiDataSet get(int index) {
                java.util.Objects.checkIndex(index, count);
                return batch.apply(index);
            }

            @Override
            public int size() {
                return count;
            }
        };
    }

    /** Tokens (unmasked label steps, or examples × steps) in a batch, for throughput. */
    static long tokens(org.nd4j.linalg.dataset.api.MultiDataSet batch) {
        INDArray[] masks = batch.getLabelsMaskArrays();
        if (masks != null && masks[0] != null) {
            return masks[0].sumNumber().longValue();
        }
        INDArray labels = batch.getLabels(0);
        return labels.rank() == 3 ? labels.size(0) * labels.size(2) : labels.size(0);
    }
}
