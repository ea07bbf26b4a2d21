package org.seq4j.tasks.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.seq4j.data.Series;
import org.seq4j.train.Trainer;

/** Deseasonalised training and forecasting, against M4's Naive2 (which is naive on the same adjustment). */
class DeseasonalizedTest {

    /** A naive "network": the last value, with a ±10% interval; remembers what it was trained on. */
    static final class LastValue implements GlobalForecaster {
        final List<Series> seen = new ArrayList<>();

        @Override
        public Trainer.Result fit(List<Series> series) {
            seen.addAll(series);
            return new Trainer.Result(1, 0, false, Double.NaN, 0, List.of(), List.of(), 0, 0);
        }

        @Override
        public Forecast predict(Series history) {
            double last = history.values()[history.length() - 1];
            double[] p = {last, last, last, last, last, last};
            double[] lo = p.clone();
            double[] hi = p.clone();
            for (int h = 0; h < p.length; h++) {
                lo[h] *= 0.9;
                hi[h] *= 1.1;
            }
            return new Forecast(p, List.of(0.1, 0.5, 0.9), new double[][] {lo, p, hi});
        }

        @Override
        public double[] forecast(double[] history, int horizon) {
            return predict(Series.of("h", history)).point();
        }

        @Override
        public String name() {
            return "last";
        }

        @Override
        public long parameters() {
            return 0;
        }

        @Override
        public Map<String, Object> configuration() {
            return Map.of();
        }

        @Override
        public long seed() {
            return 0;
        }
    }

    private static double[] seasonal(int n, long seed) {
        Random r = new Random(seed);
        double[] idx = {0.8, 1.3, 0.9, 1.0};
        double[] y = new double[n];
        for (int t = 0; t < n; t++) {
            y[t] = (100 + 0.5 * t) * idx[t % 4] * (1 + 0.02 * r.nextGaussian());
        }
        return y;
    }

    @Test
    void naiveOnTheAdjustedSeriesIsM4sNaive2AndQuantilesAreReseasonalisedToo() {
        LastValue inner = new LastValue();
        Deseasonalized d = new Deseasonalized(inner, 4);
        Random r = new Random(3);
        double[] noise = new double[40];
        for (int t = 0; t < noise.length; t++) {
            noise[t] = 50 + r.nextGaussian();
        }
        Series a = Series.of("a", seasonal(41, 1));     // odd length: the forecast starts mid-season
        Series b = Series.of("b", noise);                // fails the seasonality test: passes through
        d.fit(List.of(a, b));
        assertThat(inner.seen.get(1)).isSameAs(b);
        double[] idx = Seasonality.indices(a.values(), 4);
        for (int t = 0; t < a.length(); t++) {
            assertThat(inner.seen.get(0).values()[t]).isCloseTo(a.values()[t] / idx[t % 4], within(1e-12));
        }
        for (Series s : List.of(a, b)) {
            Forecast f = d.predict(s);
            double[] naive2 = Baselines.naive2(4).forecast(s.values(), 6);
            for (int h = 0; h < 6; h++) {
                assertThat(f.point()[h]).isCloseTo(naive2[h], within(1e-9));
                assertThat(f.quantiles()[0][h]).isCloseTo(0.9 * naive2[h], within(1e-9));
                assertThat(f.quantiles()[2][h]).isCloseTo(1.1 * naive2[h], within(1e-9));
            }
        }
        assertThat(d.predict(a).point()).isNotEqualTo(inner.predict(a).point());   // the adjustment did something
        assertThat(d.name()).isEqualTo("last (deseasonalised)");
    }

    @Test
    void seriesWithANonPositiveValueOrTooShortPassThrough() {
        LastValue inner = new LastValue();
        Deseasonalized d = new Deseasonalized(inner, 4);
        double[] y = seasonal(40, 2);
        y[7] = 0;
        Series zero = Series.of("zero", y);
        Series shortOne = Series.of("short", seasonal(11, 3));   // fewer than 3m values: no test
        d.fit(List.of(zero, shortOne));
        assertThat(inner.seen).containsExactly(zero, shortOne);
        assertThat(d.predict(zero).point()).containsExactly(inner.predict(zero).point());
    }
}
