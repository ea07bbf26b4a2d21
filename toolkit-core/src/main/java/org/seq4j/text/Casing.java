package org.seq4j.text;

/**
 * The casing class of a word, a word-level feature for taggers (Reimers and Gurevych 2017, "Reporting Score
 * Distributions Makes a Difference", and their "Optimal Hyperparameters for Deep LSTM-Networks for Sequence Labeling
 * Tasks": a small embedding of this class next to the word embedding). It lets a model that reads words only tell an
 * unseen capitalised word (a likely proper noun) from an unseen lower-case one, and a number from a word, without
 * reading characters. The rules, in order (the first that holds wins; "digits" are Unicode decimal digits, "letters"
 * the characters with an upper- and lower-case form):
 * <ol>
 *   <li>{@link #NUMERIC}: every character is a digit ({@code 1984});</li>
 *   <li>{@link #MAINLY_NUMERIC}: more than half of the characters are digits ({@code 3.14}, {@code 1,000});</li>
 *   <li>{@link #ALL_LOWER}: it has a letter and no upper-case one ({@code house}, {@code well-known}, {@code 4th});</li>
 *   <li>{@link #ALL_UPPER}: it has a letter and no lower-case one ({@code NATO}, {@code U.S.});</li>
 *   <li>{@link #INITIAL_UPPER}: the first character is upper case ({@code Paris}, {@code McDonald});</li>
 *   <li>{@link #CONTAINS_DIGIT}: some character is a digit ({@code #2}, {@code -4}, {@code b4A});</li>
 *   <li>{@link #OTHER}: anything else (punctuation, {@code iPhone}).</li>
 * </ol>
 * The empty string is {@link #OTHER}. A class's ordinal is the id a model reads: new classes go at the end.
 */
public enum Casing {
    NUMERIC, MAINLY_NUMERIC, ALL_LOWER, ALL_UPPER, INITIAL_UPPER, CONTAINS_DIGIT, OTHER;

    /** The casing class of {@code word}. */
    public static Casing of(String word) {
        int length = 0;
        int digits = 0;
        int upper = 0;
        int lower = 0;
        for (int i = 0; i < word.length(); ) {
            int cp = word.codePointAt(i);
            i += Character.charCount(cp);
            length++;
            if (Character.isDigit(cp)) {
                digits++;
            } else if (Character.isUpperCase(cp) || Character.isTitleCase(cp)) {
                upper++;
            } else if (Character.isLowerCase(cp)) {
                lower++;
            }
        }
        if (length == 0) {
            return OTHER;
        }
        if (digits == length) {
            return NUMERIC;
        }
        if (2 * digits > length) {
            return MAINLY_NUMERIC;
        }
        if (lower > 0 && upper == 0) {
            return ALL_LOWER;
        }
        if (upper > 0 && lower == 0) {
            return ALL_UPPER;
        }
        int first = word.codePointAt(0);
        if (Character.isUpperCase(first) || Character.isTitleCase(first)) {
            return INITIAL_UPPER;
        }
        return digits > 0 ? CONTAINS_DIGIT : OTHER;
    }
}
