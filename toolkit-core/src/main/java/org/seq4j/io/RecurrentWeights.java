package org.seq4j.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.seq4j.core.GruCell;
import org.seq4j.core.LstmCell;
import org.seq4j.core.Recurrent;
import org.seq4j.core.RecurrentCell;
import org.seq4j.core.SrnCell;
import org.seq4j.layers.Lstm;
import org.seq4j.layers.Srn;
import org.seq4j.util.Checks;

/**
 * What {@link WeightImport} and {@link WeightExport} share: the directions of a graph's recurrent layer and the gate
 * orders of each framework.
 *
 * <p>Gate blocks: seq4j LSTM {@code [g|f|o|i]} (DL4J's order), PyTorch and Keras LSTM {@code [i|f|g|o]}; seq4j and
 * PyTorch GRU {@code [r|z|n]}, Keras GRU {@code [z|r|h]}. seq4j stores {@code W [nIn, G·H]} (x·W), PyTorch
 * {@code weight_ih [G·H, nIn]} (W·x), Keras {@code kernel [nIn, G·H]} (x·W).
 */
final class RecurrentWeights {

    private RecurrentWeights() {
    }

    /** seq4j LSTM block k is PyTorch/Keras block LSTM_FROM_TORCH[k]. */
    static final int[] LSTM_FROM_TORCH = {2, 1, 3, 0};
    static final int[] GRU_FROM_TORCH = {0, 1, 2};
    static final int[] GRU_FROM_KERAS = {1, 0, 2};
    static final int[] SRN = {0};

    /** One direction of a layer: the key prefix of its parameters, its cell and size, and the parameter views. */
    record Direction(String prefix, RecurrentCell cell, long units, Map<String, INDArray> params) {
        INDArray param(String key) {
            INDArray p = params.get(prefix + key);
            Checks.require(p != null, "layer parameter '%s' not found", prefix + key);
            return p;
        }
    }

    /** The forward (and, for {@code Bidirectional}, backward) direction of layer {@code name}. */
    static List<Direction> directions(ComputationGraph g, String name) {
        Checks.require(g.getConfiguration().getVertices().containsKey(name), "The graph has no layer '%s'; its "
                + "vertices are %s", name, g.getConfiguration().getVertices().keySet());
        Layer layer = g.getLayer(name);
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
        List<Direction> out = new ArrayList<>();
        if (conf instanceof Bidirectional bi) {
            out.add(new Direction("f", cell(bi.getFwd(), name), units(bi.getFwd()), layer.paramTable()));
            out.add(new Direction("b", cell(bi.getBwd(), name), units(bi.getBwd()), layer.paramTable()));
        } else {
            out.add(new Direction("", cell(conf, name), units(conf), layer.paramTable()));
        }
        return out;
    }

    private static RecurrentCell cell(org.deeplearning4j.nn.conf.layers.Layer conf, String name) {
        if (conf instanceof Recurrent r) {
            return r.getCell();
        }
        if (conf instanceof Lstm lstm) {
            return new LstmCell(lstm.getForgetGateBiasInit());
        }
        if (conf instanceof Srn) {
            return new SrnCell();
        }
        throw new IllegalArgumentException("Layer '" + name + "' is a " + conf.getClass().getSimpleName()
                + "; weights can be imported into seq4j recurrent layers (lstm, gru, srn)");
    }

    private static long units(org.deeplearning4j.nn.conf.layers.Layer conf) {
        if (conf instanceof Recurrent r) {
            return r.getUnits();
        }
        return ((org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer) conf).getNOut();
    }

    static int[] torchOrder(RecurrentCell cell) {
        if (cell instanceof LstmCell) {
            return LSTM_FROM_TORCH;
        }
        if (cell instanceof GruCell) {
            return GRU_FROM_TORCH;
        }
        if (cell instanceof SrnCell) {
            return SRN;
        }
        throw new IllegalArgumentException("No PyTorch counterpart for " + cell.kind()
                + " (lstm -> nn.LSTM, gru -> nn.GRU, srn -> nn.RNN)");
    }

    static int[] kerasOrder(RecurrentCell cell) {
        if (cell instanceof LstmCell) {
            return LSTM_FROM_TORCH;
        }
        if (cell instanceof GruCell) {
            return GRU_FROM_KERAS;
        }
        if (cell instanceof SrnCell) {
            return SRN;
        }
        throw new IllegalArgumentException("No Keras counterpart for " + cell.kind()
                + " (lstm -> LSTM, gru -> GRU, srn -> SimpleRNN)");
    }

    /** Columns of {@code m [rows, blocks·h]} in blocks: result block k = m's block {@code from[k]}. */
    static INDArray reorderColumns(INDArray m, int[] from, long h) {
        INDArray out = Nd4j.createUninitialized(m.dataType(), m.shape(), 'c');
        for (int k = 0; k < from.length; k++) {
            out.get(NDArrayIndex.all(), NDArrayIndex.interval(k * h, (k + 1) * h))
                    .assign(m.get(NDArrayIndex.all(), NDArrayIndex.interval(from[k] * h, (from[k] + 1) * h)));
        }
        return out;
    }

    /** The inverse permutation: {@code inverse(from)[from[k]] = k}. */
    static int[] inverse(int[] from) {
        int[] inv = new int[from.length];
        for (int k = 0; k < from.length; k++) {
            inv[from[k]] = k;
        }
        return inv;
    }

    /** A 1-D or {@code [1, n]} array as a row {@code [1, n]}. */
    static INDArray row(INDArray v) {
        return v.reshape(1, v.length());
    }

    static void requireShape(INDArray a, String source, String key, long... shape) {
        Checks.require(a != null, "%s: no array '%s'", source, key);
        Checks.require(java.util.Arrays.equals(a.shape(), shape) || (shape.length == 2 && shape[0] == 1
                        && a.rank() == 1 && a.length() == shape[1]),
                "%s: '%s' has shape %s, expected %s", source, key, java.util.Arrays.toString(a.shape()),
                java.util.Arrays.toString(shape));
    }
}
