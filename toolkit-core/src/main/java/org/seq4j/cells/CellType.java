package org.seq4j.cells;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.seq4j.util.Checks;

/**
 * The recurrent cells seq4j wires into a graph, picked by name (CLI flags, bench scenarios, task configs). Every one
 * runs on the recurrent core ({@link org.seq4j.core.Recurrent}).
 */
public enum CellType {
    /** Long short-term memory with forget gate ({@link org.seq4j.core.LstmCell}). */
    LSTM,
    /** Gated recurrent unit ({@link org.seq4j.core.GruCell}). */
    GRU,
    /** Simple recurrent network (Elman 1990), {@code h_t = tanh(x_t·W + h_{t−1}·R + b)} ({@link org.seq4j.core.SrnCell}). */
    SRN,
    /** Structurally constrained recurrent network (Mikolov et al. 2014; {@link org.seq4j.core.ScrnCell}). */
    SCRN,
    /** Jordan network (Jordan 1986): the previous output fed back ({@link org.seq4j.core.JordanCell}). */
    JORDAN;

    /** The cell named {@code name}, case-insensitive; "elman" and "rnn" mean {@link #SRN}. */
    public static CellType parse(String name) {
        Checks.require(name != null && !name.isBlank(), "Cell name must not be empty; expected one of %s", names());
        String n = name.trim().toUpperCase(Locale.ROOT);
        if (n.equals("ELMAN") || n.equals("RNN")) {
            return SRN;
        }
        for (CellType c : values()) {
            if (c.name().equals(n)) {
                return c;
            }
        }
        throw new IllegalArgumentException("Unknown cell '" + name + "'; expected one of " + names()
                + " (case-insensitive; 'elman' and 'rnn' mean srn)");
    }

    /** The valid names, lower case. */
    public static String names() {
        return Arrays.stream(values()).map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }
}
