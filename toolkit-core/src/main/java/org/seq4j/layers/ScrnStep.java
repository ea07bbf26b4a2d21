package org.seq4j.layers;

import java.util.Map;

import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.seq4j.util.Checks;

/**
 * The step-by-step form of a trained {@link Scrn} layer, in plain ND4J on the layer's own parameter arrays, for
 * generation and decoding (DL4J's {@code rnnTimeStep} cannot carry state through a SameDiff layer: M2.1 bug B4).
 * It computes exactly the equations of {@link Scrn}; {@code ScrnTest} checks that T steps equal the parallel layer.
 *
 * <pre>{@code
 * ScrnStep cell = ScrnStep.of(graph, "scrn");
 * ScrnStep.State state = cell.initialState(1);
 * for (INDArray x : inputs) {            // x: [mb, nIn]
 *     state = cell.step(x, state);
 *     INDArray out = state.output();     // [mb, H + C], what the layer outputs at this step
 * }
 * }</pre>
 */
public final class ScrnStep {

    /** The two states after a step: context {@code s [mb, C]} and hidden {@code h [mb, H]}. */
    public record State(INDArray context, INDArray hidden) {
        /** The layer's output at this step, {@code [h; s]}: {@code [mb, H + C]}. */
        public INDArray output() {
            return Nd4j.concat(1, hidden, context);
        }
    }

    private final INDArray b;
    private final INDArray a;
    private final INDArray p;
    private final INDArray r;
    private final INDArray bias;
    private final INDArray alpha;        // [1, C]

    private ScrnStep(Scrn conf, Map<String, INDArray> params) {
        Checks.require(!conf.isReverse(),
                "ScrnStep: layer %s runs backwards in time (reverse = true); a step form can only run forwards",
                Checks.layerName(conf.getLayerName()));
        this.b = params.get(Scrn.B);
        this.a = params.get(Scrn.A);
        this.p = params.get(Scrn.P);
        this.r = params.get(Scrn.R);
        this.bias = params.get(Scrn.BIAS);
        this.alpha = conf.isLearnAlpha()
                ? Transforms.sigmoid(params.get(Scrn.ALPHA_LOGIT), true)
                : Nd4j.valueArrayOf(new long[] {1, conf.getContextUnits()}, conf.getAlpha(), b.dataType());
    }

    /** The step form of layer {@code layerName} of a graph, sharing (not copying) its parameters. */
    public static ScrnStep of(ComputationGraph graph, String layerName) {
        Checks.require(graph.getLayer(layerName) != null, "ScrnStep: the graph has no layer '%s'", layerName);
        SameDiffLayer conf = (SameDiffLayer) graph.getLayer(layerName).conf().getLayer();
        Checks.require(conf instanceof Scrn, "ScrnStep: layer '%s' is a %s, not a Scrn", layerName,
                conf.getClass().getSimpleName());
        return new ScrnStep((Scrn) conf, graph.getLayer(layerName).paramTable());
    }

    /** Zero states for a minibatch of {@code mb}. */
    public State initialState(long mb) {
        return new State(Nd4j.zeros(b.dataType(), mb, b.size(1)), Nd4j.zeros(b.dataType(), mb, a.size(1)));
    }

    /** One step from input {@code x [mb, nIn]}. */
    public State step(INDArray x, State prev) {
        Checks.require(x.rank() == 2 && x.size(1) == b.size(0),
                "ScrnStep: expected input [minibatch, nIn=%d], got %s", b.size(0), java.util.Arrays.toString(x.shape()));
        // s_t = (1 − α)·x·B + α·s_{t−1}
        INDArray s = x.mmul(b).muliRowVector(alpha.rsub(1.0)).addi(prev.context().mulRowVector(alpha));
        // h_t = σ(s_t·P + x·A + h_{t−1}·R + b)
        INDArray pre = s.mmul(p).addi(x.mmul(a)).addi(prev.hidden().mmul(r)).addiRowVector(bias);
        return new State(s, Transforms.sigmoid(pre, false));
    }
}
