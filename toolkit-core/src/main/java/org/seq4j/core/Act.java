package org.seq4j.core;

import java.util.Locale;

import org.seq4j.util.Checks;

/**
 * The activation functions a cell can use (SRN, Jordan). {@link Kernels} computes them and their derivatives (through
 * the output {@code y = f(x)}, so the backward pass needs only the stored activations): exact {@link Math} functions
 * in double precision, Eigen's rational tanh (and σ through it) in single precision; {@code FastPathTest} bounds the
 * approximation's error.
 */
public enum Act {
    TANH, SIGMOID, RELU, IDENTITY;

    /** The activation named {@code name} (case-insensitive). */
    public static Act parse(String name) {
        Checks.require(name != null, "Activation must not be null; expected tanh, sigmoid, relu or identity");
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown activation '" + name
                    + "'; the recurrent core computes tanh, sigmoid, relu or identity");
        }
    }
}
