package org.seq4j.cells;

import java.util.Locale;

import org.nd4j.shade.jackson.databind.JsonNode;

/**
 * Typed reads of a JSON object from a model file, each a clear error naming the source and field when it is missing or
 * of the wrong type.
 */
public final class JsonFields {

    private final JsonNode node;
    private final String where;

    public JsonFields(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + ": expected a JSON object");
        }
        this.node = node;
        this.where = where;
    }

    private JsonNode field(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException(where + ": missing field '" + name + "'");
        }
        return v;
    }

    public String text(String name) {
        JsonNode v = field(name);
        if (!v.isTextual()) {
            throw new IllegalArgumentException(where + ": field '" + name + "' must be a string, got " + v);
        }
        return v.asText();
    }

    /** The string, or null when the field is absent or null. */
    public String optText(String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : text(name);
    }

    public int integer(String name) {
        JsonNode v = field(name);
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException(where + ": field '" + name + "' must be an integer, got " + v);
        }
        return v.asInt();
    }

    public long longValue(String name) {
        JsonNode v = field(name);
        if (!v.isIntegralNumber()) {
            throw new IllegalArgumentException(where + ": field '" + name + "' must be an integer, got " + v);
        }
        return v.asLong();
    }

    public double number(String name) {
        JsonNode v = field(name);
        if (!v.isNumber()) {
            throw new IllegalArgumentException(where + ": field '" + name + "' must be a number, got " + v);
        }
        return v.asDouble();
    }

    public boolean bool(String name) {
        JsonNode v = field(name);
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(where + ": field '" + name + "' must be true or false, got " + v);
        }
        return v.asBoolean();
    }

    public <E extends Enum<E>> E enumValue(Class<E> type, String name) {
        String v = text(name);
        try {
            return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": field '" + name + "' is '" + v + "'; expected one of "
                    + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
        }
    }

    /** A JSON array of numbers or strings. */
    public JsonNode array(String name) {
        JsonNode v = field(name);
        if (!v.isArray()) {
            throw new IllegalArgumentException(where + ": field '" + name + "' must be an array, got " + v);
        }
        return v;
    }

    public JsonNode object(String name) {
        JsonNode v = field(name);
        if (!v.isObject()) {
            throw new IllegalArgumentException(where + ": field '" + name + "' must be an object, got " + v);
        }
        return v;
    }
}
