package org.seq4j.text;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitUtil;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seq4j.samediff.DynamicVertexConfig;
import org.seq4j.util.Checks;

/**
 * Character-level word features (Ma and Hovy 2016): a convolution over the character embeddings of each word, max-
 * pooled over positions, as a DL4J graph vertex (SameDiff).
 *
 * <p>Input: the character ids of every word, {@code chars [mb, L, T]} (L = {@link #getMaxWordLength()} characters per
 * word, right-padded with 0 = padding id, longer words cut), as floats. For each word:
 * <pre>
 *   c_1 … c_L = E[ids]                               character embeddings, E [V, d]
 *   u_j = [c_j; … ; c_{j+w−1}]·W + b                 windows j = 1 … L − w + 1, W [w·d, F]
 *   out = tanh(max_j u_j)                            [F] per word
 * </pre>
 * Output {@code [mb, F, T]}, masked by the word mask. Any T, changing between batches.
 */
public class CharCnn extends DynamicVertexConfig<CharCnn> {

    public static final String CHARS = "chars";
    public static final String EMBEDDING = "E";
    public static final String W = "W";
    public static final String B = "b";

    private long vocabSize;
    private long embeddingSize;
    private long filters;
    private long width;
    private long maxWordLength;

    /** For Jackson. */
    public CharCnn() {
    }

    /**
     * @param vocabSize     character vocabulary size (ids 0 … V−1, 0 = padding)
     * @param embeddingSize character embedding size d
     * @param filters       output features F
     * @param width         convolution window w (characters)
     * @param maxWordLength L, characters kept per word
     */
    public CharCnn(long vocabSize, long embeddingSize, long filters, long width, long maxWordLength) {
        Checks.require(vocabSize > 1, "CharCnn: vocabSize must be > 1, got %d", vocabSize);
        Checks.require(embeddingSize > 0, "CharCnn: embeddingSize must be > 0, got %d", embeddingSize);
        Checks.require(filters > 0, "CharCnn: filters must be > 0, got %d", filters);
        Checks.require(width > 0 && width <= maxWordLength, "CharCnn: width must be in [1, maxWordLength = %d], got %d",
                maxWordLength, width);
        this.vocabSize = vocabSize;
        this.embeddingSize = embeddingSize;
        this.filters = filters;
        this.width = width;
        this.maxWordLength = maxWordLength;
    }

    @Override
    public void defineParametersAndInputs(SDVertexParams params) {
        params.defineInputs(CHARS);
        params.addWeightParam(EMBEDDING, vocabSize, embeddingSize);
        params.addWeightParam(W, width * embeddingSize, filters);
        params.addBiasParam(B, 1, filters);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        INDArray e = params.get(EMBEDDING);
        WeightInitUtil.initWeights(embeddingSize, embeddingSize, e.shape(), WeightInit.XAVIER, null, 'c', e);
        INDArray w = params.get(W);
        WeightInitUtil.initWeights(width * embeddingSize, filters, w.shape(), WeightInit.XAVIER, null, 'c', w);
        params.get(B).assign(0.0);
    }

    @Override
    public SDVariable defineVertex(SameDiff sd, Map<String, SDVariable> in, Map<String, SDVariable> p,
                                   Map<String, SDVariable> masks) {
        SDVariable chars = in.get(CHARS);                                                 // [mb, L, T]
        SDVariable ids = sd.castTo(sd.reshape(sd.permute(chars, 0, 2, 1), -1), DataType.INT);   // [mb*T*L]
        // embedding lookup as one-hot × E: M2.1's gather backprop loses repeated ids (the same character twice)
        SDVariable oneHot = sd.oneHot(ids, (int) vocabSize).castTo(chars.dataType());            // [mb*T*L, V]
        SDVariable emb = sd.reshape(oneHot.mmul(p.get(EMBEDDING)), -1, maxWordLength, embeddingSize);
        int positions = (int) (maxWordLength - width + 1);
        SDVariable[] windows = new SDVariable[positions];
        for (int j = 0; j < positions; j++) {
            SDVariable win = emb.get(SDIndex.all(), SDIndex.interval((long) j, (long) j + width), SDIndex.all());
            windows[j] = sd.reshape(win, -1, width * embeddingSize);                     // [N, w·d]
        }
        SDVariable stacked = sd.reshape(sd.stack(1, windows), -1, width * embeddingSize);  // [N·P, w·d]
        SDVariable conv = sd.reshape(stacked.mmul(p.get(W)).add(p.get(B)), -1, positions, filters);   // [N, P, F]
        SDVariable pooled = sd.math.tanh(sd.max(conv, 1));                                // [N, F]
        SDVariable shape = sd.stack(0, sd.sizeAt(chars, 0), sd.sizeAt(chars, 2),
                sd.constant(Nd4j.scalar(DataType.LONG, filters)));
        SDVariable out = sd.permute(sd.reshape(pooled, shape), 0, 2, 1);                 // [mb, F, T]
        return out.mul(sd.expandDims(masks.get(CHARS), 1));
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) {
        Checks.require(inputs.length == 1 && inputs[0].getType() == InputType.Type.RNN,
                "CharCnn vertex %s: expected one recurrent input [mb, maxWordLength, T], got %s",
                Checks.layerName(getName()), Arrays.toString(inputs));
        InputType.InputTypeRecurrent r = (InputType.InputTypeRecurrent) inputs[0];
        Checks.require(r.getSize() == maxWordLength, "CharCnn vertex %s: input has %d characters per word, expected "
                + "maxWordLength = %d", Checks.layerName(getName()), r.getSize(), maxWordLength);
        return InputType.recurrent(filters, r.getTimeSeriesLength());
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState state, int mb) {
        return new Pair<>(maskArrays == null ? null : maskArrays[0], state);
    }

    @Override
    public int minVertexInputs() {
        return 1;
    }

    @Override
    public int maxVertexInputs() {
        return 1;
    }

    @Override
    protected CharCnn copyOwnFields() {
        return new CharCnn(vocabSize, embeddingSize, filters, width, maxWordLength);
    }

    public long getVocabSize() {
        return vocabSize;
    }

    public void setVocabSize(long v) {
        this.vocabSize = v;
    }

    public long getEmbeddingSize() {
        return embeddingSize;
    }

    public void setEmbeddingSize(long v) {
        this.embeddingSize = v;
    }

    public long getFilters() {
        return filters;
    }

    public void setFilters(long v) {
        this.filters = v;
    }

    public long getWidth() {
        return width;
    }

    public void setWidth(long v) {
        this.width = v;
    }

    public long getMaxWordLength() {
        return maxWordLength;
    }

    public void setMaxWordLength(long v) {
        this.maxWordLength = v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CharCnn c && vocabSize == c.vocabSize && embeddingSize == c.embeddingSize
                && filters == c.filters && width == c.width && maxWordLength == c.maxWordLength;
    }

    @Override
    public int hashCode() {
        return Objects.hash(vocabSize, embeddingSize, filters, width, maxWordLength);
    }

    @Override
    public String toString() {
        return "CharCnn(V=" + vocabSize + ", d=" + embeddingSize + ", F=" + filters + ", w=" + width + ", L="
                + maxWordLength + ")";
    }
}
