/**
 * Picking a recurrent encoder by name: {@link org.seq4j.cells.CellType}, {@link org.seq4j.cells.RecurrentSpec}
 * (cell, width, depth, direction) and {@link org.seq4j.cells.RecurrentStack}, which adds it to a ComputationGraph the
 * same way for every cell.
 */
package org.seq4j.cells;
