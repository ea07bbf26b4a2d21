package org.seq4j.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.seq4j.data.ConllReader.Block;

/** Test data written as the files seq4j-spark reads. */
final class TestFiles {

    private TestFiles() {
    }

    /** {@code blocks} as a CoNLL file: a token's columns on a line, a blank line after each sentence. */
    static void writeConll(Path file, List<Block> blocks) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Block b : blocks) {
            for (String[] row : b.rows()) {
                sb.append(String.join(" ", row)).append('\n');
            }
            sb.append('\n');
        }
        Files.writeString(file, sb.toString());
    }
}
