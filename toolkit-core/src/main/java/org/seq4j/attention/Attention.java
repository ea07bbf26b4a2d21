package org.seq4j.attention;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitUtil;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seq4j.samediff.DynamicSameDiffVertex;
import org.seq4j.samediff.DynamicVertexConfig;
import org.seq4j.util.Checks;

/**
 * Attention over encoder states as a DL4J graph vertex (a SameDiff extension), with Bahdanau additive, Luong dot and
 * Luong general scores ({@link AttentionScore}).
 *
 * <p>Inputs, in this order: decoder states {@code dec [mb, nDec, Td]} and encoder states {@code enc [mb, nEnc, Te]},
 * each with its own mask {@code [mb, T]} from the graph. For each decoder step t:
 * <pre>
 *   e_{t,s} = score(d_t, e_s) + (1 − encMask_s)·(−1e9)     padded encoder steps get exactly zero weight
 *   a_{t,·} = softmax_s(e_{t,·})                              weights [mb, Td, Te]
 *   c_t     = Σ_s a_{t,s}·e_s · decMask_t                     context [mb, nEnc, Td]   (the vertex output)
 * </pre>
 * Parameters: Bahdanau {@code Wq [nDec, A]}, {@code Wk [nEnc, A]}, {@code v [A, 1]} (A = attentionUnits); Luong general
 * {@code Wa [nDec, nEnc]}; Luong dot none. Sizes nDec and nEnc are inferred from the graph's input types.
 *
 * <p>The vertex accepts any Td and Te, changing between batches (it is built from length-agnostic ops,
 * {@link DynamicSameDiffVertex}). For the weights, and for step-by-step decoding, use {@link AttentionStep}, which
 * computes the same formulas in plain ND4J on this vertex's parameters.
 */
public class Attention extends DynamicVertexConfig<Attention> {

    public static final String DEC = "dec";
    public static final String ENC = "enc";
    public static final String WQ = "Wq";
    public static final String WK = "Wk";
    public static final String V = "v";
    public static final String WA = "Wa";
    /** Added to the scores of padded encoder steps; exp underflows to exactly 0 after the softmax's max shift. */
    public static final double MASK_SCORE = -1e9;

    private AttentionScore score = AttentionScore.LUONG_GENERAL;
    private long decoderSize;
    private long encoderSize;
    private long attentionUnits;
    private WeightInit weightInit = WeightInit.XAVIER;

    /** For Jackson (model files). */
    public Attention() {
    }

    /**
     * @param score          the score function
     * @param attentionUnits size A of Bahdanau's hidden layer; ignored (use 0) for the Luong scores
     */
    public Attention(AttentionScore score, long attentionUnits) {
        Checks.require(score != null, "Attention: score must not be null");
        Checks.require(score != AttentionScore.BAHDANAU || attentionUnits > 0,
                "Attention: Bahdanau attention needs attentionUnits > 0, got %d", attentionUnits);
        this.score = score;
        this.attentionUnits = attentionUnits;
    }

    /** Bahdanau additive attention with A hidden units. */
    public static Attention bahdanau(long attentionUnits) {
        return new Attention(AttentionScore.BAHDANAU, attentionUnits);
    }

    /** Luong dot attention (nDec must equal nEnc). */
    public static Attention luongDot() {
        return new Attention(AttentionScore.LUONG_DOT, 0);
    }

    /** Luong general (bilinear) attention. */
    public static Attention luongGeneral() {
        return new Attention(AttentionScore.LUONG_GENERAL, 0);
    }

    /** Sets the input sizes explicitly (needed only when the graph has no input types). */
    public Attention withSizes(long decoderSize, long encoderSize) {
        Attention copy = clone();
        copy.decoderSize = decoderSize;
        copy.encoderSize = encoderSize;
        copy.setVertexParams(null);
        return copy;
    }

    // ---- parameters ------------------------------------------------------------------------------------------------

    @Override
    public void defineParametersAndInputs(SDVertexParams params) {
        params.defineInputs(DEC, ENC);
        addScoreParameters(params, score, decoderSize, encoderSize, attentionUnits);
    }

    /**
     * The parameters of a score between queries of size {@code nDec} and keys of size {@code nEnc}: Bahdanau
     * {@code Wq [nDec, A]}, {@code Wk [nEnc, A]}, {@code v [A, 1]}; Luong general {@code Wa [nDec, nEnc]}; dot none.
     * Shared with the attention decoder ({@code core.AttentionDecoder}), which uses the same names and formulas.
     */
    public static void addScoreParameters(SDVertexParams params, AttentionScore score, long nDec, long nEnc,
                                          long attentionUnits) {
        switch (score) {
            case BAHDANAU -> {
                params.addWeightParam(WQ, nDec, attentionUnits);
                params.addWeightParam(WK, nEnc, attentionUnits);
                params.addWeightParam(V, attentionUnits, 1);
            }
            case LUONG_GENERAL -> params.addWeightParam(WA, nDec, nEnc);
            case LUONG_DOT -> {
            }
            default -> throw new IllegalStateException("Unknown score " + score);
        }
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            long[] s = e.getValue().shape();
            WeightInitUtil.initWeights(s[0], s[1], s, weightInit, null, 'c', e.getValue());
        }
    }

    // ---- the graph -------------------------------------------------------------------------------------------------

    @Override
    public SDVariable defineVertex(SameDiff sd, Map<String, SDVariable> in, Map<String, SDVariable> p,
                                   Map<String, SDVariable> masks) {
        SDVariable dec = in.get(DEC);                                   // [mb, nDec, Td]
        SDVariable enc = in.get(ENC);                                   // [mb, nEnc, Te]
        SDVariable encT = sd.permute(enc, 0, 2, 1);                     // [mb, Te, nEnc]
        SDVariable e = switch (score) {                                 // scores [mb, Td, Te]
            case LUONG_DOT -> sd.mmul(sd.permute(dec, 0, 2, 1), enc);
            case LUONG_GENERAL -> sd.mmul(project(sd, dec, p.get(WA), encoderSize), enc);
            case BAHDANAU -> {
                SDVariable q = project(sd, dec, p.get(WQ), attentionUnits);          // [mb, Td, A]
                SDVariable k = project(sd, enc, p.get(WK), attentionUnits);          // [mb, Te, A]
                SDVariable s = sd.math.tanh(sd.expandDims(q, 2).add(sd.expandDims(k, 1)));   // [mb, Td, Te, A]
                SDVariable flat = sd.reshape(s, -1, attentionUnits).mmul(p.get(V));  // [mb*Td*Te, 1]
                yield sd.reshape(flat, sd.stack(0, sd.sizeAt(dec, 0), sd.sizeAt(dec, 2), sd.sizeAt(enc, 2)));
            }
        };
        SDVariable padding = sd.expandDims(masks.get(ENC), 1).rsub(1.0).mul(MASK_SCORE);  // [mb, 1, Te]
        SDVariable weights = sd.nn.softmax(e.add(padding), 2);                        // [mb, Td, Te]
        SDVariable context = sd.permute(sd.mmul(weights, encT), 0, 2, 1);            // [mb, nEnc, Td]
        return context.mul(sd.expandDims(masks.get(DEC), 1));
    }

    /** {@code x [mb, n, T]} times {@code w [n, k]} for every step: {@code [mb, T, k]}. */
    private static SDVariable project(SameDiff sd, SDVariable x, SDVariable w, long k) {
        long n = w.getShape()[0];
        SDVariable flat = sd.reshape(sd.permute(x, 0, 2, 1), -1, n).mmul(w);           // [mb*T, k]
        SDVariable shape = sd.stack(0, sd.sizeAt(x, 0), sd.sizeAt(x, 2), sd.constant(Nd4j.scalar(DataType.LONG, k)));
        return sd.reshape(flat, shape);
    }

    // ---- wiring into DL4J ------------------------------------------------------------------------------------------

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) {
        Checks.require(inputs != null && inputs.length == 2,
                "Attention vertex %s: expected 2 inputs (decoder states, encoder states), got %d",
                Checks.layerName(getName()), inputs == null ? 0 : inputs.length);
        InputType.InputTypeRecurrent d = recurrent(inputs[0], "decoder");
        InputType.InputTypeRecurrent en = recurrent(inputs[1], "encoder");
        Checks.require(decoderSize <= 0 || decoderSize == d.getSize(),
                "Attention vertex %s: decoder size is set to %d but its decoder input has %d features",
                Checks.layerName(getName()), decoderSize, d.getSize());
        Checks.require(encoderSize <= 0 || encoderSize == en.getSize(),
                "Attention vertex %s: encoder size is set to %d but its encoder input has %d features",
                Checks.layerName(getName()), encoderSize, en.getSize());
        if (decoderSize != d.getSize() || encoderSize != en.getSize()) {
            decoderSize = d.getSize();
            encoderSize = en.getSize();
            setVertexParams(null);   // parameter shapes depend on the sizes
        }
        validateSizes();
        return InputType.recurrent(encoderSize, d.getTimeSeriesLength());
    }

    private InputType.InputTypeRecurrent recurrent(InputType t, String which) {
        Checks.require(t != null && t.getType() == InputType.Type.RNN,
                "Attention vertex %s: the %s input must be recurrent [mb, features, T], got %s",
                Checks.layerName(getName()), which, t);
        return (InputType.InputTypeRecurrent) t;
    }

    @Override
    protected void validate() {
        validateSizes();
    }

    private void validateSizes() {
        String name = Checks.layerName(getName());
        Checks.require(decoderSize > 0 && encoderSize > 0,
                "Attention vertex %s: decoder and encoder sizes must be > 0, got %d and %d "
                        + "(give the graph input types, or call withSizes)", name, decoderSize, encoderSize);
        Checks.require(score != AttentionScore.LUONG_DOT || decoderSize == encoderSize,
                "Attention vertex %s: Luong dot attention needs equal decoder and encoder sizes, got %d and %d "
                        + "(use Luong general or Bahdanau)", name, decoderSize, encoderSize);
    }

    @Override
    public void validateInput(INDArray[] inputs) {
        String name = Checks.layerName(getName());
        Checks.require(inputs.length == 2, "Attention vertex %s: expected 2 inputs, got %d", name, inputs.length);
        Checks.require(inputs[0].rank() == 3 && inputs[0].size(1) == decoderSize,
                "Attention vertex %s: expected decoder states [minibatch, %d, Td], got %s", name, decoderSize,
                Arrays.toString(inputs[0].shape()));
        Checks.require(inputs[1].rank() == 3 && inputs[1].size(1) == encoderSize,
                "Attention vertex %s: expected encoder states [minibatch, %d, Te], got %s", name, encoderSize,
                Arrays.toString(inputs[1].shape()));
        Checks.require(inputs[0].size(0) == inputs[1].size(0),
                "Attention vertex %s: decoder and encoder minibatch sizes differ: %d and %d", name,
                inputs[0].size(0), inputs[1].size(0));
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                           int minibatchSize) {
        // The output has the decoder's time steps, so it carries the decoder's mask.
        INDArray decMask = maskArrays == null ? null : maskArrays[0];
        return new Pair<>(decMask, currentMaskState);
    }

    @Override
    public int minVertexInputs() {
        return 2;
    }

    @Override
    public int maxVertexInputs() {
        return 2;
    }

    @Override
    protected Attention copyOwnFields() {
        Attention c = new Attention();
        c.score = score;
        c.decoderSize = decoderSize;
        c.encoderSize = encoderSize;
        c.attentionUnits = attentionUnits;
        c.weightInit = weightInit;
        return c;
    }

    // ---- bean accessors (Jackson) ----------------------------------------------------------------------------------

    public AttentionScore getScore() {
        return score;
    }

    public void setScore(AttentionScore score) {
        this.score = score;
    }

    public long getDecoderSize() {
        return decoderSize;
    }

    public void setDecoderSize(long decoderSize) {
        this.decoderSize = decoderSize;
    }

    public long getEncoderSize() {
        return encoderSize;
    }

    public void setEncoderSize(long encoderSize) {
        this.encoderSize = encoderSize;
    }

    public long getAttentionUnits() {
        return attentionUnits;
    }

    public void setAttentionUnits(long attentionUnits) {
        this.attentionUnits = attentionUnits;
    }

    public WeightInit getWeightInit() {
        return weightInit;
    }

    public void setWeightInit(WeightInit weightInit) {
        this.weightInit = weightInit;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Attention)) {
            return false;
        }
        Attention a = (Attention) o;
        return score == a.score && decoderSize == a.decoderSize && encoderSize == a.encoderSize
                && attentionUnits == a.attentionUnits && weightInit == a.weightInit;
    }

    @Override
    public int hashCode() {
        return Objects.hash(score, decoderSize, encoderSize, attentionUnits, weightInit);
    }

    @Override
    public String toString() {
        return "Attention(" + score + ", dec=" + decoderSize + ", enc=" + encoderSize
                + (score == AttentionScore.BAHDANAU ? ", units=" + attentionUnits : "") + ")";
    }
}
