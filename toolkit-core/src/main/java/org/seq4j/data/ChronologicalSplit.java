package org.seq4j.data;

import org.seq4j.util.Checks;

/**
 * A split of a series into consecutive train, validation and test parts, never shuffled:
 * {@code [0, trainEnd)}, {@code [trainEnd, validEnd)}, {@code [validEnd, length)}.
 */
public record ChronologicalSplit(int length, int trainEnd, int validEnd) {

    public ChronologicalSplit {
        Checks.require(0 < trainEnd && trainEnd <= validEnd && validEnd <= length,
                "ChronologicalSplit: need 0 < trainEnd <= validEnd <= length, got %d, %d, %d", trainEnd, validEnd,
                length);
    }

    /** The last {@code test} steps for test, the {@code valid} before them for validation, the rest for training. */
    public static ChronologicalSplit lastSteps(int length, int valid, int test) {
        Checks.require(valid >= 0 && test >= 0, "ChronologicalSplit: sizes must be >= 0, got valid %d, test %d",
                valid, test);
        Checks.require(length - valid - test > 0, "ChronologicalSplit: a series of %d steps leaves no training "
                + "steps after %d validation and %d test steps", length, valid, test);
        return new ChronologicalSplit(length, length - valid - test, length - test);
    }

    /** Fractions of the length for validation and test (rounded down), the rest for training. */
    public static ChronologicalSplit fractions(int length, double valid, double test) {
        Checks.require(valid >= 0 && test >= 0 && valid + test < 1, "ChronologicalSplit: fractions must be >= 0 "
                + "and sum below 1, got %s and %s", valid, test);
        return lastSteps(length, (int) (length * valid), (int) (length * test));
    }

    public int trainSize() {
        return trainEnd;
    }

    public int validSize() {
        return validEnd - trainEnd;
    }

    public int testSize() {
        return length - validEnd;
    }
}
