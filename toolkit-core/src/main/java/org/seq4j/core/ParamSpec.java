package org.seq4j.core;

/**
 * One parameter of a recurrent cell: its key in the layer's parameter table, its shape {@code [rows, cols]} and how
 * it is initialised.
 *
 * @param key   the parameter's name ({@code "W"} is always the input projection {@code [nIn, P]})
 * @param rows  rows
 * @param cols  columns
 * @param init  initialisation
 */
public record ParamSpec(String key, long rows, long cols, Init init) {

    /** How a parameter starts. */
    public enum Init {
        /** the layer's weight initialiser, fan-in = rows, fan-out = cols */
        INPUT_WEIGHT,
        /** the layer's recurrent weight initialiser (or its weight initialiser when none is set) */
        RECURRENT_WEIGHT,
        /** the layer's bias init value; the cell may override per slice */
        BIAS,
        /** zero */
        ZERO,
        /** set by the cell ({@link RecurrentCell#initParam}) */
        CELL
    }

    public long length() {
        return rows * cols;
    }

    public boolean isBias() {
        return init == Init.BIAS || init == Init.ZERO;
    }
}
