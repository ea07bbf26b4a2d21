package org.seq4j.train;

import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@code ComputationGraphUpdater} without the detour M2.1 takes on every training step.
 *
 * <p>{@code BaseMultiLayerUpdater.update} treats a gradient as "external" (computed by another network, as in RL4J)
 * when {@code gradient.gradient() != getFlattenedGradientsView()}, an identity test. In M2.1
 * {@code DefaultGradient.gradient()} returns {@code flattened.reshape(length)}, a new view object on every call, so the
 * test holds for every gradient a {@code ComputationGraph} computes of itself: each step then builds two ND4J views per
 * parameter and per regularization stage (four in all, with no regularization configured), the minibatch-division
 * subsets afresh, and a view per updater block; about 8% of an SRN H = 128 training step (measured in one JVM, the two
 * updaters alternating: minimum step 5.14-5.36 against 5.64-5.80 ms). This updater hands DL4J a gradient whose
 * {@code gradient()} is the view itself whenever its values are the network's own gradient array (same memory,
 * offset and length), so DL4J takes its standard path on the views it made once; any other gradient goes through
 * unchanged. The arithmetic is the same, so training is bit-identical ({@code SharedGradientUpdaterTest}).
 *
 * <p>DL4J replaces a graph's updater when its learning rate changes ({@code setLearningRate} builds a stock one and
 * copies the state over); {@link Trainer} installs this one again after each change.
 */
public final class SharedGradientUpdater extends ComputationGraphUpdater {

    private long standardSteps;

    private SharedGradientUpdater(ComputationGraph graph, INDArray state) {
        super(graph, state);
    }

    /** Puts this updater on {@code graph}, keeping its updater state (Adam's moments etc.); does nothing when there. */
    public static void install(ComputationGraph graph) {
        ComputationGraphUpdater current = graph.getUpdater();
        if (current instanceof SharedGradientUpdater) {
            return;
        }
        graph.setUpdater(new SharedGradientUpdater(graph, current.getStateViewArray()));
    }

    @Override
    public synchronized void update(Gradient gradient, int iteration, int epoch, int batchSize,
                                    LayerWorkspaceMgr workspaceMgr) {
        INDArray view = getFlattenedGradientsView();
        INDArray flat = gradient.gradient();
        boolean own = flat != null && view != null && flat != view && flat.length() == view.length()
                && flat.offset() == view.offset()
                && flat.data().addressPointer().address() == view.data().addressPointer().address();
        if (own || (flat != null && flat == view)) {   // the latter: DL4J's own test already holds
            standardSteps++;
        }
        super.update(own ? new Viewed(gradient, view) : gradient, iteration, epoch, batchSize, workspaceMgr);
    }

    /** Steps that took DL4J's standard path (for tests). */
    long standardSteps() {
        return standardSteps;
    }

    /** {@code g} with {@link #gradient()} returning the network's own gradient view object. */
    private record Viewed(Gradient g, INDArray view) implements Gradient {
        @Override
        public Map<String, INDArray> gradientForVariable() {
            return g.gradientForVariable();
        }

        @Override
        public INDArray gradient(List<String> order) {
            return g.gradient(order);
        }

        @Override
        public INDArray gradient() {
            return view;
        }

        @Override
        public void clear() {
            g.clear();
        }

        @Override
        public INDArray getGradientFor(String variable) {
            return g.getGradientFor(variable);
        }

        @Override
        public INDArray setGradientFor(String variable, INDArray gradient) {
            return g.setGradientFor(variable, gradient);
        }

        @Override
        public INDArray setGradientFor(String variable, INDArray gradient, Character flatteningOrder) {
            return g.setGradientFor(variable, gradient, flatteningOrder);
        }

        @Override
        public Character flatteningOrderForVariable(String variable) {
            return g.flatteningOrderForVariable(variable);
        }
    }
}
