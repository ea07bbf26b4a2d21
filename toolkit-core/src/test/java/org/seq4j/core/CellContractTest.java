package org.seq4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seq4j.testkit.RestoresDataType;
import org.seq4j.layers.GruVariant;
import org.seq4j.testkit.Arrays3;
import org.seq4j.testkit.GradientChecks;
import org.seq4j.testkit.ReferenceCells;
import org.seq4j.testkit.TestGraphs;

/**
 * The contract every recurrent cell of the core meets; a cell joins with one line in {@link #cells()}. All checks in
 * double precision: gradient checks (unmasked, right- and left-padded, mask on the features only, every
 * {@code Bidirectional} mode, with a trainable layer below so dL/dx is checked), equality with a plain-Java step
 * loop of the cell's equations, padded batch == each sequence alone (outputs and gradients), {@code rnnTimeStep} and
 * truncated-BPTT segments == the full sequence, the TBPTT gradient from a carried state against finite differences,
 * {@link CellState#reorder} == running the reordered batch, JSON, ModelSerializer and ModelArchive round trips, and
 * bad-config
 * errors naming the layer.
 */
@ExtendWith(RestoresDataType.class)
class CellContractTest {

    private static final int N_IN = 3;
    private static final int H = 3;
    private static final int T = 5;

    static Stream<Arguments> cells() {
        return Stream.of(
                Arguments.of("lstm", new LstmCell()),
                Arguments.of("lstm peepholes", new LstmCell(1.0, true)),
                Arguments.of("gru reset-after", new GruCell(GruVariant.RESET_AFTER)),
                Arguments.of("gru reset-before", new GruCell(GruVariant.RESET_BEFORE)),
                Arguments.of("srn tanh", new SrnCell(Act.TANH)),
                Arguments.of("srn relu", new SrnCell(Act.RELU)),
                Arguments.of("srn sigmoid (Mikolov et al. 2014)", new SrnCell(Act.SIGMOID)),
                Arguments.of("scrn fixed alpha", new ScrnCell(2, 0.95, false)),
                Arguments.of("scrn learned alpha", new ScrnCell(2, 0.8, true)),
                Arguments.of("jordan", new JordanCell(4, Act.TANH, Act.TANH)));
    }

    @BeforeAll
    static void doublePrecision() {
        GradientChecks.useDoublePrecision();
    }

    static Recurrent layer(RecurrentCell cell) {
        return new Recurrent.Builder().cell(cell).units(H).build();
    }

    private static INDArray leftPadMask(int steps, int... lengths) {
        INDArray m = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, lengths.length, steps);
        for (int i = 0; i < lengths.length; i++) {
            for (int t = steps - lengths[i]; t < steps; t++) {
                m.putScalar(i, t, 1.0);
            }
        }
        return m;
    }

    private static ComputationGraph between(org.deeplearning4j.nn.conf.layers.Layer layer, long seed) {
        ComputationGraph g = TestGraphs.layerBetween(layer, N_IN, 3, 2);
        TestGraphs.randomizeParams(g, seed, 0.8);
        return g;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void gradientCheckUnidirectionalWithAndWithoutMasks(String name, RecurrentCell cell) {
        INDArray x = TestGraphs.uniform(11, 3, N_IN, T);
        INDArray y = TestGraphs.uniform(12, 3, 2, T);
        INDArray right = Arrays3.prefixMask(T, 5, 3, 1);
        INDArray left = leftPadMask(T, 5, 3, 1);
        ComputationGraph g = between(layer(cell), 13);
        GradientChecks.assertCorrect(g, new INDArray[] {x}, new INDArray[] {y}, null, null);
        GradientChecks.assertCorrect(g, new INDArray[] {x}, new INDArray[] {y}, new INDArray[] {right},
                new INDArray[] {right});
        GradientChecks.assertCorrect(g, new INDArray[] {x}, new INDArray[] {y}, new INDArray[] {left},
                new INDArray[] {left});
        // a feature mask without a label mask: the loss sees the zero outputs on padded steps
        GradientChecks.assertCorrect(g, new INDArray[] {x}, new INDArray[] {y}, new INDArray[] {right}, null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void gradientCheckBidirectionalEveryModeWithMask(String name, RecurrentCell cell) {
        INDArray x = TestGraphs.uniform(21, 3, N_IN, T);
        INDArray mask = Arrays3.prefixMask(T, 5, 2, 4);
        for (Bidirectional.Mode mode : Bidirectional.Mode.values()) {
            ComputationGraph g = between(new Bidirectional(mode, layer(cell)), 22);
            INDArray y = TestGraphs.uniform(23, 3, 2, T);
            GradientChecks.assertCorrect(g, new INDArray[] {x}, new INDArray[] {y}, new INDArray[] {mask},
                    new INDArray[] {mask});
        }
    }

    /**
     * Variational recurrent dropout: with a fixed mask the gradient check passes (masked and padded batch); sampled
     * masks drop about p of the units, scaled by 1/(1 − p); inference is the model without dropout.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void recurrentDropoutIsExactAndOnlyInTraining(String name, RecurrentCell cell) {
        double p = 0.4;
        ComputationGraph g = between(new Recurrent.Builder().cell(cell).units(H).recurrentDropout(p).build(), 91);
        RecurrentRuntime rt = (RecurrentRuntime) g.getLayer("layer");
        int size = (int) cell.stateSizes(H)[0];
        java.util.Random r = new java.util.Random(92);
        double[] fixed = new double[3 * size];
        for (int k = 0; k < fixed.length; k++) {
            fixed[k] = r.nextDouble() < p ? 0.0 : 1 / (1 - p);
        }
        rt.fixRecurrentMask(fixed);
        INDArray x = TestGraphs.uniform(93, 3, N_IN, T);
        INDArray y = TestGraphs.uniform(94, 3, 2, T);
        INDArray mask = Arrays3.prefixMask(T, 5, 3, 2);
        GradientChecks.assertCorrect(g, new INDArray[] {x}, new INDArray[] {y}, new INDArray[] {mask},
                new INDArray[] {mask});
        // the mask really enters: training output with it differs from inference
        INDArray train = g.feedForward(new INDArray[] {x}, true).get("layer");
        INDArray infer = g.feedForward(new INDArray[] {x}, false).get("layer");
        assertThat(train.sub(infer).amaxNumber().doubleValue()).isGreaterThan(1e-6);
        // inference equals the same parameters without dropout
        ComputationGraph plain = between(layer(cell), 91);
        plain.params().assign(g.params());
        assertThat(plain.outputSingle(x).sub(g.outputSingle(x)).amaxNumber().doubleValue()).isEqualTo(0.0);
        // sampled masks: 0 or 1/(1 − p), about p zeros
        rt.fixRecurrentMask(null);
        INDArray many = TestGraphs.uniform(95, 200, N_IN, 2);
        g.clear();   // after setInputs(...) DL4J keeps the old minibatch size for the preprocessor below otherwise
        g.output(true, many);
        double[] m = rt.lastRecurrentMask();
        assertThat(m).hasSize(200 * size);
        long zeros = java.util.Arrays.stream(m).filter(v -> v == 0.0).count();
        assertThat(java.util.Arrays.stream(m).allMatch(v -> v == 0.0 || Math.abs(v - 1 / (1 - p)) < 1e-12)).isTrue();
        assertThat((double) zeros / m.length).isBetween(p - 0.1, p + 0.1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void equalsPlainJavaStepLoopOfItsEquations(String name, RecurrentCell cell) {
        ComputationGraph g = TestGraphs.layerAlone(layer(cell), N_IN);
        TestGraphs.randomizeParams(g, 31, 1.0);
        INDArray x = TestGraphs.uniform(32, 4, N_IN, T);
        INDArray mask = Arrays3.prefixMask(T, 5, 3, 1, 4);
        Map<String, INDArray> p = g.getLayer("layer").paramTable();
        INDArray plain = g.outputSingle(x);
        assertThat(Arrays3.maxAbsDiff(Arrays3.fromNcw(plain), ReferenceCells.run(cell, p, H, Arrays3.fromNcw(x), null)))
                .isLessThan(1e-10);
        INDArray masked = g.output(false, new INDArray[] {x}, new INDArray[] {mask})[0];
        assertThat(masked.size(1)).isEqualTo(cell.outputSize(H));
        assertThat(Arrays3.maxAbsDiff(Arrays3.fromNcw(masked),
                ReferenceCells.run(cell, p, H, Arrays3.fromNcw(x), mask.toDoubleMatrix()))).isLessThan(1e-10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void paddedBatchEqualsEachSequenceAloneInOutputsAndGradients(String name, RecurrentCell cell) {
        ComputationGraph g = between(new Bidirectional(Bidirectional.Mode.CONCAT, layer(cell)), 41);
        int[] lengths = {5, 3, 1};
        INDArray x = TestGraphs.uniform(42, 3, N_IN, T);
        INDArray y = TestGraphs.uniform(43, 3, 2, T);
        for (int i = 0; i < 3; i++) {
            x.get(point(i), all(), interval(lengths[i], T)).assign(99.0);   // padding must not leak
        }
        INDArray mask = Arrays3.prefixMask(T, lengths);
        INDArray batchOut = g.output(false, new INDArray[] {x}, new INDArray[] {mask})[0];
        for (int i = 0; i < 3; i++) {
            INDArray alone = g.outputSingle(x.get(interval(i, i + 1), all(), interval(0, lengths[i])).dup());
            assertThat(batchOut.get(interval(i, i + 1), all(), interval(0, lengths[i])).sub(alone)
                    .amaxNumber().doubleValue()).as("%s output, example %d", name, i).isLessThan(1e-10);
        }
        Map<String, INDArray> batchGrad = TestGraphs.gradient(g, x, y, mask);
        Map<String, INDArray> sum = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            INDArray xi = x.get(interval(i, i + 1), all(), interval(0, lengths[i])).dup();
            INDArray yi = y.get(interval(i, i + 1), all(), interval(0, lengths[i])).dup();
            TestGraphs.gradient(g, xi, yi, null).forEach((k, v) -> sum.merge(k, v, INDArray::add));
        }
        // the layer below only learns through dL/dx of the layer under test: equal gradients there check dL/dx
        for (String k : batchGrad.keySet()) {
            assertThat(batchGrad.get(k).sub(sum.get(k)).amaxNumber().doubleValue())
                    .as("%s gradient of %s", name, k).isLessThan(1e-10);
        }
    }


    private static ComputationGraph stacked(RecurrentCell cell) {
        ComputationGraphConfiguration conf = TestGraphs.doubleGraph().addInputs("in")
                .addLayer("l1", layer(cell), "in")
                .addLayer("l2", layer(cell), "l1")
                .setOutputs("l2").setInputTypes(InputType.recurrent(N_IN)).build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        TestGraphs.randomizeParams(g, 51, 0.9);
        return g;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void rnnTimeStepAndSegmentsEqualTheFullSequence(String name, RecurrentCell cell) {
        ComputationGraph g = stacked(cell);
        INDArray x = TestGraphs.uniform(52, 2, N_IN, 7);
        INDArray full = g.outputSingle(x);
        g.rnnClearPreviousState();
        for (int t = 0; t < 7; t++) {
            INDArray step = g.rnnTimeStep(x.get(all(), all(), interval(t, t + 1)))[0];
            assertThat(step.reshape(full.size(0), full.size(1)).sub(full.get(all(), all(), point(t)))
                    .amaxNumber().doubleValue()).as("%s step %d", name, t).isLessThan(1e-12);
        }
        // truncated-BPTT style segments of a training forward pass carry the state as well
        Layer l1 = g.getLayer("l1");
        Layer l2 = g.getLayer("l2");
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        ((RecurrentRuntime) l1).rnnClearPreviousState();
        ((RecurrentRuntime) l2).rnnClearPreviousState();
        int[][] segments = {{0, 3}, {3, 4}, {4, 7}};
        for (int[] s : segments) {
            INDArray seg = x.get(all(), all(), interval(s[0], s[1])).dup();
            INDArray a1 = ((RecurrentRuntime) l1).rnnActivateUsingStoredState(seg, true, true, ws).dup();
            INDArray a2 = ((RecurrentRuntime) l2).rnnActivateUsingStoredState(a1, true, true, ws);
            assertThat(a2.sub(full.get(all(), all(), interval(s[0], s[1]))).amaxNumber().doubleValue())
                    .as("%s segment %d..%d", name, s[0], s[1]).isLessThan(1e-12);
        }
    }

    /** L = Σ eps ⊙ output for a segment from a carried state h0: the truncated backward pass must match it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void tbpttGradientFromCarriedStateMatchesFiniteDifferences(String name, RecurrentCell cell) {
        ComputationGraph g = TestGraphs.layerAlone(layer(cell), N_IN);
        TestGraphs.randomizeParams(g, 61, 0.8);
        RecurrentRuntime layer = (RecurrentRuntime) g.getLayer("layer");
        INDArray x = TestGraphs.uniform(62, 2, N_IN, 4);
        Map<String, INDArray> s0 = new LinkedHashMap<>();
        long[] sizes = cell.stateSizes(H);
        for (int p = 0; p < sizes.length; p++) {
            s0.put(cell.stateKeys()[p], TestGraphs.uniform(63 + p, 2, sizes[p]).mul(0.5));
        }
        INDArray eps = TestGraphs.uniform(66, 2, cell.outputSize(H), 4);
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        g.initGradientsView();
        layer.rnnSetPreviousState(copy(s0));
        layer.setInput(x, ws);
        Pair<Gradient, INDArray> analytic = layer.tbpttBackpropGradient(eps, 4, ws);
        Map<String, INDArray> grads = new LinkedHashMap<>();
        analytic.getFirst().gradientForVariable().forEach((k, v) -> grads.put(k, v.dup(v.ordering())));
        INDArray dx = analytic.getSecond().dup('c');
        for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
            assertFiniteDifferences(name + " " + p.getKey(), p.getValue(), grads.get(p.getKey()),
                    () -> loss(layer, x, s0, eps));
        }
        assertFiniteDifferences(name + " dL/dx", x, dx, () -> loss(layer, x, s0, eps));
        // a truncated backward window sends no gradient to the steps before it
        layer.rnnSetPreviousState(copy(s0));
        layer.setInput(x, ws);
        INDArray truncated = layer.tbpttBackpropGradient(eps, 2, ws).getSecond().dup('c');
        assertThat(truncated.get(all(), all(), interval(0, 2)).amaxNumber().doubleValue()).isEqualTo(0.0);
        assertThat(truncated.get(all(), all(), interval(2, 4)).amaxNumber().doubleValue()).isGreaterThan(0.0);
    }

    private static Map<String, INDArray> copy(Map<String, INDArray> m) {
        Map<String, INDArray> c = new LinkedHashMap<>();
        m.forEach((k, v) -> c.put(k, v.dup()));
        return c;
    }

    private static double loss(RecurrentRuntime layer, INDArray x, Map<String, INDArray> s0, INDArray eps) {
        layer.rnnSetPreviousState(copy(s0));
        return layer.rnnTimeStep(x, LayerWorkspaceMgr.noWorkspaces()).mul(eps).sumNumber().doubleValue();
    }

    private static void assertFiniteDifferences(String what, INDArray array, INDArray analytic,
                                                java.util.function.DoubleSupplier loss) {
        double e = 1e-6;
        for (long j = 0; j < array.length(); j++) {
            double orig = array.getDouble(j);
            array.putScalar(j, orig + e);
            double plus = loss.getAsDouble();
            array.putScalar(j, orig - e);
            double minus = loss.getAsDouble();
            array.putScalar(j, orig);
            assertThat(analytic.getDouble(j)).as("%s[%d]", what, j)
                    .isCloseTo((plus - minus) / (2 * e), org.assertj.core.data.Offset.offset(1e-7));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void reorderedStateContinuesLikeTheReorderedBatch(String name, RecurrentCell cell) throws Exception {
        ComputationGraph g = stacked(cell);
        INDArray x = TestGraphs.uniform(71, 3, N_IN, 6);
        int[] rows = {2, 0, 0, 1};
        INDArray reordered = Nd4j.pullRows(x.reshape(3, N_IN * 6), 1, rows).reshape(4, N_IN, 6);
        INDArray expected = g.outputSingle(reordered);

        g.rnnClearPreviousState();
        g.rnnTimeStep(x.get(all(), all(), interval(0, 4)));
        Map<String, CellState> states = CellState.capture(g);
        assertThat(states).containsOnlyKeys("l1", "l2");
        assertThat(states.get("l1").keys()).containsExactlyInAnyOrder(cell.stateKeys());
        // a state survives a round trip through a file
        Path saved = Files.createTempFile("cellstate", ".npz");
        states.get("l1").save(saved);
        CellState back = CellState.load(saved);
        Files.delete(saved);
        for (String k : cell.stateKeys()) {
            assertThat(back.get(k)).isEqualTo(states.get("l1").get(k));
        }
        CellState.restore(g, CellState.reorder(states, rows));
        INDArray rest = g.rnnTimeStep(reordered.get(all(), all(), interval(4, 6)).dup())[0];
        assertThat(rest.sub(expected.get(all(), all(), interval(4, 6))).amaxNumber().doubleValue())
                .as(name).isLessThan(1e-12);
        assertThatThrownBy(() -> states.get("l1").reorder(new int[] {3})).hasMessageContaining("row 3 is outside");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void survivesJsonAndModelSerializerRoundTrips(String name, RecurrentCell cell, @TempDir Path dir)
            throws Exception {
        ComputationGraph g = stacked(cell);
        String json = g.getConfiguration().toJson();
        assertThat(ComputationGraphConfiguration.fromJson(json)).isEqualTo(g.getConfiguration());
        assertThat(json).contains(cell.getClass().getName());
        File f = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(g, f, true);
        ComputationGraph back = ModelSerializer.restoreComputationGraph(f, true);
        INDArray x = TestGraphs.uniform(81, 2, N_IN, 4);
        assertThat(back.outputSingle(x).sub(g.outputSingle(x)).amaxNumber().doubleValue()).isEqualTo(0.0);
        assertThat(back.params()).isEqualTo(g.params());
        Path archive = dir.resolve("model-archive.zip");
        org.seq4j.io.ModelArchive.write(archive, "test", g, false, Map.of(), Map.of());
        ComputationGraph fromArchive = org.seq4j.io.ModelArchive.read(archive, "test", java.util.Set.of(),
                java.util.Set.of(), false).graph();
        assertThat(fromArchive.outputSingle(x).sub(g.outputSingle(x)).amaxNumber().doubleValue()).isEqualTo(0.0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void badConfigurationNamesTheLayer(String name, RecurrentCell cell) {
        assertThatThrownBy(() -> new Recurrent.Builder().name("enc").cell(cell).units(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'enc'").hasMessageContaining("units must be > 0, got 0");
        assertThatThrownBy(() -> TestGraphs.doubleGraph().addInputs("in")
                .addLayer("enc", new Recurrent.Builder().cell(cell).units(H).nIn(5).build(), "in")
                .setOutputs("enc").setInputTypes(InputType.recurrent(3)).build())
                .hasMessageContaining("'enc'").hasMessageContaining("nIn is set to 5 but its input has 3 features");
        ComputationGraph g = TestGraphs.layerAlone(layer(cell), N_IN);
        assertThatThrownBy(() -> g.outputSingle(TestGraphs.uniform(1, 2, N_IN + 1, 4)))
                .hasMessageContaining(cell.kind() + " layer 'layer'")
                .hasMessageContaining("expected input [minibatch, nIn=3, timeSteps], got shape [2, 4, 4]");
    }
}
