package org.seq4j.util;

import java.util.Locale;

/**
 * Argument and state checks that give every seq4j error message the same shape: what is wrong, the value received
 * and, where it helps, what was expected.
 *
 * <pre>{@code
 * Checks.require(units > 0, "Gru layer '%s': nOut must be > 0, got %d", name, units);
 * }</pre>
 */
public final class Checks {

    private Checks() {
    }

    /** Throws {@link IllegalArgumentException} with the formatted message when {@code condition} is false. */
    public static void require(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, format, args));
        }
    }

    /** Throws {@link IllegalStateException} with the formatted message when {@code condition} is false. */
    public static void requireState(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalStateException(String.format(Locale.ROOT, format, args));
        }
    }

    /** A layer's name for messages: {@code 'name'}, or {@code (unnamed)} when the layer has none. */
    public static String layerName(String name) {
        return name == null ? "(unnamed)" : "'" + name + "'";
    }
}
