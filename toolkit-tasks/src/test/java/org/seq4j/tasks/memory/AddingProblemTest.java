package org.seq4j.tasks.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.seq4j.cells.CellType;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.tasks.TaskResult;

class AddingProblemTest {

    private static final AddingProblem.Options SMALL = new AddingProblem.Options(10, 128, 64, 32, 3, 0.01, 5);

    @Test
    void sameDiffScrnTrainsToTheCoreScrnsNumbers() {
        RecurrentSpec scrn = RecurrentSpec.of(CellType.SCRN, 8).withScrn(4, 0.95, false);
        TaskResult<AddingProblem.Result> core = AddingProblem.run(scrn, SMALL);
        TaskResult<AddingProblem.Result> sd = AddingProblem.run(scrn, SMALL, true);
        assertThat(sd.model()).isEqualTo(core.model() + " (SameDiff)");
        assertThat(sd.parameters()).isEqualTo(core.parameters());
        // the same start, data and updates: the losses of 3 epochs and the test MSE agree to float rounding
        for (int e = 0; e < 3; e++) {
            assertThat(sd.training().losses().get(e)).isCloseTo(core.training().losses().get(e), within(1e-4));
        }
        assertThat(sd.score().value()).isCloseTo(core.score().value(), within(1e-4));
        assertThat(core.score().metrics().get("mseOverBaseline"))
                .isEqualTo(core.score().value() / core.detail().baselineMse());
        assertThat(core.detail().baselineMse()).isBetween(0.1, 0.25);   // about 1/6: predicting the mean
    }

    @Test
    void theSameDiffFormIsOnlyForOneScrnLayer() {
        assertThatThrownBy(() -> AddingProblem.run(RecurrentSpec.of(CellType.GRU, 4), SMALL, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one unidirectional SCRN layer")
                .hasMessageContaining("gru-4");
    }
}
