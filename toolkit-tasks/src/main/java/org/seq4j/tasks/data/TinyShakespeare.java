package org.seq4j.tasks.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;

import org.seq4j.tasks.lm.LmText;

/**
 * Tiny Shakespeare (karpathy/char-rnn, 1,115,394 characters; public domain text), bundled: the corpus of the
 * character-level demos. {@link #read} gives the whole text; the usual split (nanoGPT's) holds out the last 10% of
 * the characters: {@code read(CHAR).split(0.1)}. Source and terms: docs/data.md.
 */
public final class TinyShakespeare {

    private static final String RESOURCE = "/org/seq4j/tasks/data/shakespeare/tinyshakespeare.txt.gz";

    private TinyShakespeare() {
    }

    /** The whole text as tokens of {@code level}. */
    public static LmText read(LmText.Level level) {
        try (InputStream in = new GZIPInputStream(TinyShakespeare.class.getResourceAsStream(RESOURCE), 1 << 16)) {
            return LmText.read(in, "tinyshakespeare.txt", level);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the bundled " + RESOURCE, e);
        }
    }
}
