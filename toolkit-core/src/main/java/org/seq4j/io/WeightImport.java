package org.seq4j.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seq4j.core.GruCell;
import org.seq4j.layers.GruVariant;
import org.seq4j.util.Checks;

/**
 * Loads PyTorch or Keras weights into seq4j's recurrent layers (LSTM, GRU, SRN), converting layouts and gate orders
 * (see {@code docs/layers.md}, "Weights from PyTorch and Keras"). DL4J's own Keras importer has no GRU (its issue
 * #10039); this covers GRU in both reset placements.
 *
 * <pre>{@code
 * // a stack built by RecurrentStack.add(g, "enc", "in", RecurrentSpec.of("lstm", 256).withLayers(2)
 * //     .withBidirectional(Bidirectional.Mode.CONCAT)), and torch.save-d as numpy.savez(**state_dict):
 * WeightImport.pyTorch(graph, "enc", 2, Npz.read(Path.of("lstm.npz")));
 * }</pre>
 */
public final class WeightImport {

    private WeightImport() {
    }

    /** {@link #pyTorch(ComputationGraph, String, int, Map)} from a {@code .npz} file. */
    public static void pyTorch(ComputationGraph graph, String stack, int layers, Path npz) {
        pyTorch(graph, stack, layers, Npz.read(npz));
    }

    /**
     * Sets the weights of the stack named {@code stack} ({@code layers} layers, named as {@code RecurrentStack}
     * names them: {@code stack} alone, or {@code stack_1 .. stack_L}) from a PyTorch {@code nn.LSTM}, {@code nn.GRU}
     * or {@code nn.RNN} state dict: {@code weight_ih_l{k}}, {@code weight_hh_l{k}}, {@code bias_ih_l{k}},
     * {@code bias_hh_l{k}}, with {@code _reverse} for the backward direction of a bidirectional layer. LSTM and SRN
     * have one bias in seq4j: {@code b = bias_ih + bias_hh}. A GRU must be {@link GruVariant#RESET_AFTER} (PyTorch's
     * form): {@code b = bias_ih}, {@code rb = bias_hh}.
     */
    public static void pyTorch(ComputationGraph graph, String stack, int layers, Map<String, INDArray> stateDict) {
        Checks.require(layers > 0, "WeightImport.pyTorch: layers must be > 0, got %d", layers);
        for (int l = 0; l < layers; l++) {
            String name = layers == 1 ? stack : stack + "_" + (l + 1);
            List<RecurrentWeights.Direction> dirs = RecurrentWeights.directions(graph, name);
            for (int d = 0; d < dirs.size(); d++) {
                RecurrentWeights.Direction dir = dirs.get(d);
                String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
                int[] order = RecurrentWeights.torchOrder(dir.cell());
                long h = dir.units();
                long gh = order.length * h;
                long nIn = dir.param("W").size(0);
                String src = "PyTorch state dict, layer '" + name + "'";
                INDArray wih = stateDict.get("weight_ih" + suffix);
                INDArray whh = stateDict.get("weight_hh" + suffix);
                INDArray bih = stateDict.get("bias_ih" + suffix);
                INDArray bhh = stateDict.get("bias_hh" + suffix);
                RecurrentWeights.requireShape(wih, src, "weight_ih" + suffix, gh, nIn);
                RecurrentWeights.requireShape(whh, src, "weight_hh" + suffix, gh, h);
                RecurrentWeights.requireShape(bih, src, "bias_ih" + suffix, 1, gh);
                RecurrentWeights.requireShape(bhh, src, "bias_hh" + suffix, 1, gh);
                dir.param("W").assign(RecurrentWeights.reorderColumns(wih.transpose(), order, h));
                dir.param("RW").assign(RecurrentWeights.reorderColumns(whh.transpose(), order, h));
                INDArray bi = RecurrentWeights.row(bih);
                INDArray bh = RecurrentWeights.row(bhh);
                if (dir.cell() instanceof GruCell gru) {
                    Checks.require(gru.getVariant() == GruVariant.RESET_AFTER,
                            "%s: PyTorch's GRU applies the reset gate after the recurrent product; build the "
                                    + "layer with GruVariant.RESET_AFTER", src);
                    dir.param("b").assign(RecurrentWeights.reorderColumns(bi, order, h));
                    dir.param("rb").assign(RecurrentWeights.reorderColumns(bh, order, h));
                } else {
                    dir.param("b").assign(RecurrentWeights.reorderColumns(bi.add(bh), order, h));
                }
            }
        }
    }

    /**
     * Sets the weights of layer {@code layer} from a Keras {@code LSTM}, {@code GRU} or {@code SimpleRNN}:
     * {@code kernel [nIn, G·H]}, {@code recurrent_kernel [H, G·H]}, {@code bias} ({@code [G·H]}, or
     * {@code [2, 3H]} for a GRU with {@code reset_after=True}: input and recurrent bias). A bidirectional layer takes
     * {@code forward/kernel} ... and {@code backward/kernel} ... . The GRU's reset placement must match:
     * {@code reset_after=True} ↔ {@link GruVariant#RESET_AFTER}, {@code False} ↔ {@link GruVariant#RESET_BEFORE}.
     */
    public static void keras(ComputationGraph graph, String layer, Map<String, INDArray> weights) {
        List<RecurrentWeights.Direction> dirs = RecurrentWeights.directions(graph, layer);
        for (int d = 0; d < dirs.size(); d++) {
            RecurrentWeights.Direction dir = dirs.get(d);
            String pre = dirs.size() == 1 ? "" : (d == 0 ? "forward/" : "backward/");
            int[] order = RecurrentWeights.kerasOrder(dir.cell());
            long h = dir.units();
            long gh = order.length * h;
            long nIn = dir.param("W").size(0);
            String src = "Keras weights, layer '" + layer + "'";
            INDArray kernel = weights.get(pre + "kernel");
            INDArray rec = weights.get(pre + "recurrent_kernel");
            INDArray bias = weights.get(pre + "bias");
            RecurrentWeights.requireShape(kernel, src, pre + "kernel", nIn, gh);
            RecurrentWeights.requireShape(rec, src, pre + "recurrent_kernel", h, gh);
            Checks.require(bias != null, "%s: no array '%s'", src, pre + "bias");
            dir.param("W").assign(RecurrentWeights.reorderColumns(kernel, order, h));
            dir.param("RW").assign(RecurrentWeights.reorderColumns(rec, order, h));
            if (dir.cell() instanceof GruCell gru && gru.getVariant() == GruVariant.RESET_AFTER) {
                RecurrentWeights.requireShape(bias, src, pre + "bias (reset_after=True)", 2, gh);
                dir.param("b").assign(RecurrentWeights.reorderColumns(bias.getRow(0, true), order, h));
                dir.param("rb").assign(RecurrentWeights.reorderColumns(bias.getRow(1, true), order, h));
            } else {
                Checks.require(!(dir.cell() instanceof GruCell) || bias.rank() == 1 || bias.size(0) == 1,
                        "%s: '%s' has shape %s: a reset_after=True GRU needs a RESET_AFTER layer", src,
                        pre + "bias", java.util.Arrays.toString(bias.shape()));
                RecurrentWeights.requireShape(bias, src, pre + "bias", 1, gh);
                dir.param("b").assign(RecurrentWeights.reorderColumns(RecurrentWeights.row(bias), order, h));
            }
        }
    }
}
