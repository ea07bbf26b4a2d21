package org.seq4j.util;

import java.util.Collection;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The wiring every layer configuration's {@code instantiate} does to a new runtime layer, once. */
public final class LayerRuntimes {

    private LayerRuntimes() {
    }

    /**
     * The size check every recurrent layer configuration makes when the graph is initialised: nIn and nOut must be
     * known and positive, with an error naming the layer.
     */
    public static void requireSizes(String kind, String layerName, long nIn, long nOut) {
        String name = Checks.layerName(layerName);
        Checks.require(nIn > 0, "%s layer %s: nIn must be > 0, got %d (set nIn or give the graph input types)", kind,
                name, nIn);
        Checks.require(nOut > 0, "%s layer %s: nOut must be > 0, got %d", kind, name, nOut);
    }

    /** Sets listeners, index, parameter views and configuration on a new runtime layer. */
    public static <L extends Layer> L wire(L layer, NeuralNetConfiguration conf, ParamInitializer initializer,
                                    Collection<TrainingListener> listeners, int index, INDArray paramsView,
                                    boolean initializeParams) {
        if (listeners != null) {
            layer.setListeners(listeners);
        }
        layer.setIndex(index);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(initializer.init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }
}
