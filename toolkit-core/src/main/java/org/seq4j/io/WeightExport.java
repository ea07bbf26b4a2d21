package org.seq4j.io;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seq4j.core.GruCell;
import org.seq4j.layers.GruVariant;
import org.seq4j.util.Checks;

/**
 * Writes seq4j's recurrent layers (LSTM, GRU, SRN) in PyTorch's or Keras' layout, the inverse of
 * {@link WeightImport}. seq4j's single LSTM/SRN bias goes to PyTorch's {@code bias_ih}, with {@code bias_hh = 0}
 * (the sum is what both frameworks compute).
 */
public final class WeightExport {

    private WeightExport() {
    }

    /** A PyTorch state dict ({@code weight_ih_l0}, ...) for the stack named {@code stack} of {@code layers}. */
    public static Map<String, INDArray> pyTorch(ComputationGraph graph, String stack, int layers) {
        Checks.require(layers > 0, "WeightExport.pyTorch: layers must be > 0, got %d", layers);
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (int l = 0; l < layers; l++) {
            String name = layers == 1 ? stack : stack + "_" + (l + 1);
            List<RecurrentWeights.Direction> dirs = RecurrentWeights.directions(graph, name);
            for (int d = 0; d < dirs.size(); d++) {
                RecurrentWeights.Direction dir = dirs.get(d);
                String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
                int[] back = RecurrentWeights.inverse(RecurrentWeights.torchOrder(dir.cell()));
                long h = dir.units();
                out.put("weight_ih" + suffix, RecurrentWeights.reorderColumns(dir.param("W"), back, h).transpose()
                        .dup('c'));
                out.put("weight_hh" + suffix, RecurrentWeights.reorderColumns(dir.param("RW"), back, h).transpose()
                        .dup('c'));
                INDArray b = RecurrentWeights.reorderColumns(dir.param("b"), back, h);
                out.put("bias_ih" + suffix, b.reshape(b.length()).dup());
                if (dir.cell() instanceof GruCell gru) {
                    Checks.require(gru.getVariant() == GruVariant.RESET_AFTER,
                            "Layer '%s' is a RESET_BEFORE GRU, which PyTorch's nn.GRU cannot express", name);
                    INDArray rb = RecurrentWeights.reorderColumns(dir.param("rb"), back, h);
                    out.put("bias_hh" + suffix, rb.reshape(rb.length()).dup());
                } else {
                    out.put("bias_hh" + suffix, Nd4j.zeros(b.dataType(), b.length()));
                }
            }
        }
        return out;
    }

    /** {@link #pyTorch(ComputationGraph, String, int)} written to a {@code .npz} file (atomically). */
    public static void pyTorch(ComputationGraph graph, String stack, int layers, Path npz) {
        Npz.write(npz, pyTorch(graph, stack, layers));
    }

    /** Keras weights ({@code kernel}, {@code recurrent_kernel}, {@code bias}; {@code forward/..., backward/...}). */
    public static Map<String, INDArray> keras(ComputationGraph graph, String layer) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        List<RecurrentWeights.Direction> dirs = RecurrentWeights.directions(graph, layer);
        for (int d = 0; d < dirs.size(); d++) {
            RecurrentWeights.Direction dir = dirs.get(d);
            String pre = dirs.size() == 1 ? "" : (d == 0 ? "forward/" : "backward/");
            int[] back = RecurrentWeights.inverse(RecurrentWeights.kerasOrder(dir.cell()));
            long h = dir.units();
            out.put(pre + "kernel", RecurrentWeights.reorderColumns(dir.param("W"), back, h));
            out.put(pre + "recurrent_kernel", RecurrentWeights.reorderColumns(dir.param("RW"), back, h));
            INDArray b = RecurrentWeights.reorderColumns(dir.param("b"), back, h);
            if (dir.cell() instanceof GruCell gru && gru.getVariant() == GruVariant.RESET_AFTER) {
                INDArray rb = RecurrentWeights.reorderColumns(dir.param("rb"), back, h);
                out.put(pre + "bias", Nd4j.vstack(b, rb));
            } else {
                out.put(pre + "bias", b.reshape(b.length()).dup());
            }
        }
        return out;
    }
}
