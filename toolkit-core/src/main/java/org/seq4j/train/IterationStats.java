package org.seq4j.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A listener for benchmarks: wall time of every iteration and, optionally, the L2 norm of each layer's gradient
 * (of the minibatch-sum loss, as DL4J hands it to listeners) at every iteration.
 */
public final class IterationStats extends BaseTrainingListener {

    private final boolean gradientNorms;
    private final List<Double> millis = new ArrayList<>();
    private final List<Map<String, Double>> norms = new ArrayList<>();
    private long last = -1;

    public IterationStats(boolean gradientNorms) {
        this.gradientNorms = gradientNorms;
    }

    @Override
    public void onGradientCalculation(Model model) {
        if (!gradientNorms) {
            return;
        }
        Gradient g = model.gradient();
        Map<String, Double> byLayer = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : g.gradientForVariable().entrySet()) {
            String key = e.getKey();
            int cut = key.lastIndexOf('_');
            String layer = cut > 0 ? key.substring(0, cut) : key;
            double n = e.getValue().norm2Number().doubleValue();
            byLayer.merge(layer, n * n, Double::sum);
        }
        byLayer.replaceAll((k, v) -> Math.sqrt(v));
        norms.add(byLayer);
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        long now = System.nanoTime();
        if (last >= 0) {
            millis.add((now - last) / 1e6);
        }
        last = now;
    }

    /** Milliseconds between consecutive iterations (the first iteration has no predecessor). */
    public List<Double> iterationMillis() {
        return List.copyOf(millis);
    }

    /** Per-iteration gradient L2 norm of each layer (empty unless enabled). */
    public List<Map<String, Double>> gradientNorms() {
        return List.copyOf(norms);
    }
}
