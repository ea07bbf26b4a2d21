package org.seq4j.tasks.translate;

import java.util.ArrayList;
import java.util.List;

import org.seq4j.util.UnicodeSpace;

/**
 * Reversible word tokenization for translation, in the style of OpenNMT's tokenizer with {@code joiner_annotate}:
 * text is split at (Unicode) whitespace, then each piece into runs of letters, digits and combining marks and single
 * other characters (punctuation, symbols). A token that was glued to the one before it carries the joiner
 * {@value #JOINER} in front, so {@link #detokenize} restores the original spacing exactly (runs of spaces become one
 * space).
 *
 * <pre>
 *   "Er kam um 5.30 Uhr, oder?"  →  Er kam um 5 ￭. ￭30 Uhr ￭, oder ￭?
 * </pre>
 */
public final class Tokens {

    /** Marks a token written without a space before it. */
    public static final String JOINER = "\uFFED";

    private Tokens() {
    }

    /** The tokens of {@code text} (none for blank text). */
    public static List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        for (String piece : UnicodeSpace.split(text)) {
            int i = 0;
            boolean first = true;
            while (i < piece.length()) {
                int start = i;
                int cp = piece.codePointAt(i);
                i += Character.charCount(cp);
                if (isWordChar(cp)) {
                    while (i < piece.length() && isWordChar(piece.codePointAt(i))) {
                        i += Character.charCount(piece.codePointAt(i));
                    }
                }
                String token = piece.substring(start, i);
                out.add(first ? token : JOINER + token);
                first = false;
            }
        }
        return out;
    }

    /** Text from tokens: joined by spaces, except that a token starting with the joiner is glued to the one before. */
    public static String detokenize(List<String> tokens) {
        StringBuilder sb = new StringBuilder();
        for (String t : tokens) {
            if (t.startsWith(JOINER) && t.length() > JOINER.length()) {
                sb.append(t, JOINER.length(), t.length());
            } else {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(t);
            }
        }
        return sb.toString();
    }

    private static boolean isWordChar(int cp) {
        if (Character.isLetterOrDigit(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }
}
