package org.seq4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import au.com.bytecode.opencsv.CSVParser;
import org.seq4j.util.Checks;

/**
 * A CSV file with a header row, read into memory (the time-series files seq4j reads are small), through
 * {@link TextLines} (UTF-8, gzip, BOM, CRLF) and opencsv's parser (quoted fields, commas inside quotes). Blank lines are
 * skipped; a row with the wrong number of fields, or a missing column, is an error naming the file and line.
 */
public final class CsvTable {

    /** A data row and the line it came from. */
    public record Row(long line, String[] fields) {
    }

    private final Path file;
    private final List<String> header;
    private final List<Row> rows;

    private CsvTable(Path file, List<String> header, List<Row> rows) {
        this.file = file;
        this.header = header;
        this.rows = rows;
    }

    /** Reads {@code file}; the first non-blank line is the header. */
    public static CsvTable read(Path file) {
        return read(file, consumer -> TextLines.forEach(file, consumer));
    }

    /** Reads CSV text from {@code stream} (for example a bundled resource); errors name {@code name}. */
    public static CsvTable read(java.io.InputStream stream, Path name) {
        return read(name, consumer -> TextLines.forEach(stream, name, consumer));
    }

    private static CsvTable read(Path file, java.util.function.Consumer<TextLines.LineConsumer> lines) {
        CSVParser parser = new CSVParser(',', '"');
        List<String> header = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        lines.accept((number, line) -> {
            if (line.isBlank()) {
                return;
            }
            String[] fields;
            try {
                fields = parser.parseLine(line);
            } catch (IOException e) {
                throw new DataFormatException(file, number, "malformed CSV (" + e.getMessage()
                        + "); quoted fields must close on the same line");
            }
            for (int i = 0; i < fields.length; i++) {
                fields[i] = fields[i].trim();
            }
            if (header.isEmpty()) {
                Collections.addAll(header, fields);
                for (int i = 0; i < fields.length; i++) {
                    if (fields[i].isEmpty()) {
                        throw new DataFormatException(file, number, "header column " + (i + 1) + " has no name");
                    }
                }
                return;
            }
            if (fields.length != header.size()) {
                throw new DataFormatException(file, number, "expected " + header.size() + " fields like the header "
                        + header + ", got " + fields.length);
            }
            rows.add(new Row(number, fields));
        });
        if (header.isEmpty()) {
            throw new DataFormatException(file, 0, "empty file: expected a header row and data rows");
        }
        if (rows.isEmpty()) {
            throw new DataFormatException(file, 0, "no data rows after the header " + header);
        }
        return new CsvTable(file, List.copyOf(header), rows);
    }

    public Path file() {
        return file;
    }

    public List<String> header() {
        return header;
    }

    public List<Row> rows() {
        return rows;
    }

    /** Index of column {@code name} (case-insensitive), or an error listing the columns there are. */
    public int column(String name) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        throw new DataFormatException(file, 1, "no column '" + name + "'; the columns are " + header);
    }

    /** Field {@code column} of {@code row} as a finite number, or an error naming file, line and column. */
    public double number(Row row, int column) {
        String v = row.fields()[column];
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, row.line(), "column '" + header.get(column)
                    + "': expected a number, got " + Checks.quote(v));
        }
        if (!Double.isFinite(d)) {
            throw new DataFormatException(file, row.line(), "column '" + header.get(column) + "': expected a finite "
                    + "number, got " + Checks.quote(v) + " (fill or drop missing values before training)");
        }
        return d;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "CsvTable(%s, %d columns, %d rows)", file, header.size(), rows.size());
    }
}
