package org.seq4j.tasks.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.seq4j.data.CsvTable;
import org.seq4j.data.DataFormatException;
import org.seq4j.data.Series;

/**
 * The M3 competition files (Makridakis and Hibon 2000) in the layout of the development share (docs/data.md), read
 * from a directory: {@code m3_series.csv} (metadata), {@code m3_yearly.csv}, {@code m3_quarterly.csv},
 * {@code m3_monthly.csv.gz} ({@code series_id,t,value,split}) and {@code m3_reference_forecasts.csv}
 * ({@code series_id,method,h,forecast}). Never bundled: the data is GPL-3 and large.
 */
public final class M3 {

    /** One series: the training part, the held-out test values, the season length and the horizon. */
    public record Entry(Series train, double[] test, int period, int horizon) {

        /** The whole series, its training part then its held-out values: what a backtest cuts at the end. */
        public Series full() {
            double[] y = java.util.Arrays.copyOf(train.values(), train.length() + test.length);
            System.arraycopy(test, 0, y, train.length(), test.length);
            return Series.of(train.id(), y);
        }
    }

    private M3() {
    }

    /** The series of one frequency ("yearly", "quarterly" or "monthly"), in M3 order. */
    public static List<Entry> load(Path dir, String frequency) {
        String f = frequency.toLowerCase(Locale.ROOT);
        if (!List.of("yearly", "quarterly", "monthly").contains(f)) {
            throw new IllegalArgumentException("M3 frequency must be yearly, quarterly or monthly, got " + frequency);
        }
        Path data = dir.resolve("m3_" + f + ".csv");
        if (!Files.exists(data)) {
            data = dir.resolve("m3_" + f + ".csv.gz");
        }
        CsvTable meta = CsvTable.read(dir.resolve("m3_series.csv"));
        Map<String, int[]> info = new LinkedHashMap<>();   // period, horizon
        for (CsvTable.Row r : meta.rows()) {
            if (r.fields()[meta.column("frequency")].equals(f)) {
                info.put(r.fields()[meta.column("series_id")], new int[] {
                    (int) meta.number(r, meta.column("period")), (int) meta.number(r, meta.column("horizon"))});
            }
        }
        CsvTable t = CsvTable.read(data);
        int id = t.column("series_id");
        int value = t.column("value");
        int split = t.column("split");
        Map<String, List<Double>> train = new LinkedHashMap<>();
        Map<String, List<Double>> test = new LinkedHashMap<>();
        for (CsvTable.Row r : t.rows()) {
            String sid = r.fields()[id];
            String part = r.fields()[split];
            if (!part.equals("train") && !part.equals("test")) {
                throw new DataFormatException(data, r.line(), "column 'split': expected train or test, got '" + part
                        + "'");
            }
            (part.equals("train") ? train : test).computeIfAbsent(sid, k -> new ArrayList<>()).add(t.number(r, value));
        }
        List<Entry> out = new ArrayList<>();
        for (Map.Entry<String, List<Double>> e : train.entrySet()) {
            int[] pi = info.get(e.getKey());
            if (pi == null) {
                throw new DataFormatException(data, 0, "series " + e.getKey() + " is not in m3_series.csv");
            }
            double[] tr = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            double[] te = test.getOrDefault(e.getKey(), List.of()).stream().mapToDouble(Double::doubleValue).toArray();
            if (te.length != pi[1]) {
                throw new DataFormatException(data, 0, "series " + e.getKey() + " has " + te.length
                        + " test values, its horizon is " + pi[1]);
            }
            out.add(new Entry(Series.of(e.getKey(), tr), te, pi[0], pi[1]));
        }
        return out;
    }

    /** Reference forecasts of {@code method} ("THETA" or "NAIVE2"), by series id. */
    public static Map<String, double[]> referenceForecasts(Path dir, String method) {
        CsvTable t = CsvTable.read(dir.resolve("m3_reference_forecasts.csv"));
        int methodCol = t.column("method");
        int idCol = t.column("series_id");
        int forecastCol = t.column("forecast");
        Map<String, List<Double>> m = new LinkedHashMap<>();
        for (CsvTable.Row r : t.rows()) {
            if (r.fields()[methodCol].equals(method)) {
                m.computeIfAbsent(r.fields()[idCol], k -> new ArrayList<>()).add(t.number(r, forecastCol));
            }
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
        return out;
    }
}
