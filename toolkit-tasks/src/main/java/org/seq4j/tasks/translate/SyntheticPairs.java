package org.seq4j.tasks.translate;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.seq4j.data.ParallelText;
import org.seq4j.util.Checks;

/**
 * Seeded synthetic translation tasks: small enough to learn in seconds, hard enough that a wrongly wired decoder,
 * attention or beam search fails them. Each pair's {@code line} is its index + 1.
 */
public final class SyntheticPairs {

    /** The date formats {@link #dates} writes its sources in. */
    private static final List<DateTimeFormatter> DATE_FORMATS = List.of(
            DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH),
            DateTimeFormatter.ofPattern("MMMM d, yyyy", Locale.ENGLISH),
            DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH),
            DateTimeFormatter.ofPattern("dd.MM.yyyy", Locale.ENGLISH),
            DateTimeFormatter.ofPattern("EEEE, d MMMM yyyy", Locale.ENGLISH));

    private SyntheticPairs() {
    }

    /** Source: {@code minLength..maxLength} symbols out of {@code symbols} ({@code a b c …}); target: the same reversed. */
    public static List<ParallelText.Pair> reverse(int n, int symbols, int minLength, int maxLength, long seed) {
        return symbolPairs(n, symbols, minLength, maxLength, seed, true);
    }

    /** As {@link #reverse}, but the target is the source unchanged. */
    public static List<ParallelText.Pair> copy(int n, int symbols, int minLength, int maxLength, long seed) {
        return symbolPairs(n, symbols, minLength, maxLength, seed, false);
    }

    /**
     * Date normalisation: a date between 1950 and 2049 written in one of five human formats ("March 5, 1998",
     * "Thursday, 5 March 1998", "05.03.1998", …) to ISO 8601 ({@code 1998-03-05}).
     */
    public static List<ParallelText.Pair> dates(int n, long seed) {
        Checks.require(n >= 1, "SyntheticPairs: n must be >= 1, got %d", n);
        Random r = new Random(seed);
        long first = LocalDate.of(1950, 1, 1).toEpochDay();
        long days = LocalDate.of(2050, 1, 1).toEpochDay() - first;
        List<ParallelText.Pair> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            LocalDate d = LocalDate.ofEpochDay(first + (long) (r.nextDouble() * days));
            String source = d.format(DATE_FORMATS.get(r.nextInt(DATE_FORMATS.size())));
            out.add(new ParallelText.Pair(source, d.toString(), i + 1));
        }
        return out;
    }

    private static List<ParallelText.Pair> symbolPairs(int n, int symbols, int minLength, int maxLength, long seed,
                                                       boolean reversed) {
        Checks.require(n >= 1, "SyntheticPairs: n must be >= 1, got %d", n);
        Checks.require(symbols >= 2 && symbols <= 26, "SyntheticPairs: symbols must be in [2, 26], got %d", symbols);
        Checks.require(minLength >= 1 && maxLength >= minLength,
                "SyntheticPairs: need 1 <= minLength <= maxLength, got %d and %d", minLength, maxLength);
        Random r = new Random(seed);
        List<ParallelText.Pair> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = minLength + r.nextInt(maxLength - minLength + 1);
            List<String> s = new ArrayList<>();
            for (int t = 0; t < len; t++) {
                s.add(String.valueOf((char) ('a' + r.nextInt(symbols))));
            }
            List<String> t = new ArrayList<>(s);
            if (reversed) {
                java.util.Collections.reverse(t);
            }
            out.add(new ParallelText.Pair(String.join(" ", s), String.join(" ", t), i + 1));
        }
        return out;
    }
}
