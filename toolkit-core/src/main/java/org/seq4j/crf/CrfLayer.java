package org.seq4j.crf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.seq4j.util.Checks;

/**
 * Runtime of {@link Crf}: emissions with one GEMM over all steps, the CRF itself ({@link CrfMath}) per sequence in
 * double precision, gradients back through the emissions with two GEMMs.
 */
public class CrfLayer extends BaseLayer<Crf> implements IOutputLayer {

    private INDArray labels;
    private INDArray inputMask;

    public CrfLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** One example's emissions, the indices of its valid steps, and (when labels are set) its gold tags. */
    private record Example(double[][] emissions, int[] steps, int[] gold) {
    }

    private record Batch(INDArray x2, List<Example> examples, long mb, long steps) {
    }

    private Batch batch(INDArray in, boolean withGold) {
        Crf c = layerConf();
        String name = Checks.layerName(c.getLayerName());
        Checks.require(in.rank() == 3 && in.size(1) == c.getNIn(),
                "Crf layer %s: expected input [minibatch, nIn=%d, timeSteps], got %s", name, c.getNIn(),
                Arrays.toString(in.shape()));
        long mb = in.size(0);
        long steps = in.size(2);
        int k = (int) c.getNOut();
        INDArray x2 = in.castTo(dataType).permute(0, 2, 1).dup('c').reshape('c', mb * steps, c.getNIn());
        INDArray e = x2.mmul(getParam(CrfParams.W)).addiRowVector(getParam(CrfParams.B));   // [mb*T, K]
        double[][] all = rows(e, mb * steps, k);
        INDArray maskArr = maskArray != null ? maskArray : inputMask;
        double[][] mask = maskArr == null ? null : rows(maskArr, mb, steps);
        double[][] goldAll = null;
        if (withGold) {
            Checks.require(labels != null && labels.rank() == 3 && labels.size(1) == k && labels.size(2) == steps,
                    "Crf layer %s: expected one-hot labels [minibatch, %d, %d], got %s", name, k, steps,
                    labels == null ? "none" : Arrays.toString(labels.shape()));
            goldAll = rows(labels.argMax(1), mb, steps);
        }
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < mb; i++) {
            List<Integer> valid = new ArrayList<>();
            for (int t = 0; t < steps; t++) {
                if (mask == null || mask[i][t] != 0) {
                    valid.add(t);
                }
            }
            int[] st = valid.stream().mapToInt(Integer::intValue).toArray();
            double[][] em = new double[st.length][];
            for (int j = 0; j < st.length; j++) {
                em[j] = all[(int) (i * steps + st[j])];
            }
            int[] gold = null;
            if (goldAll != null) {
                gold = new int[st.length];
                for (int j = 0; j < st.length; j++) {
                    gold[j] = (int) goldAll[i][st[j]];
                }
            }
            examples.add(new Example(em, st, gold));
        }
        return new Batch(x2, examples, mb, steps);
    }

    /**
     * {@code a} ({@code r·c} values in row-major order) as {@code r} rows of {@code c} doubles, copied from one bulk read
     * of its buffer (ND4J's {@code toDoubleMatrix} reads element by element: a quarter of a tagger's training time).
     */
    private static double[][] rows(INDArray a, long r, long c) {
        double[] flat = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[][] out = new double[(int) r][];
        for (int i = 0; i < r; i++) {
            out[i] = Arrays.copyOfRange(flat, (int) (i * c), (int) ((i + 1) * c));
        }
        return out;
    }

    private double[][] transitions() {
        int k = (int) layerConf().getNOut();
        return rows(getParam(CrfParams.TRANSITIONS), k, k);
    }

    private double[] vector(String key) {
        return getParam(key).castTo(DataType.DOUBLE).reshape(layerConf().getNOut()).toDoubleVector();
    }

    /** Negative log-likelihood of each example's gold path. */
    private double[] nll(Batch b) {
        double[][] a = transitions();
        double[] s = vector(CrfParams.START);
        double[] f = vector(CrfParams.END);
        double[] out = new double[(int) b.mb()];
        for (int i = 0; i < out.length; i++) {
            Example ex = b.examples().get(i);
            if (ex.steps().length > 0) {
                out[i] = CrfMath.logPartition(ex.emissions(), a, s, f)
                        - CrfMath.score(ex.emissions(), a, s, f, ex.gold());
            }
        }
        return out;
    }

    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        // the layer's dropout (Crf.Builder.dropOut) on its input in training; backpropGradient sees the same input
        applyDropOutIfNecessary(training, workspaceMgr);
        double[] nll = nll(batch(input, true));
        double sum = 0;
        for (double v : nll) {
            sum += v;
        }
        score = sum / nll.length + fullNetRegTerm;
        return score;
    }

    @Override
    public INDArray computeScoreForExamples(double fullNetRegTerm, LayerWorkspaceMgr workspaceMgr) {
        double[] nll = nll(batch(input, true));
        INDArray out = Nd4j.create(dataType, nll.length, 1);
        for (int i = 0; i < nll.length; i++) {
            out.putScalar(i, 0, nll[i] + fullNetRegTerm);
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        applyDropOutIfNecessary(true, workspaceMgr);   // no-op when computeScore applied it already
        Batch b = batch(input, true);
        int k = (int) layerConf().getNOut();
        double[][] a = transitions();
        double[] s = vector(CrfParams.START);
        double[] f = vector(CrfParams.END);
        double[][] dE = new double[(int) (b.mb() * b.steps())][k];
        double[][] dA = new double[k][k];
        double[] dS = new double[k];
        double[] dF = new double[k];
        for (int i = 0; i < b.mb(); i++) {
            Example ex = b.examples().get(i);
            if (ex.steps().length == 0) {
                continue;
            }
            double[][] de = new double[ex.steps().length][k];
            CrfMath.nllAndGradient(ex.emissions(), a, s, f, ex.gold(), de, dA, dS, dF);
            for (int j = 0; j < de.length; j++) {
                dE[(int) (i * b.steps() + ex.steps()[j])] = de[j];
            }
        }
        // the gradient of the summed loss (DL4J divides by the minibatch size in the updater)
        INDArray dEm = Nd4j.createFromArray(dE).castTo(dataType);                            // [mb*T, K]
        gradientViews.get(CrfParams.W).assign(b.x2().transpose().mmul(dEm));
        gradientViews.get(CrfParams.B).assign(dEm.sum(true, 0));
        gradientViews.get(CrfParams.TRANSITIONS).assign(Nd4j.createFromArray(dA).castTo(dataType));
        gradientViews.get(CrfParams.START).assign(Nd4j.createFromArray(new double[][] {dS}).castTo(dataType));
        gradientViews.get(CrfParams.END).assign(Nd4j.createFromArray(new double[][] {dF}).castTo(dataType));
        INDArray dx = dEm.mmul(getParam(CrfParams.W).transpose())                              // [mb*T, nIn]
                .reshape('c', b.mb(), b.steps(), layerConf().getNIn()).permute(0, 2, 1);
        INDArray epsOut = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, input.shape(), 'f');
        epsOut.assign(dx);
        backpropDropOutIfPresent(epsOut);
        Gradient g = new DefaultGradient(gradientsFlattened);
        for (String key : CrfParams.INSTANCE.paramKeys(layerConf())) {
            g.gradientForVariable().put(key, gradientViews.get(key));
        }
        return new Pair<>(g, epsOut);
    }

    /** Per-step tag marginals {@code [mb, K, T]} (zero on masked steps). */
    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        Batch b = batch(input, false);
        int k = (int) layerConf().getNOut();
        double[][] a = transitions();
        double[] s = vector(CrfParams.START);
        double[] f = vector(CrfParams.END);
        INDArray out = workspaceMgr.create(ArrayType.ACTIVATIONS, dataType, new long[] {b.mb(), k, b.steps()}, 'c');
        for (int i = 0; i < b.mb(); i++) {
            Example ex = b.examples().get(i);
            if (ex.steps().length == 0) {
                continue;
            }
            double[][] p = CrfMath.marginals(ex.emissions(), a, s, f);
            for (int j = 0; j < p.length; j++) {
                for (int c = 0; c < k; c++) {
                    out.putScalar(new long[] {i, c, ex.steps()[j]}, p[j][c]);
                }
            }
        }
        return out;
    }

    /**
     * The best tag path of each example (Viterbi), for the layer's input {@code [mb, nIn, T]} and mask
     * {@code [mb, T]} (null: all steps valid); masked steps are left out of the paths.
     */
    public List<int[]> viterbi(INDArray layerInput, INDArray mask) {
        INDArray saved = maskArray;
        INDArray savedInput = inputMask;
        maskArray = mask;
        inputMask = null;
        try {
            Batch b = batch(layerInput, false);
            double[][] a = transitions();
            double[] s = vector(CrfParams.START);
            double[] f = vector(CrfParams.END);
            List<int[]> paths = new ArrayList<>();
            for (Example ex : b.examples()) {
                paths.add(ex.steps().length == 0 ? new int[0] : CrfMath.viterbi(ex.emissions(), a, s, f));
            }
            return paths;
        } finally {
            maskArray = saved;
            inputMask = savedInput;
        }
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
                                                          int minibatchSize) {
        this.inputMask = maskArray;
        return new Pair<>(maskArray, currentMaskState);
    }

    /** DL4J sets the label mask here, and clears every mask with {@code setMaskArray(null)}. */
    @Override
    public void setMaskArray(INDArray maskArray) {
        this.maskArray = maskArray;
        if (maskArray == null) {
            inputMask = null;
        }
    }

    @Override
    public void clear() {
        super.clear();
        labels = null;
        inputMask = null;
    }

    @Override
    public Type type() {
        return Type.RECURRENT;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public boolean needsLabels() {
        return true;
    }

    @Override
    public void setLabels(INDArray labels) {
        this.labels = labels;
    }

    @Override
    public INDArray getLabels() {
        return labels;
    }

    @Override
    public int numLabels() {
        return (int) layerConf().getNOut();
    }

    private static UnsupportedOperationException layerLevel() {
        return new UnsupportedOperationException("Crf is trained and used inside a ComputationGraph; layer-level "
                + "fit/predict/f1Score are not supported (use CrfLayer.viterbi for predictions)");
    }

    @Override
    public double f1Score(DataSet data) {
        throw layerLevel();
    }

    @Override
    public double f1Score(INDArray examples, INDArray labels) {
        throw layerLevel();
    }

    @Override
    public void fit(DataSetIterator iter) {
        throw layerLevel();
    }

    @Override
    public int[] predict(INDArray examples) {
        throw layerLevel();
    }

    @Override
    public List<String> predict(DataSet dataSet) {
        throw layerLevel();
    }

    @Override
    public void fit(INDArray examples, INDArray labels) {
        throw layerLevel();
    }

    @Override
    public void fit(DataSet data) {
        throw layerLevel();
    }

    @Override
    public void fit(INDArray examples, int[] labels) {
        throw layerLevel();
    }
}
