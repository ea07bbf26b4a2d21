package org.seq4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.seq4j.util.Checks;

/**
 * Reads CoNLL column files: one token per line, columns separated by spaces or tabs, a blank line between sentences.
 * As in conlleval, a {@code -DOCSTART-} line and a line whose token is {@code -X-} end the sentence they are in (even
 * without a blank line) and are not tokens. Every token line of a file must have the same number of columns.
 */
public final class ConllReader {

    /** A sentence: the chosen input column, the label column, and the line its first token is on. */
    public record Sentence(List<String> tokens, List<String> labels, long firstLine) {
        public int length() {
            return tokens.size();
        }
    }

    /** A sentence with every column of every token ({@code rows.get(i)[c]}), and the line of its first token. */
    public record Block(List<String[]> rows, long firstLine) implements java.io.Serializable {
        public int length() {
            return rows.size();
        }

        /** Column {@code c} of every token. */
        public List<String> column(int c) {
            List<String> out = new ArrayList<>(rows.size());
            for (String[] r : rows) {
                out.add(r[c]);
            }
            return out;
        }
    }

    private ConllReader() {
    }

    /** Every sentence with all its columns; every token line must have {@code minColumns} or more, all the same. */
    public static List<Block> readBlocks(Path file, int minColumns) {
        return readBlocks(file, minColumns, consumer -> TextLines.forEach(file, consumer));
    }

    /** {@link #readBlocks(Path, int)} from a stream (for example a bundled resource); errors name {@code name}. */
    public static List<Block> readBlocks(java.io.InputStream stream, Path name, int minColumns) {
        return readBlocks(name, minColumns, consumer -> TextLines.forEach(stream, name, consumer));
    }

    private static List<Block> readBlocks(Path file, int minColumns,
                                          java.util.function.Consumer<TextLines.LineConsumer> lines) {
        List<Block> out = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        long[] first = {0};
        int[] columns = {-1};
        lines.accept((number, line) -> {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || isBoundary(trimmed)) {
                if (!rows.isEmpty()) {
                    out.add(new Block(List.copyOf(rows), first[0]));
                    rows.clear();
                }
                return;
            }
            String[] fields = trimmed.split("[ \\t]+");
            if (columns[0] < 0) {
                if (fields.length < minColumns) {
                    throw new DataFormatException(file, number, "expected at least " + minColumns + " columns, got "
                            + fields.length + ": '" + trimmed + "'");
                }
                columns[0] = fields.length;
            } else if (fields.length != columns[0]) {
                throw new DataFormatException(file, number, "expected " + columns[0] + " columns like the first token "
                        + "line, got " + fields.length + ": '" + trimmed + "'");
            }
            if (rows.isEmpty()) {
                first[0] = number;
            }
            rows.add(fields);
        });
        if (!rows.isEmpty()) {
            out.add(new Block(List.copyOf(rows), first[0]));
        }
        if (out.isEmpty()) {
            throw new DataFormatException(file, 0, "no sentences: expected token lines ('word ... label') separated "
                    + "by blank lines");
        }
        return out;
    }

    /**
     * A line that separates sentences as conlleval reads it: a document start ({@code -DOCSTART-} as the first field)
     * or conlleval's boundary token {@code -X-}.
     */
    private static boolean isBoundary(String line) {
        String first = line.split("[ \\t]+", 2)[0];
        return first.equals("-DOCSTART-") || first.equals("-X-");
    }

    /**
     * @param tokenColumn 0-based column of the token (usually 0)
     * @param labelColumn 0-based column of the label, or -1 for the last column
     */
    public static List<Sentence> read(Path file, int tokenColumn, int labelColumn) {
        Checks.require(tokenColumn >= 0, "ConllReader: tokenColumn must be >= 0, got %d", tokenColumn);
        List<Block> blocks = readBlocks(file, 1);
        int columns = blocks.get(0).rows().get(0).length;
        int label = labelColumn < 0 ? columns - 1 : labelColumn;
        if (tokenColumn >= columns || label >= columns) {
            throw new DataFormatException(file, blocks.get(0).firstLine(), "token column " + tokenColumn
                    + " and label column " + label + " (0-based) need at least " + (Math.max(tokenColumn, label) + 1)
                    + " columns, got " + columns + ": '" + String.join(" ", blocks.get(0).rows().get(0)) + "'");
        }
        List<Sentence> out = new ArrayList<>();
        for (Block b : blocks) {
            out.add(new Sentence(b.column(tokenColumn), b.column(label), b.firstLine()));
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
