package org.seq4j.tasks.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.seq4j.data.CsvTable;
import org.seq4j.data.DataFormatException;
import org.seq4j.data.Series;

/**
 * The M4 competition files (Makridakis, Spiliotis and Assimakopoulos 2020) in M4's own layout, read from a path (never
 * bundled): one series per row, a quoted id then its values, rows ragged and padded with empty cells up to the longest
 * series, header {@code "V1","V2",…} ({@code Weekly-train.csv}, gzip read directly); the test file holds the next
 * {@code horizon} values of each series, in the same order.
 */
public final class M4 {

    /**
     * An M4 frequency and M4's rules for it: the forecast horizon and the season length m used by MASE, the
     * seasonality test and Naive2 (M4 treats weekly and daily data as non-seasonal).
     */
    public enum Frequency {
        YEARLY(6, 1), QUARTERLY(8, 4), MONTHLY(18, 12), WEEKLY(13, 1), DAILY(14, 1), HOURLY(48, 24);

        private final int horizon;
        private final int period;

        Frequency(int horizon, int period) {
            this.horizon = horizon;
            this.period = period;
        }

        public int horizon() {
            return horizon;
        }

        public int period() {
            return period;
        }

        /** {@code yearly} … {@code hourly}, case-insensitive. */
        public static Frequency parse(String s) {
            for (Frequency f : values()) {
                if (f.name().equalsIgnoreCase(s == null ? "" : s.trim())) {
                    return f;
                }
            }
            throw new IllegalArgumentException("M4 frequency must be one of " + Arrays.stream(values())
                    .map(f -> f.name().toLowerCase(Locale.ROOT)).toList() + ", got '" + s + "'");
        }
    }

    private M4() {
    }

    /**
     * Every series of {@code train} with its held-out values from {@code test} (same ids, same order, exactly
     * {@code frequency.horizon()} values each), as {@link M3.Entry}s.
     */
    public static List<M3.Entry> load(Path train, Path test, Frequency frequency) {
        Map<String, double[]> tr = read(train);
        Map<String, double[]> te = read(test);
        List<M3.Entry> out = new ArrayList<>();
        for (Map.Entry<String, double[]> e : tr.entrySet()) {
            double[] future = te.get(e.getKey());
            if (future == null) {
                throw new DataFormatException(test, 0, "series " + e.getKey() + " of " + train + " has no row here");
            }
            if (future.length != frequency.horizon()) {
                throw new DataFormatException(test, 0, "series " + e.getKey() + " has " + future.length + " test "
                        + "values; the M4 horizon of " + frequency.name().toLowerCase(Locale.ROOT) + " data is "
                        + frequency.horizon());
            }
            out.add(new M3.Entry(Series.of(e.getKey(), e.getValue()), future, frequency.period(), frequency.horizon()));
        }
        if (te.size() != tr.size()) {
            throw new DataFormatException(test, 0, te.size() + " series here, " + tr.size() + " in " + train);
        }
        return out;
    }

    /** The series of one M4-layout file, by id in file order; a gap, a non-number or a repeated id is an error. */
    public static Map<String, double[]> read(Path file) {
        CsvTable t = CsvTable.read(file);
        Map<String, double[]> out = new LinkedHashMap<>();
        for (CsvTable.Row r : t.rows()) {
            String[] f = r.fields();
            String id = f[0];
            if (id.isEmpty()) {
                throw new DataFormatException(file, r.line(), "the first cell must be the series id, got an empty cell");
            }
            int n = 1;
            while (n < f.length && !f[n].isEmpty()) {
                n++;
            }
            for (int k = n; k < f.length; k++) {
                if (!f[k].isEmpty()) {
                    throw new DataFormatException(file, r.line(), "series " + id + ": a value in column " + (k + 1)
                            + " after an empty cell in column " + (n + 1) + " (values must be contiguous, padding "
                            + "only at the end)");
                }
            }
            if (n == 1) {
                throw new DataFormatException(file, r.line(), "series " + id + " has no values");
            }
            double[] y = new double[n - 1];
            for (int k = 1; k < n; k++) {
                y[k - 1] = t.number(r, k);
            }
            if (out.put(id, y) != null) {
                throw new DataFormatException(file, r.line(), "series " + id + " appears twice");
            }
        }
        if (out.isEmpty()) {
            throw new DataFormatException(file, 0, "no series");
        }
        return out;
    }
}
