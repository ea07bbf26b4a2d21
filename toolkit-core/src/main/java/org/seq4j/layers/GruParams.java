package org.seq4j.layers;

import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameter layout of {@link Gru}: views {@code W [nIn,3H]}, {@code RW [H,3H]}, {@code b [1,3H]} and, for
 * {@link GruVariant#RESET_AFTER}, {@code rb [1,3H]}, in that order, over one flat parameter vector ('f' order, as DL4J's
 * own recurrent layers).
 */
public final class GruParams implements ParamInitializer {

    public static final GruParams INSTANCE = new GruParams();

    public static final String INPUT_WEIGHTS = "W";
    public static final String RECURRENT_WEIGHTS = "RW";
    public static final String BIAS = "b";
    public static final String RECURRENT_BIAS = "rb";

    private GruParams() {
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        Gru c = (Gru) layer;
        long h3 = 3 * c.getNOut();
        return c.getNIn() * h3 + c.getNOut() * h3 + h3 + (hasRecurrentBias(c) ? h3 : 0);
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        List<String> keys = new ArrayList<>(weightKeys(layer));
        keys.addAll(biasKeys(layer));
        return keys;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(INPUT_WEIGHTS, RECURRENT_WEIGHTS);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return hasRecurrentBias((Gru) layer) ? List.of(BIAS, RECURRENT_BIAS) : List.of(BIAS);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return INPUT_WEIGHTS.equals(key) || RECURRENT_WEIGHTS.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BIAS.equals(key) || RECURRENT_BIAS.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        Gru c = (Gru) conf.getLayer();
        Map<String, INDArray> m = views(c, paramsView);
        if (initializeParams) {
            long nIn = c.getNIn();
            long h = c.getNOut();
            c.getWeightInitFn().init(nIn, 3 * h, new long[] {nIn, 3 * h}, 'f', m.get(INPUT_WEIGHTS));
            IWeightInit recurrentInit = c.getWeightInitFnRecurrent() != null
                    ? c.getWeightInitFnRecurrent() : c.getWeightInitFn();
            recurrentInit.init(h, 3 * h, new long[] {h, 3 * h}, 'f', m.get(RECURRENT_WEIGHTS));
            m.get(BIAS).assign(c.getBiasInit());
            if (hasRecurrentBias(c)) {
                m.get(RECURRENT_BIAS).assign(0.0);
            }
        }
        for (String key : m.keySet()) {
            conf.addVariable(key);
        }
        return m;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views((Gru) conf.getLayer(), gradientView);
    }

    private static Map<String, INDArray> views(Gru c, INDArray flat) {
        long nIn = c.getNIn();
        long h = c.getNOut();
        INDArray v = flat.reshape(flat.length());
        Map<String, INDArray> m = new LinkedHashMap<>();
        long pos = 0;
        m.put(INPUT_WEIGHTS, v.get(interval(pos, pos + nIn * 3 * h)).reshape('f', nIn, 3 * h));
        pos += nIn * 3 * h;
        m.put(RECURRENT_WEIGHTS, v.get(interval(pos, pos + h * 3 * h)).reshape('f', h, 3 * h));
        pos += h * 3 * h;
        m.put(BIAS, v.get(interval(pos, pos + 3 * h)).reshape('f', 1, 3 * h));
        pos += 3 * h;
        if (hasRecurrentBias(c)) {
            m.put(RECURRENT_BIAS, v.get(interval(pos, pos + 3 * h)).reshape('f', 1, 3 * h));
        }
        return m;
    }

    private static boolean hasRecurrentBias(Gru c) {
        return c.getVariant() == GruVariant.RESET_AFTER;
    }
}
