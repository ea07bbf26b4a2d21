package org.seq4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.seq4j.util.Checks;

/**
 * Reads time series from CSV files in two documented layouts (docs/data.md):
 * <ul>
 *   <li><b>wide</b>: one row per time step, e.g. {@code date,value} (R's classic series) or
 *       {@code date,OT,HUFL,...} (ETTh1): an optional time column, one or more target columns (one series each) and
 *       covariate columns shared by all targets;</li>
 *   <li><b>long</b>: one row per observation, {@code series_id,t,value} (the M3 files), rows of a series in time
 *       order.</li>
 * </ul>
 * Every value must be a finite number; anything else is an error naming the file, the line and the column.
 */
public final class SeriesCsv {

    private SeriesCsv() {
    }

    /**
     * @param timeColumn  the time stamp column, or null to number the rows 1..n
     * @param targets     target columns, one series each (at least one)
     * @param covariates  covariate columns, attached to every series (may be empty)
     */
    public static List<Series> readWide(Path file, String timeColumn, List<String> targets, List<String> covariates) {
        return readWide(CsvTable.read(file), timeColumn, targets, covariates);
    }

    /** {@link #readWide(Path, String, List, List)} on a table already read (e.g. from a bundled resource). */
    public static List<Series> readWide(CsvTable t, String timeColumn, List<String> targets, List<String> covariates) {
        Checks.require(targets != null && !targets.isEmpty(), "readWide(%s): name at least one target column",
                t.file());
        int timeIdx = timeColumn == null ? -1 : t.column(timeColumn);
        List<String> stamps = new ArrayList<>();
        CsvTable.Row previous = null;
        for (CsvTable.Row r : t.rows()) {
            String stamp = timeIdx < 0 ? Long.toString(stamps.size() + 1) : r.fields()[timeIdx];
            if (previous != null && timeIdx >= 0 && !inOrder(stamps.get(stamps.size() - 1), stamp)) {
                throw new DataFormatException(t.file(), r.line(), "column '" + timeColumn + "': time "
                        + Checks.quote(stamp) + " does not come after " + Checks.quote(stamps.get(stamps.size() - 1))
                        + " (line " + previous.line() + "); rows must be in increasing time order without repeats");
            }
            stamps.add(stamp);
            previous = r;
        }
        Map<String, double[]> cov = new LinkedHashMap<>();
        for (String c : covariates) {
            cov.put(c, column(t, t.column(c)));
        }
        List<Series> out = new ArrayList<>();
        for (String target : targets) {
            out.add(new Series(target, stamps, column(t, t.column(target)), cov));
        }
        return out;
    }

    /** A wide file with a time column and a single target column. */
    public static Series readSingle(Path file, String timeColumn, String target) {
        return readWide(file, timeColumn, List.of(target), List.of()).get(0);
    }

    /**
     * Reads the long layout. Time stamps within a series must increase (numerically when they are numbers,
     * otherwise as text, which orders ISO dates correctly); a repeated or decreasing time is an error.
     */
    public static List<Series> readLong(Path file, String idColumn, String timeColumn, String valueColumn) {
        return readLong(CsvTable.read(file), idColumn, timeColumn, valueColumn);
    }

    /** {@link #readLong(Path, String, String, String)} from a table already read (errors name its file). */
    public static List<Series> readLong(CsvTable t, String idColumn, String timeColumn, String valueColumn) {
        Path file = t.file();
        int idIdx = t.column(idColumn);
        int timeIdx = t.column(timeColumn);
        int valueIdx = t.column(valueColumn);
        Map<String, List<CsvTable.Row>> byId = new LinkedHashMap<>();
        for (CsvTable.Row r : t.rows()) {
            String id = r.fields()[idIdx];
            if (id.isEmpty()) {
                throw new DataFormatException(file, r.line(), "column '" + idColumn + "': empty series id");
            }
            byId.computeIfAbsent(id, k -> new ArrayList<>()).add(r);
        }
        List<Series> out = new ArrayList<>();
        for (Map.Entry<String, List<CsvTable.Row>> e : byId.entrySet()) {
            List<CsvTable.Row> rows = e.getValue();
            double[] values = new double[rows.size()];
            List<String> stamps = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                CsvTable.Row r = rows.get(i);
                values[i] = magnitude(t, r, valueIdx, t.number(r, valueIdx));
                String stamp = r.fields()[timeIdx];
                if (i > 0 && compareTimes(stamps.get(i - 1), stamp) >= 0) {
                    throw new DataFormatException(file, r.line(), "series '" + e.getKey() + "': time '" + stamp
                            + "' does not come after '" + stamps.get(i - 1) + "' (line " + rows.get(i - 1).line()
                            + "); rows of a series must be in increasing time order without repeats");
                }
                stamps.add(stamp);
            }
            out.add(new Series(e.getKey(), stamps, values, Map.of()));
        }
        return out;
    }

    /**
     * Largest magnitude a series value may have. Statistical baselines square and sum values (variances, SES fits),
     * which overflows near 1e300 and silently gives wrong forecasts; rescale such data first.
     */
    public static final double MAX_MAGNITUDE = 1e100;

    private static double[] column(CsvTable t, int idx) {
        double[] v = new double[t.rows().size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = magnitude(t, t.rows().get(i), idx, t.number(t.rows().get(i), idx));
        }
        return v;
    }

    private static double magnitude(CsvTable t, CsvTable.Row r, int idx, double v) {
        if (Math.abs(v) > MAX_MAGNITUDE) {
            throw new DataFormatException(t.file(), r.line(), "column '" + t.header().get(idx) + "': " + v
                    + " is beyond ±1e100, where sums of squares overflow; rescale the series (e.g. to thousands)");
        }
        return v;
    }

    private static final java.util.regex.Pattern SORTABLE =
            java.util.regex.Pattern.compile("\\d{4}(-(\\d{2}|Q[1-4]))?(-\\d{2})?([ T]\\d{2}:\\d{2}(:\\d{2})?)?");

    /**
     * Whether time {@code b} may follow {@code a} in a wide file: never a repeat; and in increasing order when both
     * are numbers or ISO-like stamps ({@code 2020}, {@code 2020-01}, {@code 2020-Q1}, {@code 2020-01-31 12:00}),
     * whose text order is time order. Other formats (e.g. {@code 1/31/2020}) are checked for repeats only.
     */
    private static boolean inOrder(String a, String b) {
        if (a.equals(b)) {
            return false;
        }
        boolean numbers = a.matches("-?\\d+(\\.\\d+)?") && b.matches("-?\\d+(\\.\\d+)?");
        boolean iso = SORTABLE.matcher(a).matches() && SORTABLE.matcher(b).matches() && a.length() == b.length();
        return !(numbers || iso) || compareTimes(a, b) < 0;
    }

    private static int compareTimes(String a, String b) {
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }
}
