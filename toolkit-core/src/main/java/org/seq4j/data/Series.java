package org.seq4j.data;

import java.util.List;
import java.util.Map;

import org.seq4j.util.Checks;

/**
 * One time series: its id, the time stamps as written in the file, the target values and any covariates (each a
 * value per time step).
 */
public record Series(String id, List<String> timestamps, double[] values, Map<String, double[]> covariates)
        implements java.io.Serializable {

    public Series {
        Checks.require(values.length > 0, "Series '%s' is empty", id);
        Checks.require(timestamps.size() == values.length, "Series '%s': %d time stamps for %d values", id,
                timestamps.size(), values.length);
        for (Map.Entry<String, double[]> c : covariates.entrySet()) {
            Checks.require(c.getValue().length == values.length, "Series '%s': covariate '%s' has %d values, the "
                    + "target %d", id, c.getKey(), c.getValue().length, values.length);
        }
        timestamps = List.copyOf(timestamps);
        covariates = Map.copyOf(covariates);
    }

    /** A series without covariates, time stamps 1..n. */
    public static Series of(String id, double... values) {
        List<String> ts = new java.util.ArrayList<>();
        for (int i = 1; i <= values.length; i++) {
            ts.add(Integer.toString(i));
        }
        return new Series(id, ts, values, Map.of());
    }

    public int length() {
        return values.length;
    }

    /** The first {@code n} steps. */
    public Series head(int n) {
        return slice(0, n);
    }

    /** Steps {@code [from, to)}. */
    public Series slice(int from, int to) {
        Checks.require(0 <= from && from < to && to <= values.length,
                "Series '%s': slice [%d, %d) outside [0, %d)", id, from, to, values.length);
        Map<String, double[]> cov = new java.util.LinkedHashMap<>();
        covariates.forEach((k, v) -> cov.put(k, java.util.Arrays.copyOfRange(v, from, to)));
        return new Series(id, timestamps.subList(from, to), java.util.Arrays.copyOfRange(values, from, to), cov);
    }
}
