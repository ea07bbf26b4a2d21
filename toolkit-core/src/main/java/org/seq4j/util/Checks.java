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

    /**
     * Text from a user's file, made safe to put in a message: quoted, control characters (NUL, tabs, newlines) escaped
     * as {@code \xNN}, and clipped to 60 characters with the full length given ({@code 'aaaa…' (1048576 chars)}), so a
     * 1 MB field or a run of NUL bytes cannot flood a terminal or a log.
     */
    public static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("'");
        int shown = 0;
        for (int i = 0; i < text.length() && shown < 60; i++, shown++) {
            char c = text.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? String.format(Locale.ROOT, "\\x%02x", (int) c) : String.valueOf(c));
        }
        b.append(text.length() > 60 ? "…' (" + text.length() + " chars)" : "'");
        return b.toString();
    }

    /** A layer's name for messages: {@code 'name'}, or {@code (unnamed)} when the layer has none. */
    public static String layerName(String name) {
        return name == null ? "(unnamed)" : "'" + name + "'";
    }
}
