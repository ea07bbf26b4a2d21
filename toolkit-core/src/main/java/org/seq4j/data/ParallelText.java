package org.seq4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.seq4j.util.Checks;

/**
 * Sentence pairs for translation: a TSV file {@code source<TAB>target[<TAB>more columns]}, with or without a header,
 * or two line-aligned files. Empty sides are errors naming the line.
 */
public final class ParallelText {

    /** A sentence pair and the line it came from. */
    public record Pair(String source, String target, long line) {
    }

    private ParallelText() {
    }

    /**
     * @param header       whether the first line is a header (skipped)
     * @param sourceColumn 0-based column of the source sentence
     * @param targetColumn 0-based column of the target sentence
     */
    public static List<Pair> readTsv(Path file, boolean header, int sourceColumn, int targetColumn) {
        Checks.require(sourceColumn >= 0 && targetColumn >= 0 && sourceColumn != targetColumn,
                "ParallelText: source and target columns must be different and >= 0, got %d and %d", sourceColumn,
                targetColumn);
        List<Pair> out = new ArrayList<>();
        int need = Math.max(sourceColumn, targetColumn) + 1;
        TextLines.forEach(file, (number, line) -> {
            if ((header && number == 1) || line.isBlank()) {
                return;
            }
            String[] f = line.split("\t", -1);
            if (f.length < need) {
                throw new DataFormatException(file, number, "expected at least " + need + " tab-separated columns "
                        + "(source in " + sourceColumn + ", target in " + targetColumn + "), got " + f.length);
            }
            out.add(pair(file, number, f[sourceColumn], f[targetColumn]));
        });
        requireSome(file, out);
        return out;
    }

    /** Line {@code i} of {@code source} pairs with line {@code i} of {@code target}. */
    public static List<Pair> readAligned(Path source, Path target) {
        List<String> src = new ArrayList<>();
        List<String> tgt = new ArrayList<>();
        TextLines.forEach(source, (n, l) -> src.add(l));
        TextLines.forEach(target, (n, l) -> tgt.add(l));
        if (src.size() != tgt.size()) {
            throw new DataFormatException(target, 0, "has " + tgt.size() + " lines but " + source + " has "
                    + src.size() + "; aligned files need one target line per source line");
        }
        List<Pair> out = new ArrayList<>();
        for (int i = 0; i < src.size(); i++) {
            if (src.get(i).isBlank() && tgt.get(i).isBlank()) {
                continue;
            }
            out.add(pair(src.get(i).isBlank() ? source : target, i + 1, src.get(i), tgt.get(i)));
        }
        requireSome(source, out);
        return out;
    }

    private static Pair pair(Path file, long line, String s, String t) {
        if (s.isBlank() || t.isBlank()) {
            throw new DataFormatException(file, line, "empty " + (s.isBlank() ? "source" : "target")
                    + " sentence; every pair needs both sides");
        }
        return new Pair(s.strip(), t.strip(), line);
    }

    private static void requireSome(Path file, List<Pair> out) {
        if (out.isEmpty()) {
            throw new DataFormatException(file, 0, "no sentence pairs");
        }
    }
}
