package org.seq4j.util;

import java.util.ArrayList;
import java.util.List;

/**
 * Whitespace as Python's {@code str.isspace} and {@code str.split()} define it, which is what sacreBLEU and most
 * Python tokenizers use. Java's {@code \s} and {@code String.trim()} see only ASCII: a sentence ending in a no-break
 * space (U+00A0), a narrow no-break space (U+202F, French punctuation), a thin space (U+2009), an ideographic space
 * (U+3000) or a next-line (U+0085) would otherwise keep it as part of its last token.
 */
public final class UnicodeSpace {

    private UnicodeSpace() {
    }

    /** Python's {@code isspace} for one code point: Unicode separators (Zs, Zl, Zp), the ASCII controls and U+0085. */
    public static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
    }

    /** Python's {@code s.split()}: the runs of non-space characters, none empty. */
    public static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (isSpace(cp)) {
                if (start >= 0) {
                    out.add(s.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            out.add(s.substring(start));
        }
        return out;
    }

    /** Python's {@code s.rstrip()}. */
    public static String stripTrailing(String s) {
        int to = s.length();
        while (to > 0 && isSpace(s.codePointBefore(to))) {
            to -= Character.charCount(s.codePointBefore(to));
        }
        return s.substring(0, to);
    }

    /** Python's {@code s.strip()}. */
    public static String strip(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && isSpace(s.codePointAt(from))) {
            from += Character.charCount(s.codePointAt(from));
        }
        while (to > from && isSpace(s.codePointBefore(to))) {
            to -= Character.charCount(s.codePointBefore(to));
        }
        return s.substring(from, to);
    }
}
