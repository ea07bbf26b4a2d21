package org.seq4j.samediff;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.samediff.DL4JSameDiffMemoryMgr;
import org.deeplearning4j.nn.layers.samediff.SameDiffGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.array.SingleThreadArrayHolder;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.SessionMemMgr;
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
 *   <li><b>Stale input gradients.</b> See {@link #doBackward}.</li>
 * </ul>
 */
public class DynamicSameDiffVertex extends SameDiffGraphVertex {

    public DynamicSameDiffVertex(SameDiffVertex config, ComputationGraph graph, String name, int vertexIndex,
                                 INDArray paramsView, boolean initParams, DataType dataType) {
        super(config, graph, name, vertexIndex, paramsView, initParams, dataType);
    }

    /**
     * A copy of the stock {@code doBackward} that takes the input gradients from the map
     * {@code calculateGradients} returns (the stock code reads {@code sameDiff.grad(input).getArr()}, which after the
     * first call can return an array from an earlier session: a second backward pass on the same graph then sends
     * wrong gradients to the layers below; {@code AttentionTest} computes the gradient twice and checks both), and
     * halves parameter and input gradients (B1).
     */
    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        List<String> inputNames = config.getVertexParams().getInputs();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (sameDiff == null) {
                doInit();
            }
            if (!sameDiff.hasGradientFunction()) {
                QuietStdout.run(() -> sameDiff.createGradFunction(inputNames.toArray(new String[0])));
            }
        }
        config.validateInput(inputs);

        Map<Long, InferenceSession> sessions = sameDiff.getFunction("grad").getSessions();
        sessions.computeIfAbsent(Thread.currentThread().getId(),
                id -> SameDiff.getInferenceFactory().create(sameDiff.getFunction("grad")));
        SessionMemMgr mmgr = new DL4JSameDiffMemoryMgr(
                workspaceMgr.getWorkspaceName(ArrayType.BP_WORKING_MEM),
                workspaceMgr.getWorkspaceName(ArrayType.ACTIVATION_GRAD),
                workspaceMgr.getConfiguration(ArrayType.BP_WORKING_MEM),
                workspaceMgr.getConfiguration(ArrayType.ACTIVATION_GRAD));
        sessions.get(Thread.currentThread().getId()).setMmgr(mmgr);

        Map<String, INDArray> placeholders = placeholders();
        placeholders.put(fn.getGradPlaceholderName(), epsilon);
        List<String> required = new ArrayList<>(inputNames);
        required.addAll(paramTable.keySet());
        Map<String, INDArray> grads = sameDiff.calculateGradients(placeholders, required);

        Gradient g = new DefaultGradient();
        for (String key : paramTable.keySet()) {
            INDArray target = gradTable.get(key);
            target.assign(grads.get(key));
            g.gradientForVariable().put(key, target);
        }
        SameDiffGradientFix.correctParameterGradients(g);
        INDArray[] dLdIns = new INDArray[inputNames.size()];
        for (int j = 0; j < dLdIns.length; j++) {
            INDArray d = grads.get(inputNames.get(j));
            dLdIns[j] = d == null
                    ? workspaceMgr.create(ArrayType.ACTIVATION_GRAD, dataType, inputs[j].shape())
                    : SameDiffGradientFix.correctInputGradient(workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, d));
        }
        sameDiff.clearPlaceholders(true);
        sameDiff.clearOpInputs();
        return new Pair<>(g, dLdIns);
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (sameDiff == null) {
                doInit();
            }
        }
        config.validateInput(inputs);
        InferenceSession is = sameDiff.getSessions().computeIfAbsent(Thread.currentThread().getId(),
                id -> SameDiff.getInferenceFactory().create(sameDiff));
        is.setMmgr(new DL4JSameDiffMemoryMgr(
                workspaceMgr.getWorkspaceName(ArrayType.FF_WORKING_MEM),
                workspaceMgr.getWorkspaceName(ArrayType.ACTIVATIONS),
                workspaceMgr.getConfiguration(ArrayType.FF_WORKING_MEM),
                workspaceMgr.getConfiguration(ArrayType.ACTIVATIONS)));
        INDArray result = sameDiff.outputSingle(placeholders(), outputKey);
        sameDiff.clearPlaceholders(true);
        sameDiff.clearOpInputs();
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, result);
    }

    /**
     * Also forgets the masks: DL4J sets a vertex's masks only when a batch has masks, and its
     * {@code clearLayerMaskArrays} clears layers only, so without this a later batch without masks would reuse them.
     */
    @Override
    public void clearVertex() {
        super.clearVertex();
        maskArrays = null;
    }

    /**
     * Inputs and their masks by placeholder name; an input without a mask gets all ones. A mask whose shape does not
     * match its input is left over from an earlier batch (see {@link #clearVertex}) and is not used.
     */
    private Map<String, INDArray> placeholders() {
        Map<String, INDArray> ph = new HashMap<>();
        List<String> names = config.getVertexParams().getInputs();
        for (int i = 0; i < names.size(); i++) {
            ph.put(names.get(i), inputs[i]);
            INDArray mask = currentMask(maskArrays, i, inputs[i]);
            if (mask == null) {
                long[] s = inputs[i].shape();
                mask = Nd4j.ones(dataType, s[0], s.length == 3 ? s[2] : 1);
            }
            ph.put(names.get(i) + "_mask", mask.castTo(dataType));
        }
        return ph;
    }

    /**
     * Mask {@code i} of a vertex's masks when its shape matches {@code input} ({@code [mb, T]} for a recurrent input,
     * {@code [mb, …]} otherwise); null when there is none or it is left over from an earlier batch of another shape
     * (see {@link #clearVertex}).
     */
    public static INDArray currentMask(INDArray[] masks, int i, INDArray input) {
        INDArray mask = masks != null && i < masks.length ? masks[i] : null;
        long[] in = input.shape();
        if (mask != null && (mask.size(0) != in[0] || (in.length == 3 && mask.size(1) != in[2]))) {
            return null;
        }
        return mask;
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
