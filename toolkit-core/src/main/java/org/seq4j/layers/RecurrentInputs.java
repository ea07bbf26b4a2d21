package org.seq4j.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Input handling shared by seq4j's recurrent runtimes. */
final class RecurrentInputs {

    private RecurrentInputs() {
    }

    /**
     * The input for {@code rnnTimeStep}, detached from any workspace. DL4J M2.1's
     * {@code ComputationGraph.rnnTimeStep} hands a layer the previous layer's output, still attached to the graph's
     * activation workspace, without opening the INPUT workspace that {@code setInput} leverages it to; every recurrent
     * layer above the first then fails. A detached input is never leveraged. Costs one copy of one step's input.
     */
    static INDArray forTimeStep(INDArray input) {
        return input.isAttached() ? input.detach() : input;
    }
}
