package org.seq4j.crf;

import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Parameter views of {@link Crf}: {@code W [nIn, K]}, {@code b}, {@code A [K, K]}, {@code start}, {@code end}. */
public final class CrfParams implements ParamInitializer {

    public static final CrfParams INSTANCE = new CrfParams();
    public static final String W = "W";
    public static final String B = "b";
    public static final String TRANSITIONS = "A";
    public static final String START = "start";
    public static final String END = "end";

    private CrfParams() {
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        Crf c = (Crf) layer;
        long k = c.getNOut();
        return c.getNIn() * k + k + k * k + 2 * k;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return List.of(W, B, TRANSITIONS, START, END);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(W);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return List.of(B, TRANSITIONS, START, END);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return W.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return !W.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray view, boolean initialize) {
        Crf c = (Crf) conf.getLayer();
        Map<String, INDArray> m = views(c, view);
        if (initialize) {
            c.getWeightInitFn().init(c.getNIn(), c.getNOut(), m.get(W).shape(), 'f', m.get(W));
            m.get(B).assign(c.getBiasInit());
            m.get(TRANSITIONS).assign(0.0);
            m.get(START).assign(0.0);
            m.get(END).assign(0.0);
        }
        m.keySet().forEach(conf::addVariable);
        return m;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray view) {
        return views((Crf) conf.getLayer(), view);
    }

    private static Map<String, INDArray> views(Crf c, INDArray flat) {
        long nIn = c.getNIn();
        long k = c.getNOut();
        INDArray v = flat.reshape(flat.length());
        Map<String, INDArray> m = new LinkedHashMap<>();
        long p = 0;
        m.put(W, v.get(interval(p, p + nIn * k)).reshape('f', nIn, k));
        p += nIn * k;
        m.put(B, v.get(interval(p, p + k)).reshape('f', 1, k));
        p += k;
        m.put(TRANSITIONS, v.get(interval(p, p + k * k)).reshape('f', k, k));
        p += k * k;
        m.put(START, v.get(interval(p, p + k)).reshape('f', 1, k));
        p += k;
        m.put(END, v.get(interval(p, p + k)).reshape('f', 1, k));
        return m;
    }
}
