package org.seq4j.bench.runner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The options of a suite's scenario or variant, read with defaults; every key must be read by the task, so a misspelt
 * option is an error that names where it is and what is known, not a silently ignored setting.
 */
final class Params {

    private final Map<String, Object> values;
    private final String where;
    private final Set<String> read = new TreeSet<>();

    Params(Map<String, Object> values, String where) {
        this.values = values == null ? Map.of() : new LinkedHashMap<>(values);
        this.where = where;
    }

    int integer(String key, int fallback) {
        Object v = get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.intValue();
        }
        throw bad(key, v, "a whole number");
    }

    double number(String key, double fallback) {
        Object v = get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw bad(key, v, "a number");
    }

    String text(String key, String fallback) {
        Object v = get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof String s) {
            return s;
        }
        throw bad(key, v, "a string");
    }

    boolean flag(String key, boolean fallback) {
        Object v = get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw bad(key, v, "true or false");
    }

    List<Integer> integers(String key) {
        Object v = get(key);
        if (v == null) {
            return List.of();
        }
        List<Integer> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object o : l) {
                if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                    throw bad(key, v, "a list of whole numbers");
                }
                out.add(n.intValue());
            }
            return out;
        }
        throw bad(key, v, "a list of whole numbers");
    }

    /** Fails naming every key no task read: a misspelt or misplaced option. */
    void checkAllRead(String task) {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(where + ": unknown option(s) " + unknown + " for task '" + task
                    + "'; it reads " + read);
        }
    }

    private Object get(String key) {
        read.add(key);
        return values.get(key);
    }

    private IllegalArgumentException bad(String key, Object v, String expected) {
        return new IllegalArgumentException(where + ": option '" + key + "' must be " + expected + ", got " + v);
    }
}
