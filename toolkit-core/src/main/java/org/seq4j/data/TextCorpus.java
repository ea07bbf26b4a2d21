package org.seq4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain-text corpora for language modelling, read through {@link TextLines}.
 * <ul>
 *   <li>{@link #words}: whitespace-separated tokens, with {@code </s>} appended to every non-empty line (the usual
 *       PTB setup, where {@code <eos>} ends each sentence);</li>
 *   <li>{@link #characters}: every character, with {@code \n} between lines (tiny-shakespeare).</li>
 * </ul>
 */
public final class TextCorpus {

    private TextCorpus() {
    }

    /** The word tokens of {@code file}, one {@code </s>} after each non-empty line. */
    public static List<String> words(Path file) {
        List<String> out = new ArrayList<>();
        TextLines.forEach(file, (n, line) -> {
            String s = line.strip();
            if (s.isEmpty()) {
                return;
            }
            for (String t : s.split("\\s+")) {
                out.add(t);
            }
            out.add(Vocabulary.EOS);
        });
        if (out.isEmpty()) {
            throw new DataFormatException(file, 0, "no words: the file is empty or blank");
        }
        return out;
    }

    /** The characters of {@code file}, lines joined with {@code \n}. */
    public static String characters(Path file) {
        StringBuilder sb = new StringBuilder();
        TextLines.forEach(file, (n, line) -> sb.append(line).append('\n'));
        if (sb.length() == 0) {
            throw new DataFormatException(file, 0, "empty file");
        }
        return sb.toString();
    }
}
