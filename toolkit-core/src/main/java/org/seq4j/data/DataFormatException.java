package org.seq4j.data;

import java.nio.file.Path;

/**
 * Bad input data: the message names the file, the line (or record), what was found and what was expected, e.g.
 * {@code series.csv:17, column 'value': expected a number, got 'n/a'}.
 */
public class DataFormatException extends IllegalArgumentException {

    private final transient Path file;
    private final long line;

    public DataFormatException(Path file, long line, String message) {
        super(location(file, line) + message);
        this.file = file;
        this.line = line;
    }

    public DataFormatException(Path file, long line, String message, Throwable cause) {
        super(location(file, line) + message, cause);
        this.file = file;
        this.line = line;
    }

    /** The file, or null when the data did not come from a file. */
    public Path file() {
        return file;
    }

    /** The 1-based line (or record) number, or 0 when the problem concerns the whole file. */
    public long line() {
        return line;
    }

    private static String location(Path file, long line) {
        String f = file == null ? "<input>" : file.toString();
        return line > 0 ? f + ":" + line + ": " : f + ": ";
    }
}
