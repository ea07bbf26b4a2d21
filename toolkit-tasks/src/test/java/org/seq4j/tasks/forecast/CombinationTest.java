package org.seq4j.tasks.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.seq4j.data.Series;

/** The equal-weight combination of a global forecaster and per-series statistical methods. */
class CombinationTest {

    @Test
    void theForecastIsTheMeanOfTheNetworksAndTheMethodsAndQuantilesMoveWithIt() {
        DeseasonalizedTest.LastValue net = new DeseasonalizedTest.LastValue();
        ForecastMethod theta = Baselines.named("theta", 4);
        ForecastMethod damped = Baselines.named("m4-damped", 4);
        Combination c = new Combination(net, List.of(theta, damped));
        Random r = new Random(5);
        double[] y = new double[30];
        for (int t = 0; t < y.length; t++) {
            y[t] = 20 + 0.3 * t + r.nextGaussian();
        }
        Series s = Series.of("s", y);
        c.fit(List.of(s));
        assertThat(net.seen).containsExactly(s);
        Forecast f = c.predict(s);
        Forecast alone = net.predict(s);
        double[] a = theta.forecast(y, 6);
        double[] b = damped.forecast(y, 6);
        for (int h = 0; h < 6; h++) {
            double mean = (alone.point()[h] + a[h] + b[h]) / 3;
            assertThat(f.point()[h]).isCloseTo(mean, within(1e-12));
            assertThat(f.quantiles()[0][h] - f.point()[h])
                    .isCloseTo(alone.quantiles()[0][h] - alone.point()[h], within(1e-12));
            assertThat(f.quantiles()[2][h] - f.point()[h])
                    .isCloseTo(alone.quantiles()[2][h] - alone.point()[h], within(1e-12));
        }
        assertThat(c.name()).isEqualTo("mean of last, theta, m4-damped");
        assertThat(c.configuration()).containsKey("combination");
    }

    @Test
    void unknownMethodsAndAnEmptyListAreRefused() {
        assertThatThrownBy(() -> Baselines.named("prophet", 12)).hasMessageContaining("unknown forecasting method "
                + "'prophet'").hasMessageContaining("m4-damped");
        assertThatThrownBy(() -> new Combination(new DeseasonalizedTest.LastValue(), List.of()))
                .hasMessageContaining("needs at least one method");
    }
}
