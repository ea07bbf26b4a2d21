package org.seq4j.samediff;

import java.util.LinkedHashMap;
import java.util.Map;

import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.samediff.SameDiffGraphVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.autodiff.util.SameDiffUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime for seq4j's SameDiff vertices (attention): DL4J's {@link SameDiffGraphVertex} with two M2.1 workarounds.
 * <ul>
 *   <li><b>B3, any sequence length.</b> The stock runtime declares each input placeholder with the shape of the first
 *       batch it sees, so a later batch with another length fails. Here recurrent inputs are declared
 *       {@code [-1, nFeatures, -1]} and their masks {@code [-1, -1]}; the vertex must then be built from
 *       length-agnostic ops (dynamic reshapes take their sizes from {@code sd.sizeAt}), and one graph serves every
 *       length.</li>
 *   <li><b>B1, doubled gradients.</b> Corrected through {@link SameDiffGradientFix}, for parameters and for every
 *       input gradient.</li>
 * </ul>
 */
public class DynamicSameDiffVertex extends SameDiffGraphVertex {

    public DynamicSameDiffVertex(SameDiffVertex config, ComputationGraph graph, String name, int vertexIndex,
                                 INDArray paramsView, boolean initParams, DataType dataType) {
        super(config, graph, name, vertexIndex, paramsView, initParams, dataType);
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        Pair<Gradient, INDArray[]> r = super.doBackward(tbptt, workspaceMgr);
        SameDiffGradientFix.correctParameterGradients(r.getFirst());
        for (INDArray dLdIn : r.getSecond()) {
            // The stock runtime returns the incoming epsilon itself for an identity edge; that one is not doubled.
            if (dLdIn != null && dLdIn != epsilon) {
                SameDiffGradientFix.correctInputGradient(dLdIn);
            }
        }
        return r;
    }

    @Override
    protected void doInit() {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            sameDiff = SameDiff.create();
            sameDiff.setArrayHolders(new SingleThreadArrayHolder(), new SingleThreadArrayHolder(), false);
            inputVars = new LinkedHashMap<>();
            Map<String, SDVariable> maskVars = new LinkedHashMap<>();
            int i = 0;
            for (String s : config.getVertexParams().getInputs()) {
                long[] shape = inputs[i++].shape().clone();
                shape[0] = -1;
                if (shape.length == 3) {
                    shape[2] = -1;   // any sequence length
                }
                inputVars.put(s, sameDiff.placeHolder(s, dataType, shape));
                maskVars.put(s, sameDiff.placeHolder(s + "_mask", dataType, -1, -1));
            }
            Map<String, SDVariable> params = new LinkedHashMap<>();
            config.getVertexParams().getParamShapes().forEach((k, shape) -> params.put(k, sameDiff.var(k, dataType, shape)));
            outputVar = config.defineVertex(sameDiff, inputVars, params, maskVars);
            for (Map.Entry<String, INDArray> e : paramTable.entrySet()) {
                sameDiff.associateArrayWithVariable(e.getValue(), sameDiff.getVariable(e.getKey()));
            }
            fn = SameDiffUtils.externalErrors(sameDiff, null, outputVar);
            fn.outputVariable();
            outputKey = outputVar.name();
        }
    }
}
