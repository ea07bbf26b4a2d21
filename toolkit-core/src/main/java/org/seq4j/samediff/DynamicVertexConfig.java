package org.seq4j.samediff;

import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Base of seq4j's SameDiff vertex configurations: instantiates the {@link DynamicSameDiffVertex} runtime (any
 * sequence length, gradient fix), copies DL4J's training settings in {@link #clone()}, and offers {@link #named}.
 *
 * @param <T> the concrete configuration type
 */
public abstract class DynamicVertexConfig<T extends DynamicVertexConfig<T>> extends SameDiffVertex {

    /** A new instance with this configuration's own fields (DL4J's training settings are copied by the caller). */
    protected abstract T copyOwnFields();

    /** Checks the configuration once the graph is initialised (sizes known); throws with a clear message. */
    protected void validate() {
    }

    /**
     * Names the vertex in build-time error messages (DL4J tells a vertex its name only when the graph is
     * initialised). Use the name given to {@code addVertex}.
     */
    public T named(String vertexName) {
        T c = clone();
        c.setName(vertexName);
        return c;
    }

    @Override
    public T clone() {
        T c = copyOwnFields();
        c.setName(getName());
        c.setRegularization(getRegularization());
        c.setRegularizationBias(getRegularizationBias());
        c.setUpdater(getUpdater());
        c.setBiasUpdater(getBiasUpdater());
        c.setGradientNormalization(getGradientNormalization());
        c.setGradientNormalizationThreshold(getGradientNormalizationThreshold());
        c.setDataType(getDataType());
        return c;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType networkDatatype) {
        setName(name);
        validate();
        return new DynamicSameDiffVertex(this, graph, name, idx, paramsView, initializeParams, networkDatatype);
    }
}
