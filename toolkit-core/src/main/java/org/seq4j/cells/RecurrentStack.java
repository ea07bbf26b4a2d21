package org.seq4j.cells;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.nd4j.linalg.activations.Activation;
import org.seq4j.layers.Gru;
import org.seq4j.layers.Lstm;
import org.seq4j.layers.Srn;
import org.seq4j.layers.Scrn;
import org.seq4j.util.Checks;

/**
 * Adds a recurrent encoder described by a {@link RecurrentSpec} to a {@code ComputationGraph} under construction: the
 * same wiring for every cell.
 *
 * <pre>
 *   input ─▶ name_1 ─▶ name_2 ─▶ … ─▶ name_L          (layers = L; a single layer is just "name")
 * </pre>
 * LSTM and SRN are DL4J's layers with their M2.1 runtime defects fixed ({@link Lstm}, {@link Srn}); GRU is seq4j's.
 * A bidirectional LSTM, GRU or SRN layer is DL4J's {@code Bidirectional} wrapper. SCRN is a SameDiff layer, which DL4J
 * cannot wrap (M2.1 bug B4), so a bidirectional SCRN layer is built as two layers and a merge:
 * {@code name_fwd}, {@code name_bwd} (reverse = true) and {@code name} = merge (MergeVertex for CONCAT,
 * ElementWiseVertex Add / Product / Average otherwise), with the same semantics as {@code Bidirectional}.
 *
 * <p>Graph input types are needed (sizes are inferred).
 */
public final class RecurrentStack {

    private RecurrentStack() {
    }

    /**
     * Adds the stack.
     *
     * @return the name of the vertex holding the stack's output ({@code [mb, spec.outputSize(), T]})
     */
    public static String add(GraphBuilder graph, String name, String input, RecurrentSpec spec) {
        Checks.require(name != null && !name.isBlank(), "RecurrentStack: name must not be empty");
        String in = input;
        for (int l = 1; l <= spec.layers(); l++) {
            String layerName = spec.layers() == 1 ? name : name + "_" + l;
            addLayer(graph, layerName, in, spec);
            in = layerName;
        }
        return in;
    }

    private static void addLayer(GraphBuilder graph, String name, String input, RecurrentSpec spec) {
        if (spec.cell() == CellType.SCRN) {
            if (spec.bidirectional() == null) {
                graph.addLayer(name, scrn(spec, false), input);
                return;
            }
            graph.addLayer(name + "_fwd", scrn(spec, false), input);
            graph.addLayer(name + "_bwd", scrn(spec, true), input);
            graph.addVertex(name, merge(spec.bidirectional()), name + "_fwd", name + "_bwd");
            return;
        }
        Layer layer = builtIn(spec);
        graph.addLayer(name, spec.bidirectional() == null ? layer : new Bidirectional(spec.bidirectional(), layer),
                input);
    }

    private static org.deeplearning4j.nn.conf.graph.GraphVertex merge(Bidirectional.Mode mode) {
        return switch (mode) {
            case CONCAT -> new MergeVertex();
            case ADD -> new ElementWiseVertex(ElementWiseVertex.Op.Add);
            case MUL -> new ElementWiseVertex(ElementWiseVertex.Op.Product);
            case AVERAGE -> new ElementWiseVertex(ElementWiseVertex.Op.Average);
        };
    }

    private static Scrn scrn(RecurrentSpec spec, boolean reverse) {
        Scrn.Builder b = new Scrn.Builder().units(spec.units()).contextUnits(spec.contextUnits()).alpha(spec.alpha())
                .learnAlpha(spec.learnAlpha()).reverse(reverse);
        if (spec.dropout() > 0) {
            b.dropOut(new Dropout(1 - spec.dropout()));
        }
        return b.build();
    }

    private static BaseRecurrentLayer builtIn(RecurrentSpec spec) {
        BaseRecurrentLayer.Builder<?> b = switch (spec.cell()) {
            case LSTM -> new LSTM.Builder().activation(Activation.TANH);
            case GRU -> new Gru.Builder().variant(spec.gruVariant());
            case SRN -> new SimpleRnn.Builder().activation(Activation.TANH);
            case SCRN -> throw new IllegalStateException("SCRN is not a built-in recurrent layer");
        };
        b.nOut(spec.units());
        if (spec.dropout() > 0) {
            b.dropOut(new Dropout(1 - spec.dropout()));   // DL4J's Dropout takes the retain probability
        }
        BaseRecurrentLayer layer = (BaseRecurrentLayer) b.build();
        // DL4J's LSTM and SimpleRnn with their M2.1 runtime defects fixed (masks, rnnTimeStep on stacks)
        return switch (spec.cell()) {
            case LSTM -> Lstm.of((LSTM) layer);
            case SRN -> Srn.of((SimpleRnn) layer);
            default -> layer;
        };
    }
}
