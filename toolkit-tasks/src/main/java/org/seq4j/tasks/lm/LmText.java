package org.seq4j.tasks.lm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.seq4j.data.DataFormatException;
import org.seq4j.data.TextLines;
import org.seq4j.data.Vocabulary;

/**
 * A text as language-model tokens, with the line each token came from (for error messages).
 * <ul>
 *   <li>{@link Level#WORD}: whitespace-separated tokens, {@code </s>} after every non-empty line (Mikolov's PTB
 *       convention: the files already hold {@code <unk>} for rare words and one sentence per line);</li>
 *   <li>{@link Level#CHAR}: every character, {@code \n} after every line (char-rnn's convention).</li>
 * </ul>
 * Text is UTF-8 (gzip is detected); an invalid byte sequence or a NUL byte is an error naming the line.
 *
 * @param source where the text came from (a file name), for messages
 * @param tokens the tokens in order
 * @param lines  the 1-based line of each token
 */
public record LmText(String source, List<String> tokens, int[] lines) {

    /** Word or character tokens. */
    public enum Level { WORD, CHAR }

    /** The name of the bundled tiny-shakespeare in {@link #open}. */
    public static final String SHAKESPEARE = "shakespeare";

    /** A text file (UTF-8, gzip ok), or {@value #SHAKESPEARE} for the bundled tiny-shakespeare. */
    public static LmText open(String spec, Level level) {
        if (spec.equals(SHAKESPEARE)) {
            return org.seq4j.tasks.data.TinyShakespeare.read(level);
        }
        Path p = Path.of(spec);
        org.seq4j.util.Checks.require(java.nio.file.Files.isRegularFile(p), "%s: no such file (a UTF-8 text file, or "
                + "%s for the bundled tiny-shakespeare)", spec, SHAKESPEARE);
        return read(p, level);
    }

    /** Reads {@code file} as tokens of {@code level}; an empty or blank file is an error. */
    public static LmText read(Path file, Level level) {
        return read(file, level, consumer -> TextLines.forEach(file, consumer));
    }

    /** Reads a UTF-8 stream (not gzip-decoded here) named {@code source} in messages. */
    public static LmText read(java.io.InputStream in, String source, Level level) {
        Path file = Path.of(source);
        return read(file, level, consumer -> TextLines.forEach(in, file, consumer));
    }

    private static LmText read(Path file, Level level,
                               java.util.function.Consumer<TextLines.LineConsumer> lines0) {
        List<String> tokens = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        lines0.accept((n, line) -> {
            int nul = line.indexOf('\u0000');
            if (nul >= 0) {
                throw new DataFormatException(file, n, "a NUL byte at column " + (nul + 1) + ": this looks like a "
                        + "binary file, expected plain UTF-8 text");
            }
            if (level == Level.CHAR) {
                line.codePoints().forEach(cp -> {
                    tokens.add(new String(Character.toChars(cp)));
                    lines.add((int) n);
                });
                tokens.add("\n");
                lines.add((int) n);
                return;
            }
            String s = line.strip();
            if (s.isEmpty()) {
                return;
            }
            for (String t : s.split("\\s+")) {
                tokens.add(t);
                lines.add((int) n);
            }
            tokens.add(Vocabulary.EOS);
            lines.add((int) n);
        });
        if (tokens.isEmpty() || (level == Level.CHAR && tokens.stream().allMatch(String::isBlank))) {
            throw new DataFormatException(file, 0, "no text: the file is empty or blank");
        }
        return new LmText(file.toString(), List.copyOf(tokens), lines.stream().mapToInt(Integer::intValue).toArray());
    }

    /** A text given in code (tests, prompts): tokens of {@code level} from {@code text}, all on line 1. */
    public static LmText of(String source, String text, Level level) {
        List<String> tokens = new ArrayList<>();
        if (level == Level.CHAR) {
            text.codePoints().forEach(cp -> tokens.add(new String(Character.toChars(cp))));
        } else {
            for (String t : text.strip().split("\\s+")) {
                if (!t.isEmpty()) {
                    tokens.add(t);
                }
            }
        }
        return new LmText(source, List.copyOf(tokens), new int[tokens.size()]);
    }

    public int size() {
        return tokens.size();
    }

    /**
     * The first {@code 1 − fraction} of the tokens and the last {@code fraction}: a held-out tail (nanoGPT's split of
     * tiny-shakespeare is {@code split(0.1)} at the character level).
     */
    public LmText[] split(double fraction) {
        int cut = (int) Math.round(tokens.size() * (1 - fraction));
        org.seq4j.util.Checks.require(fraction > 0 && fraction < 1 && cut >= 2 && tokens.size() - cut >= 2,
                "LmText: holding out %s of the %d tokens of %s leaves too little on one side", fraction,
                tokens.size(), source);
        return new LmText[] {
            new LmText(source, tokens.subList(0, cut), java.util.Arrays.copyOfRange(lines, 0, cut)),
            new LmText(source + " (last " + Math.round(100 * fraction) + "%)", tokens.subList(cut, tokens.size()),
                    java.util.Arrays.copyOfRange(lines, cut, tokens.size()))};
    }

    /** The first {@code n} tokens (a smoke run or a quick evaluation). */
    public LmText head(int n) {
        int k = Math.min(n, tokens.size());
        return new LmText(source, tokens.subList(0, k), java.util.Arrays.copyOf(lines, k));
    }
}
