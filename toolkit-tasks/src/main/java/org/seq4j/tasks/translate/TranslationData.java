package org.seq4j.tasks.translate;

import java.nio.file.Path;
import java.util.List;

import org.seq4j.data.ParallelText;

/** Sentence pairs by name: {@code synthetic:reverse|copy|dates[:N]} (seeded) or a TSV file. */
public final class TranslationData {

    private TranslationData() {
    }

    /**
     * The pairs {@code where} names: a synthetic task with N pairs (5,000 when N is left out), drawn with
     * {@code seed}, or the TSV file {@code where} (its {@code sourceColumn} and {@code targetColumn}, 0-based, after
     * a header line when {@code header}).
     */
    public static List<ParallelText.Pair> read(String where, boolean header, int sourceColumn, int targetColumn,
                                               long seed) {
        if (where.startsWith("synthetic:")) {
            String[] p = where.split(":");
            int n;
            try {
                n = p.length > 2 ? Integer.parseInt(p[2]) : 5000;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + where + "': the number of pairs must be a whole number, got '"
                        + p[2] + "'");
            }
            return switch (p.length > 1 ? p[1] : "") {
                case "reverse" -> SyntheticPairs.reverse(n, 10, 3, 12, seed);
                case "copy" -> SyntheticPairs.copy(n, 10, 3, 12, seed);
                case "dates" -> SyntheticPairs.dates(n, seed);
                default -> throw new IllegalArgumentException("unknown synthetic task '" + (p.length > 1 ? p[1] : "")
                        + "'; expected synthetic:reverse, synthetic:copy or synthetic:dates (optionally :N pairs)");
            };
        }
        return ParallelText.readTsv(Path.of(where), header, sourceColumn, targetColumn);
    }
}
