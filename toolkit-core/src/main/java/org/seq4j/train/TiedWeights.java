package org.seq4j.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seq4j.util.Checks;

/**
 * Tied input and output embeddings (Press and Wolf 2017; Inan et al. 2017): the output layer's weight matrix
 * {@code W [n, V]} is the transpose of the embedding matrix {@code E [V, n]}, one parameter used twice. DL4J cannot
 * share a parameter between two layers, so the embedding holds it and the output layer a mirror kept equal to it:
 * <ul>
 *   <li>after backprop ({@code onGradientCalculation}, before gradient clipping and the updater): {@code dE += dWᵀ},
 *       {@code dW = 0}, so the gradient of the tied parameter is the sum of its two uses and clipping counts it
 *       once;</li>
 *   <li>after each update ({@code iterationDone}): {@code W = Eᵀ}.</li>
 * </ul>
 * The updater state of the mirror is never used. The parameter count of the graph includes the mirror; subtract
 * the output layer's W for the number of free parameters.
 */
public final class TiedWeights extends BaseTrainingListener {

    private final String embedding;
    private final String output;

    private TiedWeights(String embedding, String output) {
        this.embedding = embedding;
        this.output = output;
    }

    /**
     * Ties the {@code W} of layer {@code output} to the transpose of the {@code W} of layer {@code embedding}: copies
     * it once and puts the listener first among the graph's listeners (before clipping). Idempotent.
     */
    public static TiedWeights tie(ComputationGraph graph, String embedding, String output) {
        INDArray e = weights(graph, embedding);
        INDArray w = weights(graph, output);
        Checks.require(e.rank() == 2 && w.rank() == 2 && e.size(0) == w.size(1) && e.size(1) == w.size(0),
                "cannot tie layer '%s' (weights %s) to layer '%s' (weights %s): the output layer's weights must be "
                        + "[n, V] for an embedding [V, n]; make the embedding size equal to the output layer's input "
                        + "size", output, Arrays.toString(w.shape()), embedding, Arrays.toString(e.shape()));
        TiedWeights t = new TiedWeights(embedding, output);
        t.mirror(graph);
        List<TrainingListener> all = new ArrayList<>();
        all.add(t);
        if (graph.getListeners() != null) {
            for (TrainingListener l : graph.getListeners()) {
                if (!(l instanceof TiedWeights)) {
                    all.add(l);
                }
            }
        }
        graph.setListeners(all);
        return t;
    }

    private static INDArray weights(ComputationGraph graph, String layer) {
        Checks.require(graph.getConfiguration().getVertices().containsKey(layer),
                "cannot tie weights: the graph has no layer '%s'", layer);
        Layer l = graph.getLayer(layer);
        INDArray w = l.getParam("W");
        Checks.require(w != null, "cannot tie weights: layer '%s' has no parameter W", layer);
        return w;
    }

    @Override
    public void onGradientCalculation(Model model) {
        ComputationGraph g = (ComputationGraph) model;
        INDArray de = gradient(g, embedding);
        INDArray dw = gradient(g, output);
        de.addi(dw.transpose());
        dw.assign(0.0);
    }

    /** The gradient view of layer {@code layer}'s W in the graph's flattened gradient (what the updater reads). */
    private static INDArray gradient(ComputationGraph g, String layer) {
        INDArray d = g.gradient() == null ? null : g.gradient().gradientForVariable().get(layer + "_W");
        Checks.requireState(d != null, "tied weights: no gradient for layer '%s' W after backprop", layer);
        return d;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        mirror((ComputationGraph) model);
    }

    private void mirror(ComputationGraph g) {
        weights(g, output).assign(weights(g, embedding).transpose());
    }
}
