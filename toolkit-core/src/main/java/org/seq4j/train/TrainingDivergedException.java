package org.seq4j.train;

/**
 * Training stopped because the loss became infinite or NaN, or rose far above where the run started (see
 * {@link Trainer}). The message says where and what to change (learning rate, clipping).
 */
public class TrainingDivergedException extends IllegalStateException {

    public TrainingDivergedException(String message) {
        super(message);
    }
}
