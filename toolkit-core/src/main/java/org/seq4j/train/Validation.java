package org.seq4j.train;

import java.util.function.ToDoubleFunction;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.seq4j.util.Checks;

/**
 * A validation metric for early stopping and model selection: its name, how to compute it on the current model,
 * and whether higher is better.
 */
public record Validation(String name, ToDoubleFunction<ComputationGraph> metric, boolean higherIsBetter) {

    public Validation {
        Checks.require(name != null && !name.isBlank(), "Validation: name must not be empty");
        Checks.require(metric != null, "Validation: metric must not be null");
    }

    /** Whether {@code candidate} improves on {@code best} (NaN never does; anything beats NaN). */
    public boolean better(double candidate, double best) {
        if (Double.isNaN(candidate)) {
            return false;
        }
        if (Double.isNaN(best)) {
            return true;
        }
        return higherIsBetter ? candidate > best : candidate < best;
    }
}
