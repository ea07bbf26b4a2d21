package org.seq4j.tasks.translate;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.seq4j.attention.AttentionScore;
import org.seq4j.cells.CellType;
import org.seq4j.cells.JsonFields;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.util.Checks;

/**
 * An encoder-decoder translation model: source tokens → embedding → encoder (any core cell stack, bidirectional by
 * default); target tokens (shifted right, teacher forcing) → embedding → decoder (LSTM or GRU stack) → attention over
 * the encoder states (Luong et al. 2015's global attention: {@code h̃_t = tanh(W_c [c_t; h_t])}) → softmax.
 *
 * @param encoder          the encoder stack (any cell; bidirectional or not)
 * @param decoder          the decoder stack: LSTM or GRU, unidirectional
 * @param attention        the attention score, or {@link Attention#NONE}
 * @param attentionUnits   hidden size A of Bahdanau's additive score (ignored by the others)
 * @param bridge           how the decoder sees the whole source besides attention ({@link Bridge})
 * @param embedding        embedding size, both sides
 * @param dropout          dropout on the embeddings, the recurrent layers' inputs and before the softmax, in [0, 1)
 * @param batch            sentence pairs per batch (batches group sentences of similar source length)
 * @param minCount         tokens seen fewer times in training become {@code <unk>}
 * @param maxVocab         at most this many entries per vocabulary, reserved tokens included (0: no limit)
 * @param maxLength        training pairs with a side longer than this many tokens are left out (and counted)
 * @param sharedVocabulary one vocabulary for both sides (built from both), or one per side
 * @param bpeMerges        subwords: this many joint BPE merges learned from the training pairs ({@link Bpe}); 0 for
 *                         whole words
 * @param flow             where the attention sits in the decoder ({@link Flow}); {@code OUTPUT} without attention
 * @param tiedEmbeddings   the softmax's weights tied to the target embeddings (Press and Wolf 2017); needs the
 *                         embedding size to equal the decoder's output size
 */
public record TranslateConfig(RecurrentSpec encoder, RecurrentSpec decoder, Attention attention, int attentionUnits,
                              Bridge bridge, int embedding, double dropout, int batch, int minCount, int maxVocab,
                              int maxLength, boolean sharedVocabulary, int bpeMerges, Flow flow,
                              boolean tiedEmbeddings) {

    /**
     * Where the attention sits in the decoder. With {@code INPUT_FEEDING} and {@code BAHDANAU} the top decoder layer is
     * an {@link org.seq4j.core.AttentionDecoder} (the layers below it, if any, are ordinary core layers).
     */
    public enum Flow {
        /** Luong et al. 2015's global attention on the top decoder layer's outputs, after the recurrence. */
        OUTPUT,
        /** As OUTPUT, and the attentional vector h̃_{t−1} is an input of the top decoder layer (Luong et al. §3.3). */
        INPUT_FEEDING,
        /** Bahdanau et al. 2015: the top layer attends with its previous state; the context is an input of its step. */
        BAHDANAU;

        /** {@code output}, {@code input-feeding} (or {@code feeding}), {@code bahdanau}. */
        public static Flow parse(String s) {
            String k = s == null ? "" : s.trim().toLowerCase(Locale.ROOT).replace('-', '_');
            return switch (k) {
                case "output", "global" -> OUTPUT;
                case "input_feeding", "feeding" -> INPUT_FEEDING;
                case "bahdanau", "recurrent" -> BAHDANAU;
                default -> throw new IllegalArgumentException("unknown attention flow '" + s
                        + "': expected output, input-feeding or bahdanau");
            };
        }
    }

    /** The attention of the decoder: none, or one of {@link AttentionScore}'s scores. */
    public enum Attention {
        NONE(null), BAHDANAU(AttentionScore.BAHDANAU), LUONG_DOT(AttentionScore.LUONG_DOT),
        LUONG_GENERAL(AttentionScore.LUONG_GENERAL);

        private final AttentionScore score;

        Attention(AttentionScore score) {
            this.score = score;
        }

        /** The score function, or null for none. */
        public AttentionScore score() {
            return score;
        }

        /** {@code none}, {@code bahdanau} (or {@code additive}, {@code concat}), {@code dot}, {@code general}. */
        public static Attention parse(String s) {
            String k = s == null ? "" : s.trim().toLowerCase(Locale.ROOT).replace('-', '_');
            return switch (k) {
                case "none" -> NONE;
                case "bahdanau", "additive", "concat" -> BAHDANAU;
                case "dot", "luong_dot" -> LUONG_DOT;
                case "general", "luong_general", "luong" -> LUONG_GENERAL;
                default -> throw new IllegalArgumentException("unknown attention '" + s
                        + "'; expected none, bahdanau, dot or general");
            };
        }
    }

    /**
     * How the decoder sees the source as a whole, from the encoder's final states (its output at the last real source
     * step; for a bidirectional encoder, the forward half there and the backward half at the first step).
     * <ul>
     *   <li>{@code DENSE}: through a dense tanh layer of the decoder's size, given to the decoder at every step next
     *       to the previous target token (as Cho et al. 2014 feed their summary c at every step); works with every
     *       flow, and is what carries the source into a model without attention.</li>
     *   <li>{@code INITIAL}: through a dense tanh layer of the decoder's size, as the initial hidden state of the
     *       attention decoder (Bahdanau et al. 2015's {@code s_0 = tanh(W_s h_1^←)}, here from both directions).</li>
     *   <li>{@code COPY}: the final states themselves as that initial hidden state (their size must equal the
     *       decoder's).</li>
     * </ul>
     * An initial state needs the attention inside the recurrence ({@link Flow#INPUT_FEEDING} or {@link Flow#BAHDANAU}):
     * a DL4J recurrent layer takes a single input, so only seq4j's attention decoder can take an initial state from
     * the graph. In a stacked decoder it is the top layer's; the layers below start from zero.
     */
    public enum Bridge {
        NONE, DENSE, INITIAL, COPY;

        public static Bridge parse(String s) {
            String k = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
            return switch (k) {
                case "none" -> NONE;
                case "dense" -> DENSE;
                case "initial" -> INITIAL;
                case "copy" -> COPY;
                default -> throw new IllegalArgumentException("unknown bridge '" + s
                        + "'; expected none, dense, initial or copy");
            };
        }

        /** Whether the bridge sets the decoder's initial state (rather than being an input at every step). */
        public boolean initialState() {
            return this == INITIAL || this == COPY;
        }
    }

    public TranslateConfig {
        Checks.require(encoder != null && decoder != null && attention != null && bridge != null,
                "TranslateConfig: encoder, decoder, attention and bridge must be set");
        Checks.require(decoder.bidirectional() == null,
                "TranslateConfig: the decoder reads the target left to right; it cannot be bidirectional");
        Checks.require(decoder.cell() == CellType.LSTM || decoder.cell() == CellType.GRU,
                "TranslateConfig: the decoder cell must be lstm or gru, got %s", decoder.cell());
        Checks.require(flow != null, "TranslateConfig: flow must be set (OUTPUT without attention)");
        Checks.require(flow == Flow.OUTPUT || attention != Attention.NONE,
                "TranslateConfig: attention flow %s needs an attention score; use bahdanau, dot or general",
                flow.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        Checks.require(attention != Attention.NONE || bridge != Bridge.NONE,
                "TranslateConfig: with no attention and no bridge the decoder would never see the source; use "
                        + "bridge dense or an attention");
        Checks.require(bridge == Bridge.NONE || encoder.bidirectional() == null
                        || encoder.bidirectional() == Bidirectional.Mode.CONCAT,
                "TranslateConfig: the dense bridge reads each direction's final state, so a bidirectional encoder "
                        + "must concatenate its directions (CONCAT), got %s", encoder.bidirectional());
        Checks.require(!bridge.initialState() || flow != Flow.OUTPUT,
                "TranslateConfig: bridge %s sets the decoder's initial state, which needs the attention inside the "
                        + "recurrence (flow input-feeding or bahdanau); with flow output use bridge dense",
                bridge.name().toLowerCase(Locale.ROOT));
        Checks.require(bridge != Bridge.COPY || encoder.outputSize() == decoder.units(),
                "TranslateConfig: bridge copy needs the encoder's output size (%d) to equal the decoder's units (%d); "
                        + "use bridge initial", encoder.outputSize(), decoder.units());
        Checks.require(attention != Attention.LUONG_DOT || decoder.outputSize() == encoder.outputSize(),
                "TranslateConfig: dot attention needs the decoder's size (%d) to equal the encoder's output size "
                        + "(%d); use general or bahdanau attention, or change the sizes",
                decoder.outputSize(), encoder.outputSize());
        Checks.require(attention != Attention.BAHDANAU || attentionUnits >= 1,
                "TranslateConfig: bahdanau attention needs attentionUnits >= 1, got %d", attentionUnits);
        Checks.require(embedding >= 1, "TranslateConfig: embedding must be >= 1, got %d", embedding);
        Checks.require(!tiedEmbeddings || embedding == decoder.outputSize(),
                "TranslateConfig: tied embeddings need the embedding size (%d) to equal the decoder's output size "
                        + "(%d)", embedding, decoder.outputSize());
        Checks.require(dropout >= 0 && dropout < 1, "TranslateConfig: dropout must be in [0, 1), got %s", dropout);
        Checks.require(batch >= 1, "TranslateConfig: batch must be >= 1, got %d", batch);
        Checks.require(minCount >= 1, "TranslateConfig: minCount must be >= 1, got %d", minCount);
        Checks.require(maxVocab == 0 || maxVocab > 4, "TranslateConfig: maxVocab must be 0 (no limit) or > 4 (the "
                + "reserved tokens), got %d", maxVocab);
        Checks.require(maxLength >= 1, "TranslateConfig: maxLength must be >= 1, got %d", maxLength);
        Checks.require(bpeMerges >= 0, "TranslateConfig: bpeMerges must be >= 0, got %d", bpeMerges);
    }

    /**
     * A configuration with attention after the recurrence and untied embeddings (the constructor before
     * {@code flow} and {@code tiedEmbeddings} were added).
     */
    public TranslateConfig(RecurrentSpec encoder, RecurrentSpec decoder, Attention attention, int attentionUnits,
                           Bridge bridge, int embedding, double dropout, int batch, int minCount, int maxVocab,
                           int maxLength, boolean sharedVocabulary, int bpeMerges) {
        this(encoder, decoder, attention, attentionUnits, bridge, embedding, dropout, batch, minCount, maxVocab,
                maxLength, sharedVocabulary, bpeMerges, Flow.OUTPUT, false);
    }

    /**
     * OpenNMT-py's RNN defaults in small, with Bahdanau's additive attention score (on DDTP en→fr it beat Luong's
     * general score, OpenNMT-py's default, by 8.7-12.1 BLEU on each of two seeds: docs/benchmarks.md): bidirectional
     * LSTM encoder 2 × 128, LSTM decoder 256, attention after the recurrence with 128 units, dense bridge,
     * embeddings 128, dropout 0.3, batch 64, words seen once dropped, at most 50 tokens.
     */
    public static TranslateConfig defaults() {
        return new TranslateConfig(RecurrentSpec.of(CellType.LSTM, 128).withBidirectional(Bidirectional.Mode.CONCAT),
                RecurrentSpec.of(CellType.LSTM, 256), Attention.BAHDANAU, 128, Bridge.DENSE, 128, 0.3, 64, 2,
                0, 50, false, 0, Flow.OUTPUT, false);
    }

    public TranslateConfig withEncoder(RecurrentSpec e) {
        return new TranslateConfig(e, decoder, attention, attentionUnits, bridge, embedding, dropout, batch, minCount,
                maxVocab, maxLength, sharedVocabulary, bpeMerges, flow, tiedEmbeddings);
    }

    public TranslateConfig withDecoder(RecurrentSpec d) {
        return new TranslateConfig(encoder, d, attention, attentionUnits, bridge, embedding, dropout, batch, minCount,
                maxVocab, maxLength, sharedVocabulary, bpeMerges, flow, tiedEmbeddings);
    }

    public TranslateConfig withAttention(Attention a) {
        return new TranslateConfig(encoder, decoder, a, attentionUnits, bridge, embedding, dropout, batch, minCount,
                maxVocab, maxLength, sharedVocabulary, bpeMerges, flow, tiedEmbeddings);
    }

    public TranslateConfig withBridge(Bridge b) {
        return new TranslateConfig(encoder, decoder, attention, attentionUnits, b, embedding, dropout, batch, minCount,
                maxVocab, maxLength, sharedVocabulary, bpeMerges, flow, tiedEmbeddings);
    }

    public TranslateConfig withEmbedding(int e) {
        return new TranslateConfig(encoder, decoder, attention, attentionUnits, bridge, e, dropout, batch, minCount,
                maxVocab, maxLength, sharedVocabulary, bpeMerges, flow, tiedEmbeddings);
    }

    public TranslateConfig withDropout(double p) {
        return new TranslateConfig(encoder, decoder, attention, attentionUnits, bridge, embedding, p, batch, minCount,
                maxVocab, maxLength, sharedVocabulary, bpeMerges, flow, tiedEmbeddings);
    }

    public TranslateConfig withBatch(int b) {
        return new TranslateConfig(encoder, decoder, attention, attentionUnits, bridge, embedding, dropout, b, minCount,
                maxVocab, maxLength, sharedVocabulary, bpeMerges, flow, tiedEmbeddings);
    }

    public TranslateConfig withVocabulary(int minimumCount, int maximumSize, boolean shared) {
        return new TranslateConfig(encoder, decoder, attention, attentionUnits, bridge, embedding, dropout, batch,
                minimumCount, maximumSize, maxLength, shared, bpeMerges, flow, tiedEmbeddings);
    }

    public TranslateConfig withMaxLength(int n) {
        return new TranslateConfig(encoder, decoder, attention, attentionUnits, bridge, embedding, dropout, batch,
                minCount, maxVocab, n, sharedVocabulary, bpeMerges, flow, tiedEmbeddings);
    }

    /** With {@code n} joint BPE merges (0: whole words). */
    public TranslateConfig withBpe(int n) {
        return new TranslateConfig(encoder, decoder, attention, attentionUnits, bridge, embedding, dropout, batch,
                minCount, maxVocab, maxLength, sharedVocabulary, n, flow, tiedEmbeddings);
    }

    /** With the softmax's weights tied to the target embeddings ({@link org.seq4j.train.TiedWeights}). */
    public TranslateConfig withTiedEmbeddings(boolean on) {
        return new TranslateConfig(encoder, decoder, attention, attentionUnits, bridge, embedding, dropout, batch,
                minCount, maxVocab, maxLength, sharedVocabulary, bpeMerges, flow, on);
    }

    /** With the attention placed by {@code f} in the decoder. */
    public TranslateConfig withFlow(Flow f) {
        return new TranslateConfig(encoder, decoder, attention, attentionUnits, bridge, embedding, dropout, batch,
                minCount, maxVocab, maxLength, sharedVocabulary, bpeMerges, f, tiedEmbeddings);
    }

    /** A short label for tables, e.g. {@code bilstm-128>lstm-256+general}. */
    public String label() {
        return encoder.label() + ">" + decoder.label() + "+" + attention.name().toLowerCase(Locale.ROOT)
                + (flow == Flow.OUTPUT ? "" : "+" + flow.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                + (bridge == Bridge.NONE ? "" : bridge == Bridge.DENSE ? "+bridge" : "+" + bridge.name().toLowerCase(Locale.ROOT)) + (bpeMerges > 0 ? "+bpe" + bpeMerges : "") + (tiedEmbeddings ? "+tied" : "");
    }

    /** This configuration as plain values, for model files. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("encoder", encoder.toMap());
        m.put("decoder", decoder.toMap());
        m.put("attention", attention.name());
        m.put("attentionUnits", attentionUnits);
        m.put("bridge", bridge.name());
        m.put("embedding", embedding);
        m.put("dropout", dropout);
        m.put("batch", batch);
        m.put("minCount", minCount);
        m.put("maxVocab", maxVocab);
        m.put("maxLength", maxLength);
        m.put("sharedVocabulary", sharedVocabulary);
        m.put("bpeMerges", bpeMerges);
        m.put("flow", flow.name());
        m.put("tiedEmbeddings", tiedEmbeddings);
        return m;
    }

    /** The configuration {@link #toMap} wrote. */
    public static TranslateConfig fromMap(JsonNode m, String where) {
        JsonFields f = new JsonFields(m, where);
        return new TranslateConfig(RecurrentSpec.fromMap(f.object("encoder"), where),
                RecurrentSpec.fromMap(f.object("decoder"), where), f.enumValue(Attention.class, "attention"),
                f.integer("attentionUnits"), f.enumValue(Bridge.class, "bridge"), f.integer("embedding"),
                f.number("dropout"), f.integer("batch"), f.integer("minCount"), f.integer("maxVocab"),
                f.integer("maxLength"), f.bool("sharedVocabulary"),
                m.has("bpeMerges") ? f.integer("bpeMerges") : 0,
                m.has("flow") ? f.enumValue(Flow.class, "flow") : Flow.OUTPUT,
                m.has("tiedEmbeddings") && f.bool("tiedEmbeddings"));
    }
}
