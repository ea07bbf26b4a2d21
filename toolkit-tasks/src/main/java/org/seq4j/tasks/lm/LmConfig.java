package org.seq4j.tasks.lm;

import java.util.LinkedHashMap;
import java.util.Map;

import org.nd4j.shade.jackson.databind.JsonNode;
import org.seq4j.cells.JsonFields;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.util.Checks;

/**
 * A recurrent language model: tokens → embedding → a stack of any core cell → softmax over the vocabulary.
 *
 * @param level      word or character tokens
 * @param recurrent  the cell stack (cell, units, layers; SCRN context and α); unidirectional
 * @param embedding  embedding size
 * @param dropout    Zaremba et al.'s dropout: on the embeddings, between layers and before the softmax; never on
 *                   the recurrent connections (use {@code recurrent.recurrentDropout} for Gal's variational kind)
 * @param bptt       steps per segment of truncated BPTT; the state is carried across segments
 * @param batch      parallel streams the training text is cut into
 * @param maxVocab   at most this many vocabulary entries, seq4j's 4 reserved tokens included, most frequent
 *                   first (0: every token of the training text); the rest become {@code <unk>}
 * @param initScale  weights start uniform in ±initScale (Zaremba: 0.1 small, 0.05 medium); 0 for each layer's
 *                   default (Xavier input weights, orthogonal recurrent weights)
 */
public record LmConfig(LmText.Level level, RecurrentSpec recurrent, int embedding, double dropout, int bptt,
                       int batch, int maxVocab, double initScale, boolean tiedEmbeddings) {

    public LmConfig {
        Checks.require(level != null && recurrent != null, "LmConfig: level and recurrent must be set");
        Checks.require(recurrent.bidirectional() == null,
                "LmConfig: a language model reads left to right; a bidirectional stack would see the next token");
        Checks.require(embedding >= 1, "LmConfig: embedding must be >= 1, got %d", embedding);
        Checks.require(dropout >= 0 && dropout < 1, "LmConfig: dropout must be in [0, 1), got %s", dropout);
        Checks.require(bptt >= 1, "LmConfig: bptt must be >= 1, got %d", bptt);
        Checks.require(batch >= 1, "LmConfig: batch must be >= 1, got %d", batch);
        Checks.require(maxVocab >= 0, "LmConfig: maxVocab must be >= 0, got %d", maxVocab);
        Checks.require(initScale >= 0 && Double.isFinite(initScale), "LmConfig: initScale must be >= 0, got %s",
                initScale);
        Checks.require(!tiedEmbeddings || recurrent.outputSize() == embedding,
                "LmConfig: tied embeddings need the embedding size (%d) to equal the top recurrent layer's output "
                        + "size (%d)", embedding, recurrent.outputSize());
    }

    /** A configuration with untied embeddings (the constructor before {@code tiedEmbeddings} was added). */
    public LmConfig(LmText.Level level, RecurrentSpec recurrent, int embedding, double dropout, int bptt, int batch,
                    int maxVocab, double initScale) {
        this(level, recurrent, embedding, dropout, bptt, batch, maxVocab, initScale, false);
    }

    /** Zaremba et al.'s "small" PTB model: 2 × 200 LSTM, embedding 200, no dropout, bptt 20, batch 20, init ±0.1. */
    public static LmConfig zarembaSmall() {
        return new LmConfig(LmText.Level.WORD, RecurrentSpec.of("lstm", 200).withLayers(2), 200, 0, 20, 20, 0, 0.1, false);
    }

    public LmConfig withRecurrent(RecurrentSpec r) {
        return new LmConfig(level, r, embedding, dropout, bptt, batch, maxVocab, initScale, tiedEmbeddings);
    }

    public LmConfig withLevel(LmText.Level l) {
        return new LmConfig(l, recurrent, embedding, dropout, bptt, batch, maxVocab, initScale, tiedEmbeddings);
    }

    public LmConfig withEmbedding(int e) {
        return new LmConfig(level, recurrent, e, dropout, bptt, batch, maxVocab, initScale, tiedEmbeddings);
    }

    public LmConfig withDropout(double p) {
        return new LmConfig(level, recurrent, embedding, p, bptt, batch, maxVocab, initScale, tiedEmbeddings);
    }

    public LmConfig withBatching(int bpttSteps, int streams) {
        return new LmConfig(level, recurrent, embedding, dropout, bpttSteps, streams, maxVocab, initScale, tiedEmbeddings);
    }

    public LmConfig withMaxVocab(int n) {
        return new LmConfig(level, recurrent, embedding, dropout, bptt, batch, n, initScale, tiedEmbeddings);
    }

    public LmConfig withInitScale(double s) {
        return new LmConfig(level, recurrent, embedding, dropout, bptt, batch, maxVocab, s, tiedEmbeddings);
    }

    /**
     * With the softmax's weights tied to the input embeddings (Press and Wolf 2017; {@link org.seq4j.train.TiedWeights}):
     * needs the embedding size to equal the top layer's output size.
     */
    public LmConfig withTiedEmbeddings(boolean on) {
        return new LmConfig(level, recurrent, embedding, dropout, bptt, batch, maxVocab, initScale, on);
    }

    /** This configuration as plain values, for model files. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("level", level.name());
        m.put("recurrent", recurrent.toMap());
        m.put("embedding", embedding);
        m.put("dropout", dropout);
        m.put("bptt", bptt);
        m.put("batch", batch);
        m.put("maxVocab", maxVocab);
        m.put("initScale", initScale);
        m.put("tiedEmbeddings", tiedEmbeddings);
        return m;
    }

    /** The configuration {@link #toMap} wrote. */
    public static LmConfig fromMap(JsonNode m, String where) {
        JsonFields f = new JsonFields(m, where);
        return new LmConfig(f.enumValue(LmText.Level.class, "level"), RecurrentSpec.fromMap(f.object("recurrent"),
                where), f.integer("embedding"), f.number("dropout"), f.integer("bptt"), f.integer("batch"),
                f.integer("maxVocab"), f.number("initScale"), m.has("tiedEmbeddings") && f.bool("tiedEmbeddings"));
    }
}
