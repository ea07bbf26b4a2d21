package org.seq4j.core;

import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameter layout of a {@link Recurrent} layer: the cell's {@link ParamSpec}s, in order, as 'f'-ordered views of
 * one flat parameter vector (as DL4J's own recurrent layers lay theirs out).
 */
public final class CellParams implements ParamInitializer {

    public static final CellParams INSTANCE = new CellParams();

    private CellParams() {
    }

    private static List<ParamSpec> specs(Layer layer) {
        Recurrent r = (Recurrent) layer;
        return r.getCell().parameters(r.getNIn(), r.getUnits());
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        return specs(layer).stream().mapToLong(ParamSpec::length).sum();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return specs(layer).stream().map(ParamSpec::key).toList();
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return specs(layer).stream().filter(s -> !isBiasLike(s)).map(ParamSpec::key).toList();
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return specs(layer).stream().filter(CellParams::isBiasLike).map(ParamSpec::key).toList();
    }

    /** Biases and cell-initialised vectors (α logits) are not regularised like weights. */
    private static boolean isBiasLike(ParamSpec s) {
        return s.isBias() || s.rows() == 1;
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return weightKeys(layer).contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return biasKeys(layer).contains(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        Recurrent r = (Recurrent) conf.getLayer();
        List<ParamSpec> specs = specs(r);
        Map<String, INDArray> m = views(specs, paramsView);
        if (initializeParams) {
            IWeightInit recurrentInit = r.getWeightInitFnRecurrent() != null
                    ? r.getWeightInitFnRecurrent() : r.getWeightInitFn();
            for (ParamSpec s : specs) {
                INDArray v = m.get(s.key());
                long[] shape = {s.rows(), s.cols()};
                switch (s.init()) {
                    case INPUT_WEIGHT -> r.getWeightInitFn().init(s.rows(), s.cols(), shape, 'f', v);
                    case RECURRENT_WEIGHT -> recurrentInit.init(s.rows(), s.cols(), shape, 'f', v);
                    case BIAS -> v.assign(r.getBiasInit());
                    case ZERO -> v.assign(0.0);
                    case CELL -> r.getCell().initParam(s, v, r.getBiasInit());
                }
            }
        }
        for (String key : m.keySet()) {
            conf.addVariable(key);
        }
        return m;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views(specs(conf.getLayer()), gradientView);
    }

    private static Map<String, INDArray> views(List<ParamSpec> specs, INDArray flat) {
        INDArray v = flat.reshape(flat.length());
        Map<String, INDArray> m = new LinkedHashMap<>();
        long pos = 0;
        for (ParamSpec s : specs) {
            m.put(s.key(), v.get(interval(pos, pos + s.length())).reshape('f', s.rows(), s.cols()));
            pos += s.length();
        }
        return m;
    }
}
