package org.seq4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.Map;
import java.util.stream.Stream;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.seq4j.attention.Attention;
import org.seq4j.attention.AttentionScore;
import org.seq4j.core.AttentionDecoder.Flow;
import org.seq4j.layers.GruVariant;
import org.seq4j.testkit.Arrays3;
import org.seq4j.testkit.GradientChecks;
import org.seq4j.testkit.ReferenceAttention;
import org.seq4j.testkit.ReferenceCells;
import org.seq4j.testkit.RestoresDataType;
import org.seq4j.testkit.TestGraphs;

/**
 * The attention decoder (attention inside the recurrence): gradient checks, equality with a plain-Java step loop of
 * its equations, padded batch == each example alone, step-by-step decoding == the full pass, state reordering,
 * serialization and configuration errors.
 */
@ExtendWith(RestoresDataType.class)
class AttentionDecoderTest {

    private static final int N_IN = 3;
    private static final int BELOW = 4;
    private static final int UNITS = 4;

    @BeforeAll
    static void doublePrecision() {
        GradientChecks.useDoublePrecision();
    }

    static Stream<Arguments> configurations() {
        return Stream.of(
                Arguments.of(new LstmCell(), AttentionScore.LUONG_GENERAL, Flow.INPUT_FEEDING),
                Arguments.of(new GruCell(GruVariant.RESET_AFTER), AttentionScore.LUONG_DOT, Flow.INPUT_FEEDING),
                Arguments.of(new GruCell(GruVariant.RESET_AFTER), AttentionScore.BAHDANAU, Flow.BAHDANAU),
                Arguments.of(new LstmCell(), AttentionScore.BAHDANAU, Flow.INPUT_FEEDING),
                Arguments.of(new SrnCell(Act.TANH), AttentionScore.LUONG_GENERAL, Flow.BAHDANAU));
    }

    static AttentionDecoder decoder(RecurrentCell cell, AttentionScore score, Flow flow) {
        return new AttentionDecoder(cell, UNITS, score, score == AttentionScore.BAHDANAU ? 3 : 0, flow);
    }

    /** dec -> SimpleRnn(4) -\ decoder -> RnnOutputLayer(2); enc -> SimpleRnn(4 or 5) -/ (trainable layers below both) */
    static ComputationGraph graph(RecurrentCell cell, AttentionScore score, Flow flow) {
        int nEnc = score == AttentionScore.LUONG_DOT ? UNITS : 5;
        ComputationGraphConfiguration conf = TestGraphs.doubleGraph()
                .addInputs("decIn", "encIn")
                .addLayer("decBelow", new SimpleRnn.Builder().nOut(BELOW).activation(Activation.TANH).build(),
                        "decIn")
                .addLayer("encBelow", new SimpleRnn.Builder().nOut(nEnc).activation(Activation.TANH).build(),
                        "encIn")
                .addVertex("decoder", decoder(cell, score, flow), "decBelow", "encBelow")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).nOut(2).build(), "decoder")
                .setOutputs("out")
                .setInputTypes(InputType.recurrent(N_IN), InputType.recurrent(N_IN))
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        TestGraphs.randomizeParams(g, 31, 0.7);
        return g;
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void gradientCheckWithPaddedDecoderAndEncoder(RecurrentCell cell, AttentionScore score, Flow flow) {
        ComputationGraph g = graph(cell, score, flow);
        check(g, 4, 3, null, null);
        check(g, 4, 5, Arrays3.prefixMask(4, 4, 2, 3), Arrays3.prefixMask(5, 5, 2, 4));
        check(g, 4, 5, suffixMask(4, 4, 2, 3), suffixMask(5, 5, 2, 4));   // left-padded
    }

    private static void check(ComputationGraph g, int td, int te, INDArray decMask, INDArray encMask) {
        INDArray dec = TestGraphs.uniform(td * 10 + te, 3, N_IN, td);
        INDArray enc = TestGraphs.uniform(td * 10 + te + 1, 3, N_IN, te);
        INDArray y = TestGraphs.uniform(td * 10 + te + 2, 3, 2, td);
        INDArray[] masks = decMask == null ? null : new INDArray[] {decMask, encMask};
        INDArray[] labelMasks = decMask == null ? null : new INDArray[] {decMask};
        GradientChecks.Result r = GradientChecks.assertCorrect(g, new INDArray[] {dec, enc}, new INDArray[] {y},
                masks, labelMasks);
        assertThat(r.checked()).isEqualTo((int) g.params().length());
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void equalsAPlainStepLoopOfItsEquations(RecurrentCell cell, AttentionScore score, Flow flow) {
        ComputationGraph g = graph(cell, score, flow);
        int td = 5;
        int te = 4;
        int[] decLen = {5, 3, 1};
        int[] encLen = {4, 2, 3};
        INDArray decMask = Arrays3.prefixMask(td, decLen);
        INDArray encMask = Arrays3.prefixMask(te, encLen);
        INDArray y = TestGraphs.uniform(7, 3, N_IN, td);
        INDArray x = TestGraphs.uniform(8, 3, N_IN, te);
        g.setLayerMaskArrays(new INDArray[] {decMask, encMask}, null);
        Map<String, INDArray> acts = g.feedForward(new INDArray[] {y, x}, false, false);
        g.clearLayerMaskArrays();
        double[][][] in = Arrays3.fromNcw(acts.get("decBelow"));
        double[][][] mem = Arrays3.fromNcw(acts.get("encBelow"));
        double[][][] actual = Arrays3.fromNcw(acts.get("decoder"));
        Map<String, INDArray> p = g.getVertex("decoder").paramTable(false);
        double[][][] expected = reference(cell, score, flow, p, in, mem, decLen, encLen);
        assertThat(Arrays3.maxAbsDiff(actual, expected)).isLessThan(1e-10);
        // padded decoder steps output exactly zero
        assertThat(actual[1][4]).containsOnly(0.0);
    }

    /** The equations of {@link AttentionDecoder}, one example and one step at a time, from the published formulas. */
    static double[][][] reference(RecurrentCell cell, AttentionScore score, Flow flow, Map<String, INDArray> p,
                                  double[][][] in, double[][][] mem, int[] decLen, int[] encLen) {
        String kind = switch (score) {
            case LUONG_DOT -> "dot";
            case LUONG_GENERAL -> "general";
            case BAHDANAU -> "bahdanau";
        };
        double[][] wa = p.containsKey(Attention.WA) ? Arrays3.matrix(p.get(Attention.WA)) : null;
        double[][] wq = p.containsKey(Attention.WQ) ? Arrays3.matrix(p.get(Attention.WQ)) : null;
        double[][] wk = p.containsKey(Attention.WK) ? Arrays3.matrix(p.get(Attention.WK)) : null;
        double[] v = p.containsKey(Attention.V) ? Arrays3.vector(p.get(Attention.V)) : null;
        double[][] wc = Arrays3.matrix(p.get(AttentionDecoder.WC));
        double[][][] out = new double[in.length][in[0].length][UNITS];
        for (int i = 0; i < in.length; i++) {
            long[] sizes = cell.stateSizes(UNITS);
            double[][] s = new double[sizes.length][];
            for (int k = 0; k < sizes.length; k++) {
                s[k] = new double[(int) sizes[k]];
            }
            double[] tilde = new double[UNITS];
            for (int t = 0; t < decLen[i]; t++) {
                double[] ctx;
                double[] xt;
                if (flow == Flow.BAHDANAU) {
                    ctx = attend(kind, s[0], mem[i], encLen[i], wa, wq, wk, v);
                    xt = concat(in[i][t], ctx);
                    s = ReferenceCells.step(cell, p, UNITS, xt, s);
                } else {
                    xt = concat(in[i][t], tilde);
                    s = ReferenceCells.step(cell, p, UNITS, xt, s);
                    ctx = attend(kind, s[0], mem[i], encLen[i], wa, wq, wk, v);
                }
                double[] z = concat(ctx, s[0]);
                for (int j = 0; j < UNITS; j++) {
                    double a = 0;
                    for (int k = 0; k < z.length; k++) {
                        a += z[k] * wc[k][j];
                    }
                    tilde[j] = Math.tanh(a);
                }
                out[i][t] = tilde.clone();
            }
        }
        return out;
    }

    private static double[] attend(String kind, double[] q, double[][] mem, int len, double[][] wa, double[][] wq,
                                   double[][] wk, double[] v) {
        double[][][] weights = new double[1][1][mem.length];
        double[][][] ctx = ReferenceAttention.run(kind, new double[][][] {{q}}, new double[][][] {mem},
                new int[] {len}, wa, wq, wk, v, weights);
        return ctx[0][0];
    }

    private static double[] concat(double[] a, double[] b) {
        double[] r = new double[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void paddedBatchEqualsEachExampleAloneInOutputsAndGradients(RecurrentCell cell, AttentionScore score, Flow flow) {
        paddedEqualsAlone(cell, score, flow, false);
        paddedEqualsAlone(cell, score, flow, true);
    }

    /** Right padding (real steps first), or left padding (real steps last) of both the decoder and the encoder. */
    private static void paddedEqualsAlone(RecurrentCell cell, AttentionScore score, Flow flow, boolean left) {
        ComputationGraph g = graph(cell, score, flow);
        int td = 4;
        int te = 5;
        int[] decLen = {4, 2};
        int[] encLen = {3, 5};
        INDArray y = TestGraphs.uniform(3, 2, N_IN, td);
        INDArray x = TestGraphs.uniform(4, 2, N_IN, te);
        INDArray labels = TestGraphs.uniform(5, 2, 2, td);
        // padding values that must not matter
        y.get(point(1), all(), left ? interval(0, td - 2) : interval(2, td)).assign(99);
        x.get(point(0), all(), left ? interval(0, te - 3) : interval(3, te)).assign(-99);
        INDArray decMask = left ? suffixMask(td, decLen) : Arrays3.prefixMask(td, decLen);
        INDArray encMask = left ? suffixMask(te, encLen) : Arrays3.prefixMask(te, encLen);
        Map<String, INDArray> batch = gradient(g, y, x, labels, decMask, encMask);
        INDArray batchOut = output(g, y, x, decMask, encMask);

        Map<String, INDArray> sum = null;
        for (int i = 0; i < 2; i++) {
            var dec = left ? interval(td - decLen[i], td) : interval(0, decLen[i]);
            var enc = left ? interval(te - encLen[i], te) : interval(0, encLen[i]);
            INDArray yi = y.get(interval(i, i + 1), all(), dec).dup();
            INDArray xi = x.get(interval(i, i + 1), all(), enc).dup();
            INDArray li = labels.get(interval(i, i + 1), all(), dec).dup();
            INDArray alone = output(g, yi, xi, null, null);
            INDArray rows = batchOut.get(interval(i, i + 1), all(), dec);
            assertThat(maxAbs(alone.sub(rows))).as("example %d output", i).isLessThan(1e-12);
            Map<String, INDArray> gi = gradient(g, yi, xi, li, null, null);
            if (sum == null) {
                sum = gi;
            } else {
                for (String k : sum.keySet()) {
                    sum.get(k).addi(gi.get(k));
                }
            }
        }
        // backprop gives the sum over the minibatch (DL4J divides by its size in the updater)
        for (String k : batch.keySet()) {
            assertThat(maxAbs(batch.get(k).sub(sum.get(k)))).as("gradient of %s (%s padding)", k,
                    left ? "left" : "right").isLessThan(1e-10);
        }
    }

    /** A {@code [mb, T]} mask with 1 for the last {@code lengths[i]} steps of example i and 0 before. */
    private static INDArray suffixMask(int steps, int... lengths) {
        INDArray m = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, lengths.length, steps);
        for (int i = 0; i < lengths.length; i++) {
            for (int t = steps - lengths[i]; t < steps; t++) {
                m.putScalar(i, t, 1.0);
            }
        }
        return m;
    }

    /**
     * Single precision (the Vector API step products, the fast activation functions) gives the double-precision
     * decoder's outputs and gradients to float accuracy, padded batches included.
     */
    @ParameterizedTest
    @MethodSource("configurations")
    void singlePrecisionMatchesDoublePrecision(RecurrentCell cell, AttentionScore score, Flow flow) {
        ComputationGraph d = graph(cell, score, flow);
        ComputationGraph f = d.convertDataType(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        INDArray dec = TestGraphs.uniform(71, 3, N_IN, 4);
        INDArray enc = TestGraphs.uniform(72, 3, N_IN, 5);
        INDArray y = TestGraphs.uniform(73, 3, 2, 4);
        INDArray decMask = Arrays3.prefixMask(4, 4, 2, 3);
        INDArray encMask = Arrays3.prefixMask(5, 5, 2, 4);
        var single = org.nd4j.linalg.api.buffer.DataType.FLOAT;
        INDArray od = output(d, dec, enc, decMask, encMask);
        INDArray of = output(f, dec.castTo(single), enc.castTo(single), decMask.castTo(single), encMask.castTo(single));
        assertThat(maxAbs(of.castTo(od.dataType()).sub(od))).isLessThan(1e-5);
        Map<String, INDArray> gd = gradient(d, dec, enc, y, decMask, encMask);
        Map<String, INDArray> gf = gradient(f, dec.castTo(single), enc.castTo(single), y.castTo(single),
                decMask.castTo(single), encMask.castTo(single));
        for (String k : gd.keySet()) {
            double scale = Math.max(maxAbs(gd.get(k)), 1e-3);
            assertThat(maxAbs(gf.get(k).castTo(gd.get(k).dataType()).sub(gd.get(k))) / scale).as(k)
                    .isLessThan(1e-4);
        }
    }

    private static INDArray output(ComputationGraph g, INDArray y, INDArray x, INDArray decMask, INDArray encMask) {
        if (decMask != null) {
            g.setLayerMaskArrays(new INDArray[] {decMask, encMask}, null);
        }
        INDArray out = g.feedForward(new INDArray[] {y, x}, false, false).get("decoder").dup();
        g.clearLayerMaskArrays();
        return out;
    }

    private static Map<String, INDArray> gradient(ComputationGraph g, INDArray y, INDArray x, INDArray labels,
                                                  INDArray decMask, INDArray encMask) {
        g.setInputs(y, x);
        g.setLabels(labels);
        if (decMask != null) {
            g.setLayerMaskArrays(new INDArray[] {decMask, encMask}, new INDArray[] {decMask});
        }
        g.computeGradientAndScore();
        Map<String, INDArray> out = new java.util.LinkedHashMap<>();
        g.gradient().gradientForVariable().forEach((k, v) -> out.put(k, v.dup()));
        g.clearLayerMaskArrays();
        return out;
    }

    private static double maxAbs(INDArray a) {
        return a.amaxNumber().doubleValue();
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void stepByStepDecodingEqualsTheFullPassAndReorderingFollowsTheRows(RecurrentCell cell, AttentionScore score,
                                                                          Flow flow) {
        ComputationGraph g = graph(cell, score, flow);
        int td = 4;
        int te = 3;
        INDArray y = TestGraphs.uniform(11, 3, N_IN, td);
        INDArray x = TestGraphs.uniform(12, 3, N_IN, te);
        INDArray encMask = Arrays3.prefixMask(te, 3, 1, 2);
        INDArray decMask = Nd4j.ones(3, td);
        g.setLayerMaskArrays(new INDArray[] {decMask, encMask}, null);
        Map<String, INDArray> acts = g.feedForward(new INDArray[] {y, x}, false, false);
        g.clearLayerMaskArrays();
        INDArray full = acts.get("decoder");
        INDArray in = acts.get("decBelow");
        AttentionDecoderVertex v = (AttentionDecoderVertex) g.getVertex("decoder");
        AttentionDecoderVertex.Memory memory = v.memory(acts.get("encBelow"), encMask);
        AttentionDecoderVertex.State state = v.start(3);
        for (int t = 0; t < td; t++) {
            AttentionDecoderVertex.Step s = v.step(in.get(all(), all(), point(t)).dup(), memory, state);
            assertThat(maxAbs(s.output().sub(full.get(all(), all(), point(t))))).as("step %d", t).isLessThan(1e-12);
            assertThat(s.weights().sum(1).toDoubleVector()).containsOnly(new double[] {1, 1, 1}, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(s.weights().getDouble(1, 1)).isZero();   // example 1 has one valid encoder step
            state = s.next();
        }
        // reordering: rows [2, 0, 0] of a state continue as the batch of those rows would
        int[] rows = {2, 0, 0};
        INDArray inR = Nd4j.concat(0, in.get(interval(2, 3), all(), point(0)), in.get(interval(0, 1), all(), point(0)),
                in.get(interval(0, 1), all(), point(0)));
        AttentionDecoderVertex.Memory memR = v.memory(pick(acts.get("encBelow"), rows), pick(encMask, rows));
        AttentionDecoderVertex.Step a = v.step(inR, memR, state.reorder(rows));
        AttentionDecoderVertex.Step b = v.step(in.get(all(), all(), point(0)).dup(), memory, state);
        for (int r = 0; r < rows.length; r++) {
            assertThat(maxAbs(a.output().getRow(r).sub(b.output().getRow(rows[r])))).isLessThan(1e-12);
        }
    }

    private static INDArray pick(INDArray x, int[] rows) {
        INDArray[] parts = new INDArray[rows.length];
        for (int r = 0; r < rows.length; r++) {
            parts[r] = x.get(interval(rows[r], rows[r] + 1)).dup();
        }
        return Nd4j.concat(0, parts);
    }

    /** dec, enc as above; init -> Dense(tanh, units) -> the decoder's initial hidden state. */
    static ComputationGraph graphWithInitialState(RecurrentCell cell, AttentionScore score, Flow flow) {
        ComputationGraphConfiguration conf = TestGraphs.doubleGraph()
                .addInputs("decIn", "encIn", "init")
                .addLayer("decBelow", new SimpleRnn.Builder().nOut(BELOW).activation(Activation.TANH).build(),
                        "decIn")
                .addLayer("encBelow", new SimpleRnn.Builder().nOut(5).activation(Activation.TANH).build(), "encIn")
                .addLayer("bridge", new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nOut(UNITS)
                        .activation(Activation.TANH).build(), "init")
                .addVertex("decoder", decoder(cell, score, flow).withInitialStateInput(), "decBelow", "encBelow",
                        "bridge")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).nOut(2).build(), "decoder")
                .setOutputs("out")
                .setInputTypes(InputType.recurrent(N_IN), InputType.recurrent(N_IN), InputType.feedForward(2))
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        TestGraphs.randomizeParams(g, 33, 0.7);
        return g;
    }

    /** The configurations whose score works with the 5-wide encoder below (dot needs it as wide as the decoder). */
    static Stream<Arguments> configurationsWithoutDot() {
        return configurations().filter(a -> a.get()[1] != AttentionScore.LUONG_DOT);
    }

    @ParameterizedTest
    @MethodSource("configurationsWithoutDot")
    void anInitialStateInputGetsItsGradientAndStartsStepDecoding(RecurrentCell cell, AttentionScore score,
                                                                  Flow flow) {
        ComputationGraph g = graphWithInitialState(cell, score, flow);
        INDArray dec = TestGraphs.uniform(1, 3, N_IN, 4);
        INDArray enc = TestGraphs.uniform(2, 3, N_IN, 5);
        INDArray init = TestGraphs.uniform(3, 3, 2);
        INDArray y = TestGraphs.uniform(4, 3, 2, 4);
        INDArray decMask = Arrays3.prefixMask(4, 4, 2, 3);
        INDArray encMask = Arrays3.prefixMask(5, 5, 2, 4);
        GradientChecks.Result r = GradientChecks.assertCorrect(g, new INDArray[] {dec, enc, init},
                new INDArray[] {y}, new INDArray[] {decMask, encMask, null}, new INDArray[] {decMask});
        assertThat(r.checked()).isEqualTo((int) g.params().length());

        g.clearLayerMaskArrays();
        Map<String, INDArray> acts = g.feedForward(new INDArray[] {dec, enc, init}, false, false);
        AttentionDecoderVertex v = (AttentionDecoderVertex) g.getVertex("decoder");
        AttentionDecoderVertex.Memory memory = v.memory(acts.get("encBelow"), null);
        AttentionDecoderVertex.State state = v.start(acts.get("bridge"));
        for (int t = 0; t < 4; t++) {
            AttentionDecoderVertex.Step s = v.step(acts.get("decBelow").get(all(), all(), point(t)).dup(), memory,
                    state);
            assertThat(maxAbs(s.output().sub(acts.get("decoder").get(all(), all(), point(t))))).isLessThan(1e-12);
            state = s.next();
        }
        // and it matters: from zeros the first output differs
        AttentionDecoderVertex.Step zero = v.step(acts.get("decBelow").get(all(), all(), point(0)).dup(), memory,
                v.start(3));
        assertThat(maxAbs(zero.output().sub(acts.get("decoder").get(all(), all(), point(0))))).isGreaterThan(1e-3);
    }

    @Test
    void survivesJsonAndModelFileRoundTrips() throws Exception {
        ComputationGraph g = graph(new LstmCell(), AttentionScore.BAHDANAU, Flow.BAHDANAU);
        String json = g.getConfiguration().toJson();
        assertThat(ComputationGraphConfiguration.fromJson(json)).isEqualTo(g.getConfiguration());
        java.nio.file.Path f = java.nio.file.Files.createTempFile("decoder", ".zip");
        try {
            org.deeplearning4j.util.ModelSerializer.writeModel(g, f.toFile(), false);
            ComputationGraph back = org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(f.toFile(), false);
            INDArray y = TestGraphs.uniform(1, 2, N_IN, 3);
            INDArray x = TestGraphs.uniform(2, 2, N_IN, 4);
            assertThat(maxAbs(back.outputSingle(y, x).sub(g.outputSingle(y, x)))).isZero();
        } finally {
            java.nio.file.Files.deleteIfExists(f);
        }
    }

    @Test
    void refusesCellsAndSizesItCannotUseWithTheVertexName() {
        assertThatThrownBy(() -> new AttentionDecoder(new ScrnCell(2, 0.95, false), UNITS,
                AttentionScore.LUONG_GENERAL, 0, Flow.INPUT_FEEDING))
                .hasMessageContaining("scrn cell's output is not its hidden state");
        assertThatThrownBy(() -> TestGraphs.doubleGraph().addInputs("a", "b")
                .addVertex("dec", decoder(new LstmCell(), AttentionScore.LUONG_DOT, Flow.INPUT_FEEDING).named("dec"),
                        "a", "b")
                .setOutputs("dec").setInputTypes(InputType.recurrent(3), InputType.recurrent(5)).build())
                .hasMessageContaining("AttentionDecoder vertex 'dec'")
                .hasMessageContaining("Luong dot attention needs the encoder size (5) to equal the decoder units (4)");
    }
}
