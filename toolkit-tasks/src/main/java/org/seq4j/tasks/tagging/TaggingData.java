package org.seq4j.tasks.tagging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.seq4j.data.ConllReader;
import org.seq4j.data.ConllReader.Block;
import org.seq4j.data.TextLines;
import org.seq4j.text.PtbTokenizer;
import org.seq4j.tasks.data.BrownCorpus;
import org.seq4j.util.Checks;

/** Where tagging data comes from, and the dev split when no dev file is given. */
public final class TaggingData {

    /** The name of the bundled Brown sample. */
    public static final String BROWN_SAMPLE = "brown:sample";

    private TaggingData() {
    }

    /** Sentences from a CoNLL file, a Brown corpus directory, or {@value #BROWN_SAMPLE}. */
    public static List<Block> read(String spec) {
        if (spec.equals(BROWN_SAMPLE)) {
            return BrownCorpus.sample();
        }
        Path p = Path.of(spec);
        if (Files.isDirectory(p)) {
            return BrownCorpus.read(p);
        }
        Checks.require(Files.isRegularFile(p), "%s: no such file (a CoNLL file, a Brown corpus directory, or %s)",
                spec, BROWN_SAMPLE);
        return ConllReader.readBlocks(p, 1);
    }

    /**
     * Raw text, one sentence per line (blank lines skipped), split into Penn Treebank tokens ({@link PtbTokenizer}):
     * one block per sentence with the token in column 0 and the sentence's line number.
     */
    public static List<Block> readText(Path file) {
        List<Block> out = new ArrayList<>();
        TextLines.forEach(file, (number, line) -> {
            List<String> tokens = PtbTokenizer.tokenize(line);
            if (!tokens.isEmpty()) {
                out.add(new Block(tokens.stream().map(t -> new String[] {t}).toList(), number));
            }
        });
        Checks.require(!out.isEmpty(), "%s: no sentences (expected raw text, one sentence per line)", file);
        return out;
    }

    /**
     * Trains word2vec ({@link org.seq4j.text.WordVectors#train}; words seen at least twice) on the tokens of
     * {@code train} and the sentences of each raw-text file in {@code unlabelled} ({@link #readText}), lower-cased
     * when the tagger looks words up in lower case, and writes them to {@code out}; returns the number of vectors.
     */
    public static int trainWordVectors(List<Block> train, int tokenColumn, List<Path> unlabelled, int dimension,
                                       boolean lowercase, int epochs, long seed, Path out) {
        List<List<String>> sentences = new ArrayList<>();
        for (Block b : train) {
            sentences.add(b.column(tokenColumn));
        }
        for (Path p : unlabelled) {
            for (Block b : readText(p)) {
                sentences.add(b.column(0));
            }
        }
        if (lowercase) {
            sentences.replaceAll(s -> s.stream().map(w -> w.toLowerCase(java.util.Locale.ROOT)).toList());
        }
        return org.seq4j.text.WordVectors.train(sentences, dimension, 2, epochs, seed, out);
    }

    /** Training and dev sentences. */
    public record Split(List<Block> train, List<Block> dev) {
    }

    /**
     * Holds out the last {@code devFraction} of the sentences as dev data (after a shuffle seeded with {@code seed}
     * when {@code shuffle}); an error when either side would be empty.
     */
    public static Split holdOut(List<Block> data, double devFraction, boolean shuffle, long seed) {
        Checks.require(devFraction > 0 && devFraction < 1,
                "--dev-fraction must be in (0, 1) (got %s), or give a dev file with --dev", devFraction);
        List<Block> d = data;
        if (shuffle) {
            d = new ArrayList<>(data);
            Collections.shuffle(d, new Random(seed));
        }
        int cut = (int) Math.round(d.size() * (1 - devFraction));
        Checks.require(cut >= 1 && cut < d.size(), "--dev-fraction %s of %d sentences leaves no %s sentence; give "
                + "more data or another fraction", devFraction, d.size(), cut < 1 ? "training" : "dev");
        return new Split(d.subList(0, cut), d.subList(cut, d.size()));
    }
}
