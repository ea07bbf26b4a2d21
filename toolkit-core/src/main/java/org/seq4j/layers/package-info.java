/**
 * Recurrent layers as DL4J layer configurations: seq4j's {@link org.seq4j.layers.Gru} (DL4J recurrent API,
 * hand-written BPTT) and {@link org.seq4j.layers.Scrn} (SameDiff), and DL4J's LSTM and SimpleRnn with their M2.1
 * runtime defects fixed ({@link org.seq4j.layers.Lstm}, {@link org.seq4j.layers.Srn}). Step-by-step forms for layers
 * DL4J cannot step ({@link org.seq4j.layers.ScrnStep}). Wiring by cell name is in {@code org.seq4j.cells}.
 */
package org.seq4j.layers;
