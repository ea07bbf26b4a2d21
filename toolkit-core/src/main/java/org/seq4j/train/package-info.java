/**
 * The one training loop ({@link org.seq4j.train.Trainer}) and what it needs: configuration, clipping, checkpoints
 * that resume exactly, validation for early stopping, listeners for benchmarks, and run provenance ({@link
 * org.seq4j.train.RunInfo}).
 */
package org.seq4j.train;
