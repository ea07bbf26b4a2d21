package org.seq4j.cells;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.seq4j.util.Checks;

/** The recurrent cells seq4j wires into a graph, picked by name (CLI flags, bench scenarios, task configs). */
public enum CellType {
    /** DL4J's {@code LSTM} (Hochreiter and Schmidhuber 1997, with forget gate). */
    LSTM,
    /** seq4j's {@link org.seq4j.layers.Gru}. */
    GRU,
    /** Simple recurrent network (Elman 1990): DL4J's {@code SimpleRnn}, {@code h_t = tanh(x_t·W + h_{t−1}·R + b)}. */
    SRN,
    /** seq4j's {@link org.seq4j.layers.Scrn} (Mikolov et al. 2014). */
    SCRN;

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
