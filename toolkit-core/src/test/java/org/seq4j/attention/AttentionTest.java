package org.seq4j.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.Map;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.seq4j.testkit.RestoresDataType;
import org.seq4j.testkit.Arrays3;
import org.seq4j.testkit.GradientChecks;
import org.seq4j.testkit.ReferenceAttention;
import org.seq4j.testkit.TestGraphs;

@ExtendWith(RestoresDataType.class)
class AttentionTest {

    private static final int N_IN = 3;

    @BeforeAll
    static void doublePrecision() {
        GradientChecks.useDoublePrecision();
    }

    static Attention attention(AttentionScore score) {
        return new Attention(score, score == AttentionScore.BAHDANAU ? 3 : 0);
    }

    /** dec -> SimpleRnn(4) -\  attention -> RnnOutputLayer(2);  enc -> SimpleRnn(4 or 5) -/ */
    static ComputationGraph graph(AttentionScore score) {
        int nEnc = score == AttentionScore.LUONG_DOT ? 4 : 5;
        ComputationGraphConfiguration conf = TestGraphs.doubleGraph()
                .addInputs("decIn", "encIn")
                .addLayer("decBelow", new SimpleRnn.Builder().nOut(4).activation(Activation.TANH).build(), "decIn")
                .addLayer("encBelow", new SimpleRnn.Builder().nOut(nEnc).activation(Activation.TANH).build(),
                        "encIn")
                .addVertex("attention", attention(score), "decBelow", "encBelow")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).nOut(2).build(), "attention")
                .setOutputs("out")
                .setInputTypes(InputType.recurrent(N_IN), InputType.recurrent(N_IN))
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    @ParameterizedTest
    @EnumSource(AttentionScore.class)
    void gradientCheckWithAndWithoutEncoderMaskAcrossLengths(AttentionScore score) {
        ComputationGraph g = graph(score);
        TestGraphs.randomizeParams(g, 21, 0.8);
        check(g, 3, 4, null, null);
        check(g, 3, 6, Arrays3.prefixMask(3, 3, 2, 1), Arrays3.prefixMask(6, 6, 2, 4));
        check(g, 2, 4, null, Arrays3.prefixMask(4, 1, 4, 3));
    }

    private static void check(ComputationGraph g, int td, int te, INDArray decMask, INDArray encMask) {
        INDArray dec = TestGraphs.uniform(td * 10 + te, 3, N_IN, td);
        INDArray enc = TestGraphs.uniform(td * 10 + te + 1, 3, N_IN, te);
        INDArray y = TestGraphs.uniform(td * 10 + te + 2, 3, 2, td);
        INDArray[] masks = decMask == null && encMask == null ? null : new INDArray[] {decMask, encMask};
        INDArray[] labelMasks = decMask == null ? null : new INDArray[] {decMask};
        GradientChecks.assertCorrect(g, new INDArray[] {dec, enc}, new INDArray[] {y}, masks, labelMasks);
    }

    @Test
    void secondBackwardPassEqualsTheFirst() {
        // The stock M2.1 SameDiffGraphVertex returns different input gradients on a second identical backward pass.
        ComputationGraph g = graph(AttentionScore.LUONG_GENERAL);
        TestGraphs.randomizeParams(g, 25, 0.8);
        INDArray[] in = {TestGraphs.uniform(26, 3, N_IN, 3), TestGraphs.uniform(27, 3, N_IN, 4)};
        INDArray[] masks = {Arrays3.prefixMask(3, 3, 2, 1), Arrays3.prefixMask(4, 4, 2, 3)};
        INDArray[] labels = {TestGraphs.uniform(28, 3, 2, 3)};
        INDArray first = gradient(g, in, labels, masks);
        INDArray second = gradient(g, in, labels, masks);
        assertThat(first.sub(second).amaxNumber().doubleValue()).isEqualTo(0.0);
    }

    @Test
    void aBatchWithoutMasksAfterOneWithMasksIsNotMasked() {
        // DL4J leaves a vertex's masks in place when the next batch has none (its clearLayerMaskArrays skips vertices)
        ComputationGraph g = graph(AttentionScore.BAHDANAU);
        ComputationGraph fresh = graph(AttentionScore.BAHDANAU);
        TestGraphs.randomizeParams(g, 29, 0.8);
        TestGraphs.randomizeParams(fresh, 29, 0.8);
        INDArray[] in = {TestGraphs.uniform(30, 3, N_IN, 3), TestGraphs.uniform(31, 3, N_IN, 4)};
        g.output(false, in, new INDArray[] {Arrays3.prefixMask(3, 3, 2, 1), Arrays3.prefixMask(4, 4, 2, 3)});
        INDArray unmasked = g.output(false, in, null)[0];
        assertThat(unmasked.equals(fresh.output(false, in, null)[0])).isTrue();
    }

    private static INDArray gradient(ComputationGraph g, INDArray[] in, INDArray[] labels, INDArray[] masks) {
        g.setInputs(in);
        g.setLabels(labels);
        g.setLayerMaskArrays(masks, new INDArray[] {masks[0]});
        g.computeGradientAndScore();
        INDArray grad = g.gradient().gradient().dup();
        g.clearLayerMaskArrays();
        return grad;
    }

    @ParameterizedTest
    @EnumSource(AttentionScore.class)
    void equalsReferenceAndStepFormWithExactlyZeroWeightOnPadding(AttentionScore score) {
        ComputationGraph g = graph(score);
        TestGraphs.randomizeParams(g, 22, 1.0);
        INDArray decIn = TestGraphs.uniform(23, 3, N_IN, 4);
        INDArray encIn = TestGraphs.uniform(24, 3, N_IN, 5);
        int[] encLen = {5, 2, 3};
        INDArray encMask = Arrays3.prefixMask(5, encLen);
        Map<String, INDArray> acts = g.feedForward(new INDArray[] {decIn, encIn}, false, false);
        // the vertex with masks: run the graph up to it with masks set
        g.setLayerMaskArrays(new INDArray[] {null, encMask}, null);
        Map<String, INDArray> masked = g.feedForward(new INDArray[] {decIn, encIn}, false, false);
        g.clearLayerMaskArrays();
        INDArray dec = masked.get("decBelow");
        INDArray enc = masked.get("encBelow");
        INDArray context = masked.get("attention");
        assertThat(acts.get("attention")).isNotEqualTo(context);   // the mask matters

        Map<String, INDArray> p = g.getVertex("attention").paramTable(false);
        double[][][] weights = new double[3][4][5];
        double[][][] expected = ReferenceAttention.run(kind(score), Arrays3.fromNcw(dec), Arrays3.fromNcw(enc), encLen,
                p.containsKey(Attention.WA) ? Arrays3.matrix(p.get(Attention.WA)) : null,
                p.containsKey(Attention.WQ) ? Arrays3.matrix(p.get(Attention.WQ)) : null,
                p.containsKey(Attention.WK) ? Arrays3.matrix(p.get(Attention.WK)) : null,
                p.containsKey(Attention.V) ? Arrays3.vector(p.get(Attention.V)) : null, weights);
        assertThat(Arrays3.maxAbsDiff(Arrays3.fromNcw(context), expected)).isLessThan(1e-10);

        AttentionStep step = AttentionStep.of(g, "attention");
        for (int t = 0; t < 4; t++) {
            AttentionStep.Result r = step.attend(dec.get(all(), all(), point(t)), enc, encMask);
            assertThat(r.context().reshape(3, enc.size(1)).sub(context.get(all(), all(), point(t)))
                    .amaxNumber().doubleValue()).as("step %d", t).isLessThan(1e-10);
            for (int i = 0; i < 3; i++) {
                for (int s = 0; s < 5; s++) {
                    double w = r.weights().getDouble(i, 0, s);
                    if (s >= encLen[i]) {
                        assertThat(w).as("weight on padded step %d of example %d", s, i).isEqualTo(0.0);
                    } else {
                        assertThat(w).isCloseTo(weights[i][t][s], org.assertj.core.data.Offset.offset(1e-10));
                    }
                }
            }
        }
    }

    private static String kind(AttentionScore score) {
        return switch (score) {
            case LUONG_DOT -> "dot";
            case LUONG_GENERAL -> "general";
            case BAHDANAU -> "bahdanau";
        };
    }

    @Test
    void rejectsBadConfiguration() {
        assertThatThrownBy(() -> Attention.bahdanau(0)).hasMessageContaining("attentionUnits > 0, got 0");
        assertThatThrownBy(() -> TestGraphs.doubleGraph().addInputs("d", "e")
                .addVertex("att", Attention.luongDot().named("att"), "d", "e").setOutputs("att")
                .setInputTypes(InputType.recurrent(4), InputType.recurrent(6)).build())
                .hasMessageContaining("'att'").hasMessageContaining("equal decoder and encoder sizes, got 4 and 6");
        assertThatThrownBy(() -> TestGraphs.doubleGraph().addInputs("d", "e")
                .addVertex("att", Attention.luongGeneral().named("att"), "d", "e").setOutputs("att")
                .setInputTypes(InputType.feedForward(4), InputType.recurrent(6)).build())
                .hasMessageContaining("'att'").hasMessageContaining("decoder input must be recurrent");
    }
}
