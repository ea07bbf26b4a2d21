package org.seq4j.samediff;

import java.util.HashMap;
import java.util.Map;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ops.impl.layers.ExternalErrorsFunction;

/**
 * Runtime for seq4j's SameDiff recurrent layers: DL4J's {@link SameDiffLayer} with two M2.1 workarounds.
 * <ul>
 *   <li><b>B3, one graph per sequence length.</b> The stock runtime declares its input placeholder
 *       {@code [-1, nIn, T_first]} and keeps that graph, so a later batch with another T fails inside SameDiff. A layer
 *       unrolled over time needs a static T anyway, so this runtime builds and caches one graph per T; all graphs share
 *       the same parameter arrays (views of the network's parameters). Each new T costs one graph build (0.5–3 s at
 *       T = 50): bucket sequence lengths to a few values.</li>
 *   <li><b>B1, doubled gradients.</b> Corrected through {@link SameDiffGradientFix}.</li>
 * </ul>
 * Nothing here is serialized: after loading a model the graphs are rebuilt lazily.
 */
public class PerLengthSameDiffLayer extends SameDiffLayer {

    private final Map<Long, Graph> graphs = new HashMap<>();

    private record Graph(SameDiff sameDiff, SDVariable outputVar, ExternalErrorsFunction fn, String outputKey) {
    }

    public PerLengthSameDiffLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Number of graphs built so far, one per distinct sequence length seen. */
    public int graphCount() {
        return graphs.size();
    }

    private void selectGraph() {
        long steps = input.rank() == 3 ? input.size(2) : -1;
        Graph g = graphs.get(steps);
        if (g == null) {
            sameDiff = null;
            doInit();
            graphs.put(steps, new Graph(sameDiff, outputVar, fn, outputKey));
        } else {
            sameDiff = g.sameDiff();
            outputVar = g.outputVar();
            fn = g.fn();
            outputKey = g.outputKey();
        }
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        ((org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer) layerConf()).validateInput(input);
        selectGraph();
        return super.activate(training, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        selectGraph();
        if (!sameDiff.hasGradientFunction()) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                QuietStdout.run(() -> sameDiff.createGradFunction(INPUT_KEY));
            }
        }
        Pair<Gradient, INDArray> r = super.backpropGradient(epsilon, workspaceMgr);
        SameDiffGradientFix.correctParameterGradients(r.getFirst());
        SameDiffGradientFix.correctInputGradient(r.getSecond());
        return r;
    }
}
