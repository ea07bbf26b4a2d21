package org.seq4j.tasks.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.seq4j.data.Series;

/** Each baseline on a series whose forecast can be worked out by hand (the working is in the comments). */
class BaselinesTest {

    @Test
    void naiveSeasonalNaiveAndDrift() {
        assertThat(Baselines.naive().forecast(new double[] {1, 2, 3}, 2)).containsExactly(3, 3);
        // m = 2, n = 5: f_h = y_{5 − 2 + ((h − 1) mod 2) + 1} = y4, y5, y4
        assertThat(Baselines.seasonalNaive(2).forecast(new double[] {1, 2, 3, 4, 5}, 3)).containsExactly(4, 5, 4);
        // slope (5 − 1) / 2 = 2
        assertThat(Baselines.drift().forecast(new double[] {1, 3, 5}, 2)).containsExactly(7, 9);
    }

    @Test
    void sesPicksAlphaByLeastSquares() {
        assertThat(Baselines.ses().forecast(new double[] {5, 5, 5, 5}, 2)).containsExactly(5, 5);
        // on a straight line every lag hurts, so α → 1 and the level is the last value
        Baselines.Ses s = Baselines.Ses.fit(new double[] {1, 2, 3, 4});
        assertThat(s.alpha()).isGreaterThan(0.999);
        assertThat(s.level()).isCloseTo(4, within(1e-3));
        // α = 0.5 by hand on 2, 4, 3: l = 2 → 3 → 3; SSE = 2² + (−0)²... = 4 + 0 = 4
        assertThat(Baselines.Ses.sse(new double[] {2, 4, 3}, 0.5)).isCloseTo(4.0, within(1e-12));
    }

    @Test
    void thetaAddsHalfTheTrend() {
        // y = t, t = 1..10: not seasonal (m = 1), α → 1, level 10, slope 1:
        // f_h = 10 + ½ (h − 1 + (1 − 0^n)/1) = 10 + h/2
        double[] y = new double[10];
        for (int t = 0; t < 10; t++) {
            y[t] = t + 1;
        }
        double[] f = Baselines.theta(1).forecast(y, 3);
        assertThat(f[0]).isCloseTo(10.5, within(1e-3));
        assertThat(f[1]).isCloseTo(11.0, within(1e-3));
        assertThat(f[2]).isCloseTo(11.5, within(1e-3));
    }

    @Test
    void naive2OnAPurelySeasonalSeriesIsSeasonalNaive() {
        // y_t = 100 · s_{t mod 4}: the 2×4 moving average is exactly 100, so the indices are s, the adjusted series
        // is 100 throughout, and re-seasonalising gives the seasonal pattern back
        double[] s = {0.8, 1.3, 0.9, 1.0};
        double[] y = new double[16];
        for (int t = 0; t < 16; t++) {
            y[t] = 100 * s[t % 4];
        }
        assertThat(Seasonality.isSeasonal(y, 4)).isTrue();
        assertThat(Seasonality.indices(y, 4)).containsExactly(new double[] {0.8, 1.3, 0.9, 1.0}, within(1e-12));
        assertThat(Baselines.naive2(4).forecast(y, 5)).containsExactly(new double[] {80, 130, 90, 100, 80},
                within(1e-9));
        // and on a non-seasonal series it is the naive forecast
        Random r = new Random(1);
        double[] noise = new double[40];
        for (int t = 0; t < 40; t++) {
            noise[t] = 50 + r.nextGaussian();
        }
        assertThat(Seasonality.isSeasonal(noise, 4)).isFalse();
        assertThat(Baselines.naive2(4).forecast(noise, 2)).containsExactly(noise[39], noise[39]);
    }

    @Test
    void autocorrelationByHand() {
        // y = 1, 2, 3, 4: mean 2.5; deviations −1.5, −0.5, 0.5, 1.5; Σd² = 5
        // lag 1: (−1.5)(−0.5) + (−0.5)(0.5) + (0.5)(1.5) = 0.75 − 0.25 + 0.75 = 1.25 → 0.25
        assertThat(Seasonality.acf(new double[] {1, 2, 3, 4}, 1)).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void defaultsForSeasonLookbackAndMinimumHistory() {
        assertThat(Seasonality.fromTimestamps(List.of("1949-01", "1949-02"))).isEqualTo(12);
        assertThat(Seasonality.fromTimestamps(List.of("1960-Q1"))).isEqualTo(4);
        assertThat(Seasonality.fromTimestamps(List.of("1875", "1876"))).isEqualTo(1);
        assertThat(Seasonality.fromTimestamps(List.of("2020-01-31 12:00"))).isEqualTo(1);
        assertThat(ForecastConfig.defaultLookback(12, 12)).isEqualTo(24);
        assertThat(ForecastConfig.defaultLookback(8, 1)).isEqualTo(16);
        // 132 training values, lookback 24, horizon 12: 97 full windows -> full lookback required
        assertThat(ForecastConfig.defaultMinHistory(132, 24, 12)).isEqualTo(24);
        // 37 values hold only 2 full windows -> one horizon of history is enough (padded and masked)
        assertThat(ForecastConfig.defaultMinHistory(37, 24, 12)).isEqualTo(12);
        assertThat(ForecastConfig.defaultMinHistory(38, 24, 12)).isEqualTo(24);
    }

    @Test
    void backtestScoresGivenForecastsWithoutTraining() {
        // two series, horizon 2, m = 1: the last two values held out
        Series a = Series.of("a", 1, 2, 3, 4, 6);
        Series b = Series.of("b", 5, 5, 6, 7, 7);
        java.util.Map<String, java.util.Map<String, double[]>> given = new java.util.LinkedHashMap<>();
        given.put("mine", java.util.Map.of("a", new double[] {4, 6}, "b", new double[] {7, 9}));
        given.put("naive2", java.util.Map.of("a", new double[] {3, 3}, "b", new double[] {6, 6}));
        Backtest.Result r = Backtest.score(List.of(a, b), Backtest.Setup.horizon(2), given);
        // mine: a exact (sMAPE 0); b: |7 − 7| and |7 − 9| → 200/2 · (0 + 2/16) = 12.5; mean 6.25
        assertThat(r.row("mine").smape()).isCloseTo(6.25, within(1e-12));
        // MAE: a 0; b (0 + 2)/2 = 1 → 0.5
        assertThat(r.row("mine").mae()).isCloseTo(0.5, within(1e-12));
        assertThat(r.owa("mine")).isCloseTo(r.owa("mine", "naive2"), within(0.0));
        assertThat(r.rows()).extracting(Backtest.Row::method).containsExactly("mine", "naive2");
        // the setup is built by name: a season and a horizon cannot trade places unnoticed
        assertThat(Backtest.Setup.horizon(6).season(12).folds(2)).isEqualTo(new Backtest.Setup(2, 12, 6));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Backtest.Setup.horizon(6).season(0))
                .hasMessageContaining("season length m must be >= 1");
    }
}
