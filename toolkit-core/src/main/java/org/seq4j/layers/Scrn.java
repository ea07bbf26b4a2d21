package org.seq4j.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitUtil;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seq4j.samediff.PerLengthSameDiffLayer;
import org.seq4j.util.Checks;
import org.seq4j.util.LayerRuntimes;

/**
 * Structurally constrained recurrent network (SCRN; Mikolov, Joulin, Chopra, Mathieu, Ranzato 2014, "Learning Longer
 * Memory in Recurrent Neural Networks") as a DL4J SameDiff layer.
 *
 * <p>For input {@code x_t} (row vector, size nIn), slow context state {@code s} (size C = contextUnits) and fast
 * hidden state {@code h} (size H = units):
 * <pre>
 *   s_t = (1 − α) ⊙ x_t·B + α ⊙ s_{t−1}
 *   h_t = σ(s_t·P + x_t·A + h_{t−1}·R + b)
 *   output_t = [h_t ; s_t]                       (size H + C)
 * </pre>
 * The paper's output {@code y_t = f(U·h_t + V·s_t)} is an ordinary output layer on top of {@code [h_t; s_t]}.
 * α is fixed ({@link #DEFAULT_ALPHA} as in the paper), or learned per context unit as {@code α = σ(θ)},
 * which keeps it in (0, 1).
 *
 * <p>Parameters: {@code B [nIn, C]}, {@code A [nIn, H]}, {@code P [C, H]}, {@code R [H, H]}, {@code b [1, H]} and,
 * when α is learned, {@code alphaLogit [1, C]} (θ).
 *
 * <p>Masks carry both states over padded steps ({@code s_t = m·s'_t + (1−m)·s_{t−1}}, likewise h) and zero the output
 * there. {@code reverse = true} runs the sequence from its last step to its first (whole padded sequence reversed, as
 * DL4J's {@code Bidirectional} does; correct for padded batches because the state stays zero over the padding), which
 * is how seq4j builds a bidirectional SCRN.
 *
 * <p>The layer is unrolled over time, so each sequence length gets its own SameDiff graph
 * ({@link PerLengthSameDiffLayer}); bucket lengths. This is the SameDiff form of the cell, kept for the bench's
 * comparison with the recurrent core; the core's {@link org.seq4j.core.ScrnCell} computes the same equations
 * (CoreFormsTest holds the two to 1e-10 in outputs and gradients) and is the one to use for training, truncated BPTT
 * and step-by-step generation ({@code rnnTimeStep}, {@link org.seq4j.core.CellState}).
 */
public class Scrn extends SameDiffLayer {

    /** The paper's fixed α for the context units. */
    public static final double DEFAULT_ALPHA = 0.95;

    public static final String B = "B";
    public static final String A = "A";
    public static final String P = "P";
    public static final String R = "R";
    public static final String BIAS = "b";
    public static final String ALPHA_LOGIT = "alphaLogit";

    /**
     * Sets a SameDiff SCRN layer's parameters ({@code sameDiff}, its param table) to a core SCRN layer's
     * ({@code core}: {@link org.seq4j.core.ScrnCell} on {@link org.seq4j.core.Recurrent}, whose input weights are
     * {@code W = [B | A]}), so the two forms compute the same function: for comparing them from the same start.
     */
    public static void copyCoreParameters(Map<String, INDArray> core, Map<String, INDArray> sameDiff) {
        long c = sameDiff.get(B).columns();
        long h = sameDiff.get(A).columns();
        INDArray w = core.get("W");
        Checks.require(w != null && w.columns() == c + h, "Scrn.copyCoreParameters: the core layer's W must be "
                + "[nIn, %d] (context %d + units %d), got %s", c + h, c, h, w == null ? "none" : Arrays.toString(
                w.shape()));
        sameDiff.get(B).assign(w.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, c)));
        sameDiff.get(A).assign(w.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(c, c + h)));
        sameDiff.get(P).assign(core.get("P"));
        sameDiff.get(R).assign(core.get("RW"));
        sameDiff.get(BIAS).assign(core.get("b"));
        if (sameDiff.containsKey(ALPHA_LOGIT)) {
            sameDiff.get(ALPHA_LOGIT).assign(core.get("alphaLogit"));
        }
    }

    private long nIn;
    private long units;
    private long contextUnits;
    private double alpha = DEFAULT_ALPHA;
    private boolean learnAlpha;
    private boolean reverse;

    /** For Jackson (model files); use {@link Builder}. */
    public Scrn() {
        weightInit = WeightInit.XAVIER;
    }

    private Scrn(Builder b) {
        super(b);
        this.nIn = b.nIn;
        this.units = b.units;
        this.contextUnits = b.contextUnits;
        this.alpha = b.alpha;
        this.learnAlpha = b.learnAlpha;
        this.reverse = b.reverse;
        if (weightInit == null) {
            weightInit = WeightInit.XAVIER;
        }
    }

    // ---- parameters ------------------------------------------------------------------------------------------------

    @Override
    public void defineParameters(SDLayerParams params) {
        params.addWeightParam(B, nIn, contextUnits);
        params.addWeightParam(A, nIn, units);
        params.addWeightParam(P, contextUnits, units);
        params.addWeightParam(R, units, units);
        params.addBiasParam(BIAS, 1, units);
        if (learnAlpha) {
            params.addBiasParam(ALPHA_LOGIT, 1, contextUnits);
        }
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        initWeights(params.get(B), nIn, contextUnits);
        initWeights(params.get(A), nIn, units);
        initWeights(params.get(P), contextUnits, units);
        initWeights(params.get(R), units, units);
        params.get(BIAS).assign(0.0);
        if (learnAlpha) {
            params.get(ALPHA_LOGIT).assign(Math.log(alpha / (1 - alpha)));
        }
    }

    private void initWeights(INDArray w, long fanIn, long fanOut) {
        WeightInitUtil.initWeights(fanIn, fanOut, w.shape(), weightInit, null, 'c', w);
    }

    // ---- the graph -------------------------------------------------------------------------------------------------

    /**
     * Builds the unrolled graph in two passes, so that only the recurrences are per step:
     * <ol>
     *   <li>all input projections {@code x·B}, {@code x·A + b} as two matrix products over every step;</li>
     *   <li>the context loop {@code s_t = (1 − α)·x_t·B + α·s_{t−1}} (masked: carried over padding), one
     *       multiply-add per step because the recurrence is linear;</li>
     *   <li>{@code s·P} for every step as one product, added to {@code x·A + b};</li>
     *   <li>the hidden loop {@code h_t = σ(pre_t + h_{t−1}·R)} (masked likewise);</li>
     *   <li>{@code [h; s]} for all steps as one concatenation, times the mask.</li>
     * </ol>
     */
    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> p, SDVariable mask) {
        int steps = (int) input.getShape()[2];              // static: one graph per length
        SDVariable x = reverse ? sd.reverse(input, 2) : input;                 // [mb, nIn, T]
        SDVariable m = reverse ? sd.reverse(mask, 1) : mask;                   // [mb, T]
        SDVariable x2 = sd.reshape(sd.permute(x, 0, 2, 1), -1, nIn);           // [mb*T, nIn], row i*T + t
        SDVariable m3 = sd.reshape(m, -1, steps, 1);                                         // [mb, T, 1]
        // The context recurrence is linear: with c_t = m_t·(1 − α),
        //   s_t = (1 − c_t)·s_{t−1} + c_t·x_t·B     (= the SCRN update on valid steps, s carried on padding)
        // so everything but one multiply-add per step is computed for all steps at once.
        SDVariable c = learnAlpha
                ? m3.mul(sd.reshape(sd.nn.sigmoid(p.get(ALPHA_LOGIT)).rsub(1.0), 1, 1, contextUnits))   // [mb, T, C]
                : m3.mul(1.0 - alpha);                                                                // [mb, T, 1]
        SDVariable u = sd.reshape(x2.mmul(p.get(B)), -1, steps, contextUnits).mul(c);      // c_t·x_t·B [mb, T, C]
        SDVariable[] us = sd.unstack(u, 1, steps);
        SDVariable[] decay = later(sd, c.rsub(1.0), steps);                                  // 1 − c_t, t >= 1
        SDVariable[] ms = sd.unstack(m3, 1, steps);                                          // T x [mb, 1]
        SDVariable[] keeps = later(sd, m3.rsub(1.0), steps);                                 // 1 − m_t, t >= 1

        // context loop
        SDVariable[] ss = new SDVariable[steps];
        SDVariable s = null;
        for (int t = 0; t < steps; t++) {
            s = s == null ? us[t] : s.mul(decay[t]).add(us[t]);
            ss[t] = s;
        }
        SDVariable sAll = sd.stack(1, ss);                                                   // [mb, T, C]
        // every step's s·P + x·A + b at once
        SDVariable pre = sd.reshape(sAll, -1, contextUnits).mmul(p.get(P))
                .add(x2.mmul(p.get(A))).add(p.get(BIAS));                                    // [mb*T, H]
        SDVariable[] pres = sd.unstack(sd.reshape(pre, -1, steps, units), 1, steps);        // T x [mb, H]

        // hidden loop
        SDVariable[] hs = new SDVariable[steps];
        SDVariable h = null;
        for (int t = 0; t < steps; t++) {
            SDVariable hNew = sd.nn.sigmoid(h == null ? pres[t] : pres[t].add(h.mmul(p.get(R))));
            h = h == null ? hNew.mul(ms[t]) : hNew.mul(ms[t]).add(h.mul(keeps[t]));
            hs[t] = h;
        }
        SDVariable hAll = sd.stack(1, hs);                                                   // [mb, T, H]
        SDVariable out = sd.permute(sd.concat(2, hAll, sAll).mul(m3), 0, 2, 1);              // [mb, H + C, T]
        return reverse ? sd.reverse(out, 2) : out;
    }

    /** {@code v [mb, T, k]} unstacked for steps 1 … T−1 (index 0 left null: step 0 must not use it, bug B6). */
    private static SDVariable[] later(SameDiff sd, SDVariable v, int steps) {
        SDVariable[] out = new SDVariable[steps];
        if (steps > 1) {
            SDVariable rest = v.get(SDIndex.all(), SDIndex.interval(1L, (long) steps), SDIndex.all());
            System.arraycopy(sd.unstack(rest, 1, steps - 1), 0, out, 1, steps - 1);
        }
        return out;
    }

    @Override
    public void validateInput(INDArray input) {
        Checks.require(input.rank() == 3,
                "Scrn layer %s: expected input of rank 3 [minibatch, nIn=%d, timeSteps], got rank %d with shape %s",
                Checks.layerName(getLayerName()), nIn, input.rank(), Arrays.toString(input.shape()));
        Checks.require(input.size(1) == nIn,
                "Scrn layer %s: expected input [minibatch, nIn=%d, timeSteps], got shape %s",
                Checks.layerName(getLayerName()), nIn, Arrays.toString(input.shape()));
    }

    // ---- wiring into DL4J ------------------------------------------------------------------------------------------

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeRecurrent r = requireRecurrent(inputType);
        return InputType.recurrent(units + contextUnits, r.getTimeSeriesLength());
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        long size = requireRecurrent(inputType).getSize();
        Checks.require(nIn <= 0 || nIn == size,
                "Scrn layer %s: nIn is set to %d but its input has %d features (input type %s)",
                Checks.layerName(getLayerName()), nIn, size, inputType);
        nIn = size;
    }

    private InputType.InputTypeRecurrent requireRecurrent(InputType inputType) {
        Checks.require(inputType != null && inputType.getType() == InputType.Type.RNN,
                "Scrn layer %s: expected a recurrent input [mb, features, T] (InputType.recurrent), got %s",
                Checks.layerName(getLayerName()), inputType);
        return (InputType.InputTypeRecurrent) inputType;
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreprocessorForInputTypeRnnLayers(inputType, RNNFormat.NCW, getLayerName());
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        validate(getLayerName(), nIn, units, contextUnits, alpha, learnAlpha, true);
        return LayerRuntimes.wire(new PerLengthSameDiffLayer(conf, networkDataType), conf, initializer(), listeners,
                layerIndex, paramsView, initializeParams);
    }

    static void validate(String layerName, long nIn, long units, long contextUnits, double alpha, boolean learnAlpha,
                         boolean requireNIn) {
        String name = Checks.layerName(layerName);
        Checks.require(!requireNIn || nIn > 0,
                "Scrn layer %s: nIn must be > 0, got %d (set nIn or give the graph input types)", name, nIn);
        Checks.require(nIn >= 0, "Scrn layer %s: nIn must be > 0, got %d", name, nIn);
        Checks.require(units > 0, "Scrn layer %s: units must be > 0, got %d", name, units);
        Checks.require(contextUnits > 0, "Scrn layer %s: contextUnits must be > 0, got %d", name, contextUnits);
        Checks.require(alpha >= 0.0 && alpha <= 1.0, "Scrn layer %s: alpha must be in [0, 1], got %s", name, alpha);
        Checks.require(!learnAlpha || (alpha > 0.0 && alpha < 1.0),
                "Scrn layer %s: a learned alpha starts from its logit, so alpha must be in (0, 1), got %s", name, alpha);
    }

    // ---- bean accessors (Jackson) ----------------------------------------------------------------------------------

    public long getNIn() {
        return nIn;
    }

    public void setNIn(long nIn) {
        this.nIn = nIn;
    }

    public long getUnits() {
        return units;
    }

    public void setUnits(long units) {
        this.units = units;
    }

    public long getContextUnits() {
        return contextUnits;
    }

    public void setContextUnits(long contextUnits) {
        this.contextUnits = contextUnits;
    }

    public double getAlpha() {
        return alpha;
    }

    public void setAlpha(double alpha) {
        this.alpha = alpha;
    }

    public boolean isLearnAlpha() {
        return learnAlpha;
    }

    public void setLearnAlpha(boolean learnAlpha) {
        this.learnAlpha = learnAlpha;
    }

    public boolean isReverse() {
        return reverse;
    }

    public void setReverse(boolean reverse) {
        this.reverse = reverse;
    }

    /** Output size: {@code units + contextUnits}. */
    public long outputSize() {
        return units + contextUnits;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Scrn) || !super.equals(o)) {
            return false;
        }
        Scrn other = (Scrn) o;
        return nIn == other.nIn && units == other.units && contextUnits == other.contextUnits
                && Double.compare(alpha, other.alpha) == 0 && learnAlpha == other.learnAlpha && reverse == other.reverse;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), nIn, units, contextUnits, alpha, learnAlpha, reverse);
    }

    @Override
    public String toString() {
        return "Scrn(name=" + getLayerName() + ", nIn=" + nIn + ", units=" + units + ", contextUnits=" + contextUnits
                + ", alpha=" + alpha + (learnAlpha ? " learned" : "") + (reverse ? ", reverse" : "") + ")";
    }

    /** Builder; {@code units} and {@code contextUnits} are required, nIn is inferred from input types. */
    public static class Builder extends SameDiffLayer.Builder<Builder> {
        private long nIn;
        private long units;
        private long contextUnits;
        private double alpha = DEFAULT_ALPHA;
        private boolean learnAlpha;
        private boolean reverse;

        public Builder nIn(long nIn) {
            this.nIn = nIn;
            return this;
        }

        /** Size H of the fast hidden state h. */
        public Builder units(long units) {
            this.units = units;
            return this;
        }

        /** Size C of the slow context state s. */
        public Builder contextUnits(long contextUnits) {
            this.contextUnits = contextUnits;
            return this;
        }

        /** Context decay α in [0, 1]; default {@value Scrn#DEFAULT_ALPHA}. */
        public Builder alpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** Learn α per context unit, starting from {@link #alpha(double)}; default false (fixed, as in the paper). */
        public Builder learnAlpha(boolean learnAlpha) {
            this.learnAlpha = learnAlpha;
            return this;
        }

        /** Run the sequence backwards (the second half of a bidirectional SCRN). */
        public Builder reverse(boolean reverse) {
            this.reverse = reverse;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Scrn build() {
            validate(layerName, nIn, units, contextUnits, alpha, learnAlpha, false);
            return new Scrn(this);
        }
    }

    /** The parameter keys of this configuration, in declaration order. */
    public List<String> paramKeys() {
        List<String> keys = new ArrayList<>(List.of(B, A, P, R, BIAS));
        if (learnAlpha) {
            keys.add(ALPHA_LOGIT);
        }
        return keys;
    }
}
