package org.seq4j.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Finite-difference gradient checks with written rules (STYLE P8): double precision, no updater, central differences
 * with {@code eps = 1e-6}, a parameter fails when its relative error exceeds {@code maxRelError = 1e-3} and its
 * absolute error exceeds {@code minAbsError = 1e-8}. The result is asserted, with the failing parameters (name, index,
 * analytic and numeric values) in the message.
 *
 * <p>Build the graph with {@code .dataType(DataType.DOUBLE)} and {@code .updater(new NoOp())} and no regularization or
 * gradient normalization (both are applied by the updater, not by backprop). Call {@link #useDoublePrecision()}
 * first: ND4J's default data type must be DOUBLE too (M2.1 note B11).
 */
public final class GradientChecks {

    public static final double EPS = 1e-6;
    public static final double MAX_REL_ERROR = 1e-3;
    public static final double MIN_ABS_ERROR = 1e-8;

    private GradientChecks() {
    }

    /** Sets ND4J's default floating point type to double, as every gradient check needs. */
    public static void useDoublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /** One parameter whose analytic gradient disagrees with the numeric one. */
    public record Failure(String param, long index, double analytic, double numeric, double relError) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s[%d]: backprop %.6e, numeric %.6e, relError %.3e",
                    param, index, analytic, numeric, relError);
        }
    }

    /** The outcome of a check: how many parameters were checked, the worst relative error, and the failures. */
    public record Result(int checked, double maxRelError, List<Failure> failures) {
        public boolean passed() {
            return failures.isEmpty();
        }
    }

    /** Checks every parameter of the graph and throws {@link AssertionError} listing the failures. */
    public static Result assertCorrect(ComputationGraph graph, INDArray[] inputs, INDArray[] labels,
                                       INDArray[] inputMasks, INDArray[] labelMasks) {
        Result r = check(graph, inputs, labels, inputMasks, labelMasks);
        if (!r.passed()) {
            List<Failure> shown = r.failures().subList(0, Math.min(10, r.failures().size()));
            throw new AssertionError("Gradient check failed for " + r.failures().size() + " of " + r.checked()
                    + " parameters (max relError " + r.maxRelError() + "); first: " + shown);
        }
        return r;
    }

    /** Checks every parameter of the graph and returns the result without asserting. */
    public static Result check(ComputationGraph graph, INDArray[] inputs, INDArray[] labels,
                               INDArray[] inputMasks, INDArray[] labelMasks) {
        if (graph.getConfiguration().getDataType() != DataType.DOUBLE || graph.params().dataType() != DataType.DOUBLE) {
            throw new IllegalStateException("Gradient checks need a DOUBLE graph: build it with .dataType(DataType.DOUBLE)");
        }
        graph.setInputs(inputs);
        graph.setLabels(labels);
        graph.setLayerMaskArrays(inputMasks, labelMasks);
        graph.computeGradientAndScore();
        // DL4J divides the gradient by the minibatch size in the updater, not in backprop; the score is per example.
        Gradient gradient = graph.gradient();
        new ComputationGraphUpdater(graph).update(gradient, 0, 0, graph.batchSize(), LayerWorkspaceMgr.noWorkspaces());
        Map<String, INDArray> gradients = new LinkedHashMap<>();
        gradient.gradientForVariable().forEach((k, v) -> gradients.put(k, v.dup(v.ordering())));
        graph.clearLayerMaskArrays();

        MultiDataSet data = new MultiDataSet(inputs, labels, inputMasks, labelMasks);
        List<Failure> failures = new ArrayList<>();
        double maxRel = 0.0;
        int checked = 0;
        for (Map.Entry<String, INDArray> e : graph.paramTable().entrySet()) {
            INDArray param = e.getValue();   // a view: writes change the graph's parameters
            INDArray grad = gradients.get(e.getKey());
            if (grad == null) {
                throw new AssertionError("No gradient was computed for parameter " + e.getKey());
            }
            for (long j = 0; j < param.length(); j++) {
                double orig = param.getDouble(j);
                param.putScalar(j, orig + EPS);
                double plus = graph.score(data, true);
                param.putScalar(j, orig - EPS);
                double minus = graph.score(data, true);
                param.putScalar(j, orig);
                double numeric = (plus - minus) / (2 * EPS);
                double a = grad.getDouble(j);
                double absError = Math.abs(a - numeric);
                double rel = absError == 0.0 ? 0.0 : absError / (Math.abs(a) + Math.abs(numeric));
                checked++;
                if (rel > MAX_REL_ERROR && absError > MIN_ABS_ERROR) {
                    failures.add(new Failure(e.getKey(), j, a, numeric, rel));
                }
                if (absError > MIN_ABS_ERROR) {
                    maxRel = Math.max(maxRel, rel);
                }
            }
        }
        return new Result(checked, maxRel, failures);
    }
}
