package org.seq4j.cells;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seq4j.core.Act;
import org.seq4j.testkit.RestoresDataType;
import org.seq4j.testkit.Arrays3;
import org.seq4j.testkit.GradientChecks;
import org.seq4j.testkit.TestGraphs;

@ExtendWith(RestoresDataType.class)
class RecurrentStackTest {

    private static final int N_IN = 3;

    @BeforeAll
    static void doublePrecision() {
        GradientChecks.useDoublePrecision();
    }

    static ComputationGraph stack(RecurrentSpec spec) {
        ComputationGraphConfiguration.GraphBuilder b = TestGraphs.doubleGraph().addInputs("in");
        String out = RecurrentStack.add(b, "enc", "in", spec);
        ComputationGraph g = new ComputationGraph(b.setOutputs(out).setInputTypes(InputType.recurrent(N_IN)).build());
        g.init();
        TestGraphs.randomizeParams(g, 31, 0.9);
        return g;
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void paddedBatchEqualsEachSequenceAloneForEveryCellAndDirection(CellType cell) {
        for (Bidirectional.Mode mode : new Bidirectional.Mode[] {null, Bidirectional.Mode.CONCAT, Bidirectional.Mode.ADD}) {
            RecurrentSpec spec = RecurrentSpec.of(cell, 4).withLayers(2).withBidirectional(mode);
            ComputationGraph g = stack(spec);
            int[] lengths = {6, 3, 1};
            INDArray x = TestGraphs.uniform(32, 3, N_IN, 6);
            for (int i = 0; i < 3; i++) {
                x.get(point(i), all(), interval(lengths[i], 6)).assign(99.0);
            }
            INDArray batch = g.output(false, new INDArray[] {x}, new INDArray[] {Arrays3.prefixMask(6, lengths)})[0];
            assertThat(batch.size(1)).isEqualTo(spec.outputSize());
            for (int i = 0; i < 3; i++) {
                INDArray alone = g.outputSingle(x.get(interval(i, i + 1), all(), interval(0, lengths[i])).dup());
                INDArray inBatch = batch.get(interval(i, i + 1), all(), interval(0, lengths[i]));
                assertThat(inBatch.sub(alone).amaxNumber().doubleValue())
                        .as("%s, example %d", spec.label() + (mode == null ? "" : " " + mode), i).isLessThan(1e-10);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"LSTM", "GRU", "SRN"})
    void rnnTimeStepEqualsFullSequence(CellType cell) {
        ComputationGraph g = stack(RecurrentSpec.of(cell, 5).withLayers(2));
        INDArray x = TestGraphs.uniform(33, 2, N_IN, 7);
        INDArray full = g.outputSingle(x);
        g.rnnClearPreviousState();
        for (int t = 0; t < 7; t++) {
            INDArray step = g.rnnTimeStep(x.get(all(), all(), interval(t, t + 1)))[0];
            assertThat(step.reshape(2, 5).sub(full.get(all(), all(), point(t))).amaxNumber().doubleValue())
                    .as("%s step %d", cell, t).isLessThan(1e-12);
        }
        // two steps at a time continue from the stored state too
        g.rnnClearPreviousState();
        INDArray first = g.rnnTimeStep(x.get(all(), all(), interval(0, 4)))[0];
        INDArray rest = g.rnnTimeStep(x.get(all(), all(), interval(4, 7)))[0];
        assertThat(rest.sub(full.get(all(), all(), interval(4, 7))).amaxNumber().doubleValue()).isLessThan(1e-12);
        assertThat(first.sub(full.get(all(), all(), interval(0, 4))).amaxNumber().doubleValue()).isLessThan(1e-12);
    }

    @Test
    void parsesCellNamesAndRejectsUnknownOnes() {
        assertThat(CellType.parse("gru")).isEqualTo(CellType.GRU);
        assertThat(CellType.parse(" Elman ")).isEqualTo(CellType.SRN);
        assertThat(CellType.parse("SCRN")).isEqualTo(CellType.SCRN);
        assertThatThrownBy(() -> CellType.parse("transformer"))
                .hasMessage("Unknown cell 'transformer'; expected one of lstm, gru, srn, scrn, jordan "
                        + "(case-insensitive; 'elman' and 'rnn' mean srn)");
        assertThatThrownBy(() -> RecurrentSpec.of(CellType.GRU, 0)).hasMessageContaining("units must be > 0, got 0");
        assertThatThrownBy(() -> RecurrentSpec.of(CellType.GRU, 8).withLayers(-1))
                .hasMessageContaining("layers must be > 0, got -1");
        assertThat(RecurrentSpec.of("scrn", 8).withBidirectional(Bidirectional.Mode.CONCAT).outputSize())
                .isEqualTo(2 * (8 + 2));
        assertThat(RecurrentSpec.of("gru", 64).withLayers(2).withBidirectional(Bidirectional.Mode.ADD).label())
                .isEqualTo("bigru-2x64");
    }

    @Test
    void srnActivationReachesTheCellAndIsStoredWithTheSpec() {
        // Mikolov et al. 2014's SRN: h_t = σ(x_t·W + h_{t−1}·R + b)
        RecurrentSpec spec = RecurrentSpec.of(CellType.SRN, 4).withActivation(Act.SIGMOID);
        ComputationGraph g = stack(spec);
        INDArray x = TestGraphs.uniform(34, 2, N_IN, 5);
        INDArray out = g.outputSingle(x);
        INDArray w = g.getLayer("enc").getParam("W");
        INDArray rw = g.getLayer("enc").getParam("RW");
        INDArray bias = g.getLayer("enc").getParam("b");
        for (int i = 0; i < 2; i++) {
            double[] h = new double[4];
            for (int t = 0; t < 5; t++) {
                double[] next = new double[4];
                for (int j = 0; j < 4; j++) {
                    double a = bias.getDouble(0, j);
                    for (int k = 0; k < N_IN; k++) {
                        a += x.getDouble(i, k, t) * w.getDouble(k, j);
                    }
                    for (int k = 0; k < 4; k++) {
                        a += h[k] * rw.getDouble(k, j);
                    }
                    next[j] = 1 / (1 + Math.exp(-a));
                    assertThat(Math.abs(out.getDouble(i, j, t) - next[j])).as("example %d unit %d step %d", i, j, t)
                            .isLessThan(1e-12);
                }
                h = next;
            }
        }
        assertThat(spec.label()).isEqualTo("srn-4-sigmoid");
        org.nd4j.shade.jackson.databind.ObjectMapper mapper = new org.nd4j.shade.jackson.databind.ObjectMapper();
        assertThat(RecurrentSpec.fromMap(mapper.valueToTree(spec.toMap()), "spec")).isEqualTo(spec);
        // a spec stored before the field existed reads as tanh
        org.nd4j.shade.jackson.databind.node.ObjectNode old = mapper.valueToTree(spec.toMap());
        old.remove("activation");
        assertThat(RecurrentSpec.fromMap(old, "spec").activation()).isEqualTo(Act.TANH);
        assertThatThrownBy(() -> RecurrentSpec.of(CellType.LSTM, 4).withActivation(Act.RELU))
                .hasMessage("RecurrentSpec: activation relu applies to the srn and jordan cells only; the lstm "
                        + "cell's activations are fixed by its equations");
    }
}
