/**
 * The recurrent core: every cell ({@link org.seq4j.core.LstmCell}, {@link org.seq4j.core.GruCell},
 * {@link org.seq4j.core.SrnCell}, {@link org.seq4j.core.ScrnCell}, {@link org.seq4j.core.JordanCell}) as its equations
 * ({@link org.seq4j.core.RecurrentCell}) on one runtime ({@link org.seq4j.core.RecurrentRuntime}) behind one layer
 * configuration ({@link org.seq4j.core.Recurrent}), with state that can be read, restored and reordered
 * ({@link org.seq4j.core.CellState}).
 */
package org.seq4j.core;
