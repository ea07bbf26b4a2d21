package org.seq4j.core;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seq4j.attention.Attention;
import org.seq4j.attention.AttentionScore;
import org.seq4j.samediff.DynamicVertexConfig;
import org.seq4j.util.Checks;

/**
 * A decoder layer with its attention inside the recurrence: any core cell whose output is its hidden state (LSTM, GRU,
 * SRN) stepping over the decoder inputs while it attends over an encoder memory, with hand-written backpropagation
 * through time (no SameDiff graph). Two ways of wiring attention into the recurrence ({@link Flow}):
 * <pre>
 *   INPUT_FEEDING (Luong et al. 2015, §3.3)          BAHDANAU (Bahdanau et al. 2015)
 *   h_t = cell([y_t; h̃_{t−1}], s_{t−1})             c_t = attend(h_{t−1}, M)
 *   c_t = attend(h_t, M)                              h_t = cell([y_t; c_t], s_{t−1})
 *   h̃_t = tanh(Wc·[c_t; h_t])                        h̃_t = tanh(Wc·[c_t; h_t])
 * </pre>
 * with {@code h̃_0 = 0} and {@code attend} the score of {@link AttentionScore} (Bahdanau additive, Luong dot or
 * general; the same formulas and parameter names as the {@link Attention} vertex) softmaxed over the valid encoder
 * steps: {@code a_{t,s} ∝ exp(score(q, m_s))}, {@code c_t = Σ_s a_{t,s}·m_s}. The output at each step is the
 * attentional vector {@code h̃_t} ({@code units} features), zero on padded decoder steps; Bahdanau's deep output is
 * this same {@code tanh(Wc·[c_t; h_t])}, so both flows feed the same softmax layer.
 *
 * <p>Inputs, in this order: decoder inputs {@code y [mb, nIn, Td]} and encoder memory {@code M [mb, nMem, Te]}, each
 * with its own mask, and optionally ({@link #withInitialStateInput()}) the initial hidden state {@code [mb, units]}. Padded decoder steps carry the state (and {@code h̃}) and get exactly zero gradient; padded
 * encoder steps get zero attention weight and zero gradient. Parameters: the cell's own ({@code W [nIn + F, P]},
 * {@code RW}, {@code b}, ... with F = units for input feeding, nMem for Bahdanau), the attention's ({@code Wq, Wk, v}
 * or {@code Wa}) and {@code Wc [nMem + units, units]}.
 *
 * <p>For decoding one token at a time, {@link AttentionDecoderVertex#step} runs one step from a
 * {@link AttentionDecoderVertex.State} that beam search can reorder.
 */
public class AttentionDecoder extends DynamicVertexConfig<AttentionDecoder> {

    /** How attention enters the recurrence. */
    public enum Flow {
        /** Luong et al. 2015: attention on h_t after the step; the attentional vector h̃_t is fed to step t + 1. */
        INPUT_FEEDING,
        /** Bahdanau et al. 2015: attention on h_{t−1} before the step; the context c_t is an input of step t. */
        BAHDANAU
    }

    public static final String IN = "in";
    public static final String MEMORY = "memory";
    public static final String WC = "Wc";
    /** the optional third input: the initial hidden state h_0 {@code [mb, units]} (e.g. a bridge from the encoder) */
    public static final String INITIAL = "initial";

    private RecurrentCell cell;
    private long units;
    private AttentionScore score = AttentionScore.LUONG_GENERAL;
    private long attentionUnits;
    private Flow flow = Flow.INPUT_FEEDING;
    private long inputSize;
    private long memorySize;
    private WeightInit weightInit = WeightInit.XAVIER;
    private boolean initialStateInput;

    /** For Jackson (model files). */
    public AttentionDecoder() {
    }

    /**
     * @param cell           the recurrent cell (its output must be its hidden state: LSTM, GRU, SRN)
     * @param units          its hidden size H, also the size of h̃ and of the output
     * @param score          the attention score
     * @param attentionUnits Bahdanau's hidden size A; 0 for the Luong scores
     * @param flow           input feeding or Bahdanau's flow
     */
    public AttentionDecoder(RecurrentCell cell, long units, AttentionScore score, long attentionUnits, Flow flow) {
        Checks.require(cell != null && score != null && flow != null,
                "AttentionDecoder: cell, score and flow must not be null");
        Checks.require(units > 0, "AttentionDecoder: units must be > 0, got %d", units);
        Checks.require(score != AttentionScore.BAHDANAU || attentionUnits > 0,
                "AttentionDecoder: Bahdanau attention needs attentionUnits > 0, got %d", attentionUnits);
        long[] sizes = cell.stateSizes(units);
        Checks.require(Arrays.equals(cell.outputParts(), new int[] {0}) && sizes[0] == units,
                "AttentionDecoder: the %s cell's output is not its hidden state of %d units; use lstm, gru or srn",
                cell.kind(), units);
        this.cell = cell;
        this.units = units;
        this.score = score;
        this.attentionUnits = attentionUnits;
        this.flow = flow;
    }

    /**
     * With a third input, the initial hidden state {@code h_0 [mb, units]} (the cell's other state parts, e.g. LSTM's
     * c, and h̃_0 start at zero), through which gradient flows back: the decoder starts from, say, a bridge of the
     * encoder's final states instead of zeros.
     */
    public AttentionDecoder withInitialStateInput() {
        AttentionDecoder copy = clone();
        copy.initialStateInput = true;
        copy.setVertexParams(null);
        return copy;
    }

    /** Sets the input sizes explicitly (needed only when the graph has no input types). */
    public AttentionDecoder withSizes(long inputSize, long memorySize) {
        AttentionDecoder copy = clone();
        copy.inputSize = inputSize;
        copy.memorySize = memorySize;
        copy.setVertexParams(null);
        return copy;
    }

    /** Width F of what is fed into the recurrence next to y_t: h̃ (units) or the context (nMem). */
    long feedSize() {
        return flow == Flow.INPUT_FEEDING ? units : memorySize;
    }

    List<ParamSpec> cellParameters() {
        return cell.parameters(inputSize + feedSize(), units);
    }

    // ---- parameters ------------------------------------------------------------------------------------------------

    @Override
    public void defineParametersAndInputs(SDVertexParams params) {
        if (initialStateInput) {
            params.defineInputs(IN, MEMORY, INITIAL);
        } else {
            params.defineInputs(IN, MEMORY);
        }
        for (ParamSpec s : cellParameters()) {
            if (s.isBias() || s.rows() == 1) {
                params.addBiasParam(s.key(), s.rows(), s.cols());
            } else {
                params.addWeightParam(s.key(), s.rows(), s.cols());
            }
        }
        Attention.addScoreParameters(params, score, units, memorySize, attentionUnits);
        params.addWeightParam(WC, memorySize + units, units);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        List<ParamSpec> cellSpecs = cellParameters();
        for (ParamSpec s : cellSpecs) {
            INDArray v = params.get(s.key());
            long[] shape = {s.rows(), s.cols()};
            switch (s.init()) {
                case INPUT_WEIGHT, RECURRENT_WEIGHT -> weightInit.getWeightInitFunction().init(s.rows(), s.cols(),
                        shape, 'c', v);
                case BIAS, ZERO -> v.assign(0.0);
                case CELL -> cell.initParam(s, v, 0.0);
            }
        }
        java.util.Set<String> cellKeys = new java.util.HashSet<>();
        cellSpecs.forEach(s -> cellKeys.add(s.key()));
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            if (!cellKeys.contains(e.getKey())) {   // the attention's and Wc
                long[] s = e.getValue().shape();
                weightInit.getWeightInitFunction().init(s[0], s[1], s, 'c', e.getValue());
            }
        }
    }

    /** Not used: the runtime ({@link AttentionDecoderVertex}) computes forward and backward passes itself. */
    @Override
    public SDVariable defineVertex(SameDiff sd, Map<String, SDVariable> in, Map<String, SDVariable> p,
                                   Map<String, SDVariable> masks) {
        throw new UnsupportedOperationException("AttentionDecoder is computed by AttentionDecoderVertex, not SameDiff");
    }

    // ---- wiring into DL4J ------------------------------------------------------------------------------------------

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType networkDatatype) {
        setName(name);
        validate();
        return new AttentionDecoderVertex(this, graph, name, idx, paramsView, initializeParams, networkDatatype);
    }

    String describe() {
        return "AttentionDecoder vertex " + Checks.layerName(getName());
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) {
        Checks.require(inputs != null && inputs.length == inputCount(),
                "%s: expected %d inputs (decoder inputs, encoder memory%s), got %d", describe(), inputCount(),
                initialStateInput ? ", initial state" : "", inputs == null ? 0 : inputs.length);
        if (initialStateInput) {
            Checks.require(inputs[2].getType() == InputType.Type.FF && inputs[2].arrayElementsPerExample() == units,
                    "%s: the initial state input must be feed-forward [mb, %d], got %s", describe(), units, inputs[2]);
        }
        InputType.InputTypeRecurrent y = recurrent(inputs[0], "decoder");
        InputType.InputTypeRecurrent m = recurrent(inputs[1], "encoder");
        if (inputSize != y.getSize() || memorySize != m.getSize()) {
            inputSize = y.getSize();
            memorySize = m.getSize();
            setVertexParams(null);   // parameter shapes depend on the sizes
        }
        validate();
        return InputType.recurrent(units, y.getTimeSeriesLength());
    }

    private InputType.InputTypeRecurrent recurrent(InputType t, String which) {
        Checks.require(t != null && t.getType() == InputType.Type.RNN,
                "%s: the %s input must be recurrent [mb, features, T], got %s", describe(), which, t);
        return (InputType.InputTypeRecurrent) t;
    }

    @Override
    protected void validate() {
        Checks.require(cell != null, "%s: no cell set", describe());
        Checks.require(inputSize > 0 && memorySize > 0,
                "%s: input and memory sizes must be > 0, got %d and %d (give the graph input types, or call "
                        + "withSizes)", describe(), inputSize, memorySize);
        Checks.require(score != AttentionScore.LUONG_DOT || memorySize == units,
                "%s: Luong dot attention needs the encoder size (%d) to equal the decoder units (%d); use Luong "
                        + "general or Bahdanau", describe(), memorySize, units);
        cell.validate(Checks.layerName(getName()), inputSize + feedSize(), units);
    }

    @Override
    public void validateInput(INDArray[] inputs) {
        Checks.require(inputs.length == inputCount(), "%s: expected %d inputs, got %d", describe(), inputCount(),
                inputs.length);
        if (initialStateInput) {
            Checks.require(inputs[2].rank() == 2 && inputs[2].size(0) == inputs[0].size(0)
                            && inputs[2].size(1) == units, "%s: expected an initial state [%d, %d], got %s",
                    describe(), inputs[0].size(0), units, Arrays.toString(inputs[2].shape()));
        }
        Checks.require(inputs[0].rank() == 3 && inputs[0].size(1) == inputSize,
                "%s: expected decoder inputs [minibatch, %d, Td], got %s", describe(), inputSize,
                Arrays.toString(inputs[0].shape()));
        Checks.require(inputs[1].rank() == 3 && inputs[1].size(1) == memorySize,
                "%s: expected encoder memory [minibatch, %d, Te], got %s", describe(), memorySize,
                Arrays.toString(inputs[1].shape()));
        Checks.require(inputs[0].size(0) == inputs[1].size(0),
                "%s: decoder and encoder minibatch sizes differ: %d and %d", describe(), inputs[0].size(0),
                inputs[1].size(0));
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                           int minibatchSize) {
        // the output has the decoder's time steps, so it carries the decoder's mask
        return new Pair<>(maskArrays == null ? null : maskArrays[0], currentMaskState);
    }

    int inputCount() {
        return initialStateInput ? 3 : 2;
    }

    @Override
    public int minVertexInputs() {
        return inputCount();
    }

    @Override
    public int maxVertexInputs() {
        return inputCount();
    }

    @Override
    protected AttentionDecoder copyOwnFields() {
        AttentionDecoder c = new AttentionDecoder();
        c.cell = cell;
        c.units = units;
        c.score = score;
        c.attentionUnits = attentionUnits;
        c.flow = flow;
        c.inputSize = inputSize;
        c.memorySize = memorySize;
        c.weightInit = weightInit;
        c.initialStateInput = initialStateInput;
        return c;
    }

    // ---- bean accessors (Jackson) ----------------------------------------------------------------------------------

    public RecurrentCell getCell() {
        return cell;
    }

    public void setCell(RecurrentCell cell) {
        this.cell = cell;
    }

    public long getUnits() {
        return units;
    }

    public void setUnits(long units) {
        this.units = units;
    }

    public AttentionScore getScore() {
        return score;
    }

    public void setScore(AttentionScore score) {
        this.score = score;
    }

    public long getAttentionUnits() {
        return attentionUnits;
    }

    public void setAttentionUnits(long attentionUnits) {
        this.attentionUnits = attentionUnits;
    }

    public Flow getFlow() {
        return flow;
    }

    public void setFlow(Flow flow) {
        this.flow = flow;
    }

    public long getInputSize() {
        return inputSize;
    }

    public void setInputSize(long inputSize) {
        this.inputSize = inputSize;
    }

    public long getMemorySize() {
        return memorySize;
    }

    public void setMemorySize(long memorySize) {
        this.memorySize = memorySize;
    }

    public boolean isInitialStateInput() {
        return initialStateInput;
    }

    public void setInitialStateInput(boolean initialStateInput) {
        this.initialStateInput = initialStateInput;
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
        if (!(o instanceof AttentionDecoder a)) {
            return false;
        }
        return Objects.equals(cell, a.cell) && units == a.units && score == a.score
                && attentionUnits == a.attentionUnits && flow == a.flow && inputSize == a.inputSize
                && memorySize == a.memorySize && weightInit == a.weightInit
                && initialStateInput == a.initialStateInput;
    }

    @Override
    public int hashCode() {
        return Objects.hash(cell, units, score, attentionUnits, flow, inputSize, memorySize, weightInit,
                initialStateInput);
    }

    @Override
    public String toString() {
        return "AttentionDecoder(" + cell.kind() + " " + units + ", " + score + ", " + flow + ", in=" + inputSize
                + ", memory=" + memorySize + (score == AttentionScore.BAHDANAU ? ", units=" + attentionUnits : "")
                + ")";
    }
}
