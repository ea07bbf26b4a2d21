package org.seq4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.Arrays;
import java.util.Map;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seq4j.testkit.RestoresDataType;
import org.seq4j.samediff.PerLengthSameDiffLayer;
import org.seq4j.testkit.Arrays3;
import org.seq4j.testkit.GradientChecks;
import org.seq4j.testkit.ReferenceScrn;
import org.seq4j.testkit.TestGraphs;

@ExtendWith(RestoresDataType.class)
class ScrnTest {

    private static final int N_IN = 3;
    private static final int N_BELOW = 4;

    @BeforeAll
    static void doublePrecision() {
        GradientChecks.useDoublePrecision();
    }

    private static Scrn scrn(boolean learnAlpha, boolean reverse) {
        return new Scrn.Builder().units(3).contextUnits(2).alpha(0.7).learnAlpha(learnAlpha).reverse(reverse).build();
    }

    @ParameterizedTest(name = "learnAlpha={0} reverse={1}")
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void gradientCheckAcrossLengthsAndMasks(boolean learnAlpha, boolean reverse) {
        ComputationGraph g = TestGraphs.layerBetween(scrn(learnAlpha, reverse), N_IN, N_BELOW, 2);
        TestGraphs.randomizeParams(g, 11, 0.8);
        // T = 5, then T = 8 with a mask, then T = 5 again: one network, three graphs' worth of lengths (bug B3)
        check(g, 5, null);
        check(g, 8, Arrays3.prefixMask(8, 8, 5, 2));
        check(g, 5, null);
        assertThat(((PerLengthSameDiffLayer) g.getLayer("layer")).graphCount()).isEqualTo(2);
    }

    private static void check(ComputationGraph g, int steps, INDArray mask) {
        INDArray x = TestGraphs.uniform(steps, 3, N_IN, steps);
        INDArray y = TestGraphs.uniform(steps + 100, 3, 2, steps);
        INDArray[] masks = mask == null ? null : new INDArray[] {mask};
        GradientChecks.assertCorrect(g, new INDArray[] {x}, new INDArray[] {y}, masks, masks);
    }

    @ParameterizedTest(name = "learnAlpha={0} reverse={1}")
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void equalsStepByStepReference(boolean learnAlpha, boolean reverse) {
        ComputationGraph g = TestGraphs.layerAlone(scrn(learnAlpha, reverse), N_IN);
        TestGraphs.randomizeParams(g, 12, 1.0);
        INDArray x = TestGraphs.uniform(13, 4, N_IN, 6);
        INDArray mask = Arrays3.prefixMask(6, 6, 4, 1, 5);
        INDArray out = g.output(false, new INDArray[] {x}, new INDArray[] {mask})[0];
        double[][][] expected = reference(g, learnAlpha).run(Arrays3.fromNcw(x), mask.toDoubleMatrix(), reverse);
        assertThat(Arrays3.maxAbsDiff(Arrays3.fromNcw(out), expected)).isLessThan(1e-10);
    }

    @Test
    void paddedBatchEqualsEachSequenceAlone() {
        for (boolean reverse : new boolean[] {false, true}) {
            ComputationGraph g = TestGraphs.layerAlone(scrn(true, reverse), N_IN);
            TestGraphs.randomizeParams(g, 14, 1.0);
            int[] lengths = {6, 4, 2};
            INDArray x = TestGraphs.uniform(15, 3, N_IN, 6);
            for (int i = 0; i < 3; i++) {
                x.get(point(i), all(), interval(lengths[i], 6)).assign(99.0);
            }
            INDArray batch = g.output(false, new INDArray[] {x}, new INDArray[] {Arrays3.prefixMask(6, lengths)})[0];
            for (int i = 0; i < 3; i++) {
                INDArray alone = g.outputSingle(x.get(interval(i, i + 1), all(), interval(0, lengths[i])).dup());
                INDArray inBatch = batch.get(interval(i, i + 1), all(), interval(0, lengths[i]));
                assertThat(inBatch.sub(alone).amaxNumber().doubleValue()).as("example %d", i).isLessThan(1e-12);
            }
        }
    }

    @Test
    void rejectsBadConfiguration() {
        assertThatThrownBy(() -> new Scrn.Builder().name("ctx").units(4).contextUnits(2).alpha(1.5).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'ctx'").hasMessageContaining("alpha must be in [0, 1], got 1.5");
        assertThatThrownBy(() -> new Scrn.Builder().name("ctx").units(4).contextUnits(2).alpha(-0.1).build())
                .hasMessageContaining("got -0.1");
        assertThatThrownBy(() -> new Scrn.Builder().name("ctx").units(0).contextUnits(2).build())
                .hasMessageContaining("'ctx'").hasMessageContaining("units must be > 0, got 0");
        assertThatThrownBy(() -> new Scrn.Builder().name("ctx").units(3).contextUnits(-2).build())
                .hasMessageContaining("contextUnits must be > 0, got -2");
        assertThatThrownBy(() -> new Scrn.Builder().name("ctx").units(3).contextUnits(2).alpha(1.0).learnAlpha(true)
                .build()).hasMessageContaining("alpha must be in (0, 1), got 1.0");
        assertThatThrownBy(() -> TestGraphs.doubleGraph().addInputs("in")
                .addLayer("ctx", new Scrn.Builder().nIn(5).units(4).contextUnits(2).build(), "in")
                .setOutputs("ctx").setInputTypes(org.deeplearning4j.nn.conf.inputs.InputType.recurrent(3)).build())
                .hasMessageContaining("'ctx'").hasMessageContaining("nIn is set to 5 but its input has 3 features");
        ComputationGraph g = TestGraphs.layerAlone(scrn(false, false), N_IN);
        assertThatThrownBy(() -> g.outputSingle(TestGraphs.uniform(1, 2, N_IN)))
                .hasMessageContaining("Scrn layer 'layer'").hasMessageContaining("expected input of rank 3")
                .hasMessageContaining("got rank 2");
    }

    static ReferenceScrn reference(ComputationGraph g, boolean learnAlpha) {
        Map<String, INDArray> p = g.getLayer("layer").paramTable();
        Scrn conf = (Scrn) g.getLayer("layer").conf().getLayer();
        double[] alpha = new double[(int) conf.getContextUnits()];
        if (learnAlpha) {
            double[] logits = Arrays3.vector(p.get(Scrn.ALPHA_LOGIT));
            for (int j = 0; j < alpha.length; j++) {
                alpha[j] = 1 / (1 + Math.exp(-logits[j]));
            }
        } else {
            Arrays.fill(alpha, conf.getAlpha());
        }
        return new ReferenceScrn(Arrays3.matrix(p.get(Scrn.B)), Arrays3.matrix(p.get(Scrn.A)),
                Arrays3.matrix(p.get(Scrn.P)), Arrays3.matrix(p.get(Scrn.R)), Arrays3.vector(p.get(Scrn.BIAS)), alpha);
    }
}
