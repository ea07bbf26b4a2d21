package org.seq4j.cells;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A recurrent layer's input dropout: one mask per sequence when locked, one per step otherwise. */
class LockedDropoutTest {

    private static final int MB = 40;
    private static final int N = 6;
    private static final int T = 9;

    /**
     * The layer's input after its dropout, in a training pass over inputs of ones, and the gradient with respect to
     * the input of a backward pass through it.
     */
    private static INDArray[] droppedInput(RecurrentSpec spec) {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.DOUBLE).graphBuilder().addInputs("in")
                .setInputTypes(InputType.recurrent(N)).addLayer("rnn", RecurrentStack.layer(spec), "in")
                .setOutputs("rnn").build());
        g.init();
        g.initGradientsView();
        Layer layer = g.getLayer("rnn");
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        layer.setInput(Nd4j.ones(DataType.DOUBLE, MB, N, T), ws);
        layer.activate(true, ws);
        INDArray dropped = layer.input().dup();
        INDArray dx = layer.backpropGradient(Nd4j.ones(DataType.DOUBLE, MB, 4, T), ws).getSecond();
        return new INDArray[] {dropped, dx};
    }

    @Test
    void lockedDropoutKeepsOneMaskForEverySequenceStep() {
        RecurrentSpec spec = RecurrentSpec.of(CellType.SRN, 4).withDropout(0.5);
        INDArray[] lockedPass = droppedInput(spec.withLockedDropout(true));
        INDArray locked = lockedPass[0];
        INDArray perStep = droppedInput(spec)[0];
        int dropped = 0;
        int varying = 0;
        for (int i = 0; i < MB; i++) {
            for (int j = 0; j < N; j++) {
                double first = locked.getDouble(i, j, 0);
                assertThat(first).isIn(0.0, 2.0);   // kept inputs scaled by 1 / (1 − p)
                for (int t = 1; t < T; t++) {
                    assertThat(locked.getDouble(i, j, t)).as("example %d unit %d step %d", i, j, t).isEqualTo(first);
                }
                for (int t = 0; t < T; t++) {   // the backward pass goes through the same mask
                    assertThat(lockedPass[1].getDouble(i, j, t) == 0).isEqualTo(first == 0);
                }
                dropped += first == 0 ? 1 : 0;
                boolean varies = false;
                for (int t = 1; t < T; t++) {
                    varies |= perStep.getDouble(i, j, t) != perStep.getDouble(i, j, 0);
                }
                varying += varies ? 1 : 0;
            }
        }
        assertThat(dropped).as("about half of %d masks drop", MB * N).isBetween(80, 160);
        assertThat(varying).as("per-step masks change along the sequence").isGreaterThan(MB * N * 9 / 10);
        // the flag is part of the spec's stored form
        org.nd4j.shade.jackson.databind.JsonNode json = new org.nd4j.shade.jackson.databind.ObjectMapper()
                .valueToTree(spec.withLockedDropout(true).toMap());
        assertThat(RecurrentSpec.fromMap(json, "spec")).isEqualTo(spec.withLockedDropout(true));
    }
}
