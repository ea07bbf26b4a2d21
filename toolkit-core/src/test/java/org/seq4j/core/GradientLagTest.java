package org.seq4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.testkit.RestoresDataType;

/** The gradient-norm-versus-lag diagnostic shows the known shapes at initialisation (two seeds each). */
@ExtendWith(RestoresDataType.class)
class GradientLagTest {

    private static double[] relative(String cell, long seed) {
        return GradientLag.of(RecurrentSpec.of(cell, 32), 8, 50, 16, seed).relative();
    }

    @Test
    void srnVanishesWhileScrnContextAndLstmCellCarryTheGradient() {
        for (long seed : new long[] {1, 2}) {
            double[] srn = relative("srn", seed);
            double[] lstm = relative("lstm", seed);
            double[] scrn = relative("scrn", seed);
            assertThat(srn[0]).isEqualTo(1.0);
            assertThat(srn[40]).as("SRN, 40 steps back").isLessThan(1e-3);
            assertThat(srn[40]).as("SRN falls by orders of magnitude over 30 steps").isLessThan(1e-2 * srn[10]);
            assertThat(lstm[40]).as("LSTM's cell carries more than the SRN").isGreaterThan(10 * srn[40]);
            assertThat(scrn[40]).as("SCRN's context (α = 0.95) carries most").isGreaterThan(0.01)
                    .isGreaterThan(100 * srn[40]);
            for (double v : srn) {
                assertThat(v).isPositive().isFinite();
            }
        }
        assertThatThrownBy(() -> GradientLag.of(RecurrentSpec.of("gru", 4), 2, 1, 2, 1))
                .hasMessageContaining("steps must be >= 2, got 1");
    }

    @Test
    void recordingIsOffUnlessAsked() {
        org.deeplearning4j.nn.graph.ComputationGraph g = org.seq4j.testkit.TestGraphs.layerAlone(
                new Recurrent.Builder().cell(new SrnCell()).units(3).build(), 2);
        assertThat(((RecurrentRuntime) g.getLayer("layer")).stateGradientNorms()).isNull();
    }
}
