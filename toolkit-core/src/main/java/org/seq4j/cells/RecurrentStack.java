package org.seq4j.cells;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.SpatialDropout;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.seq4j.core.FastBidirectional;
import org.seq4j.core.Act;
import org.seq4j.core.GruCell;
import org.seq4j.core.JordanCell;
import org.seq4j.core.LstmCell;
import org.seq4j.core.Recurrent;
import org.seq4j.core.RecurrentCell;
import org.seq4j.core.ScrnCell;
import org.seq4j.core.SrnCell;
import org.seq4j.util.Checks;

/**
 * Adds a recurrent encoder described by a {@link RecurrentSpec} to a {@code ComputationGraph} under construction: the
 * same wiring for every cell.
 *
 * <pre>
 *   input ─▶ name_1 ─▶ name_2 ─▶ … ─▶ name_L          (layers = L; a single layer is just "name")
 * </pre>
 * Every layer is a {@link Recurrent} on the recurrent core with the spec's cell; a bidirectional layer is DL4J's
 * {@code Bidirectional} wrapper around it. Graph input types are needed (sizes are inferred).
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
            Layer layer = layer(spec);
            graph.addLayer(layerName,
                    spec.bidirectional() == null ? layer : new FastBidirectional(spec.bidirectional(), layer), in);
            in = layerName;
        }
        return in;
    }

    /** One layer of the spec's cell (unidirectional). */
    public static Recurrent layer(RecurrentSpec spec) {
        Recurrent.Builder b = new Recurrent.Builder().cell(cell(spec)).units(spec.units())
                .recurrentDropout(spec.recurrentDropout());
        if (spec.dropout() > 0) {
            // DL4J's dropouts take the retain probability; SpatialDropout on [mb, n, T] draws a [mb, n] mask and
            // applies it at every step: one mask per sequence
            b.dropOut(spec.lockedDropout() ? new SpatialDropout(1 - spec.dropout()) : new Dropout(1 - spec.dropout()));
        }
        return b.build();
    }

    /** The spec's cell. */
    public static RecurrentCell cell(RecurrentSpec spec) {
        return switch (spec.cell()) {
            case LSTM -> new LstmCell();
            case GRU -> new GruCell(spec.gruVariant());
            case SRN -> new SrnCell(spec.activation());
            case SCRN -> new ScrnCell(spec.contextUnits(), spec.alpha(), spec.learnAlpha());
            case JORDAN -> new JordanCell(0, spec.activation(), Act.TANH);
        };
    }
}
