/**
 * Named layer configurations: {@link org.seq4j.layers.Gru} (a {@link org.seq4j.core.Recurrent} layer with a GRU
 * cell), {@link org.seq4j.layers.Lstm} and {@link org.seq4j.layers.Srn} (DL4J's LSTM and SimpleRnn configurations,
 * run by seq4j's recurrent core, kept for their model files), and {@link org.seq4j.layers.Scrn}, the SameDiff form of
 * SCRN that the bench compares with the core's {@link org.seq4j.core.ScrnCell}. New code builds layers with
 * {@link org.seq4j.core.Recurrent} or by cell name ({@code org.seq4j.cells}).
 */
package org.seq4j.layers;
