package org.seq4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.seq4j.util.Checks;

/**
 * Reads CoNLL column files: one token per line, columns separated by spaces or tabs, a blank line between sentences,
 * {@code -DOCSTART-} lines (and the blank line after them) skipped. Every token line of a file must have the same
 * number of columns.
 */
public final class ConllReader {

    /** A sentence: the chosen input column, the label column, and the line its first token is on. */
    public record Sentence(List<String> tokens, List<String> labels, long firstLine) {
        public int length() {
            return tokens.size();
        }
    }

    private ConllReader() {
    }

    /**
     * @param tokenColumn 0-based column of the token (usually 0)
     * @param labelColumn 0-based column of the label, or -1 for the last column
     */
    public static List<Sentence> read(Path file, int tokenColumn, int labelColumn) {
        Checks.require(tokenColumn >= 0, "ConllReader: tokenColumn must be >= 0, got %d", tokenColumn);
        List<Sentence> out = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        long[] first = {0};
        int[] columns = {-1};
        TextLines.forEach(file, (number, line) -> {
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                if (!tokens.isEmpty()) {
                    out.add(new Sentence(List.copyOf(tokens), List.copyOf(labels), first[0]));
                    tokens.clear();
                    labels.clear();
                }
                return;
            }
            if (trimmed.startsWith("-DOCSTART-")) {
                return;
            }
            String[] fields = trimmed.split("[ \\t]+");
            if (columns[0] < 0) {
                columns[0] = fields.length;
                int label = labelColumn < 0 ? fields.length - 1 : labelColumn;
                if (tokenColumn >= fields.length || label >= fields.length) {
                    throw new DataFormatException(file, number, "token column " + tokenColumn + " and label column "
                            + label + " (0-based) need at least " + (Math.max(tokenColumn, label) + 1)
                            + " columns, got " + fields.length + ": '" + trimmed + "'");
                }
            } else if (fields.length != columns[0]) {
                throw new DataFormatException(file, number, "expected " + columns[0] + " columns like the first token "
                        + "line, got " + fields.length + ": '" + trimmed + "'");
            }
            if (tokens.isEmpty()) {
                first[0] = number;
            }
            tokens.add(fields[tokenColumn]);
            labels.add(fields[labelColumn < 0 ? fields.length - 1 : labelColumn]);
        });
        if (!tokens.isEmpty()) {
            out.add(new Sentence(List.copyOf(tokens), List.copyOf(labels), first[0]));
        }
        if (out.isEmpty()) {
            throw new DataFormatException(file, 0, "no sentences: expected token lines ('word ... label') separated "
                    + "by blank lines");
        }
        return out;
    }

    /** Writes sentences in the format conlleval reads: {@code token gold predicted}, a blank line between. */
    public static String toConllEval(List<Sentence> gold, List<List<String>> predicted) {
        Checks.require(gold.size() == predicted.size(), "toConllEval: %d gold sentences, %d predicted", gold.size(),
                predicted.size());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < gold.size(); i++) {
            Sentence s = gold.get(i);
            Checks.require(predicted.get(i).size() == s.length(), "toConllEval: sentence %d has %d tokens, %d "
                    + "predictions", i, s.length(), predicted.get(i).size());
            for (int j = 0; j < s.length(); j++) {
                sb.append(s.tokens().get(j)).append(' ').append(s.labels().get(j)).append(' ')
                        .append(predicted.get(i).get(j)).append('\n');
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
