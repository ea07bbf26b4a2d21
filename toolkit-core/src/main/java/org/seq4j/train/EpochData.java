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

    /** Tokens (unmasked label steps, or examples × steps) in a batch, for throughput. */
    static long tokens(MultiDataSet batch) {
        INDArray[] masks = batch.getLabelsMaskArrays();
        if (masks != null && masks[0] != null) {
            return masks[0].sumNumber().longValue();
        }
        INDArray labels = batch.getLabels(0);
        return labels.rank() == 3 ? labels.size(0) * labels.size(2) : labels.size(0);
    }
}
