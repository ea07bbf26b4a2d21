package org.seq4j.tasks.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.seq4j.data.Series;
import org.seq4j.tasks.data.M3;
import org.seq4j.tasks.data.M4;

/** The M4 benchmarks' exponential smoothing: its equations, its fit, and M4's published weekly scores. */
class ExponentialSmoothingTest {

    @Test
    void forecastsFollowTheDampedTrendEquation() {
        ExponentialSmoothing d = new ExponentialSmoothing(0.5, 0.1, 0.9, 10, 2);
        // l_n + (φ + … + φ^h) b_n
        assertThat(d.forecast(3)).containsExactly(new double[] {10 + 0.9 * 2, 10 + (0.9 + 0.81) * 2,
            10 + (0.9 + 0.81 + 0.729) * 2}, within(1e-12));
        assertThat(new ExponentialSmoothing(0.5, 0, 1, 7, 0).forecast(2)).containsExactly(7, 7);
    }

    @Test
    void holtExtrapolatesAStraightLineExactlyAndDampedBendsIt() {
        double[] y = new double[30];
        for (int t = 0; t < y.length; t++) {
            y[t] = 3 + 2 * (t + 1);   // y_t = 3 + 2t
        }
        double[] f = ExponentialSmoothing.fit(y, ExponentialSmoothing.Kind.HOLT).forecast(4);
        for (int h = 1; h <= 4; h++) {
            assertThat(f[h - 1]).isCloseTo(3 + 2 * (30 + h), within(1e-3));
        }
        ExponentialSmoothing d = ExponentialSmoothing.fit(y, ExponentialSmoothing.Kind.DAMPED);
        assertThat(d.phi()).isBetween(0.8, 0.98);
        assertThat(d.beta()).isLessThanOrEqualTo(d.alpha());
        double[] g = d.forecast(4);
        assertThat(g[3] - g[2]).isLessThan(g[1] - g[0]);   // the steps shrink by φ
    }

    @Test
    void sesRecoversTheSmoothingOfTheProcessThatMadeTheData() {
        // y_t = l_{t−1} + e_t, l_t = l_{t−1} + α e_t with α = 0.3: the fit finds α near 0.3
        Random r = new Random(7);
        double[] y = new double[3000];
        double l = 100;
        for (int t = 0; t < y.length; t++) {
            double e = r.nextGaussian();
            y[t] = l + e;
            l += 0.3 * e;
        }
        ExponentialSmoothing s = ExponentialSmoothing.fit(y, ExponentialSmoothing.Kind.SES);
        assertThat(s.alpha()).isCloseTo(0.3, within(0.04));
        assertThat(s.beta()).isZero();
        assertThat(s.level()).isCloseTo(l, within(1.0));
    }

    @Test
    void theFitIsScaleFreeAndConstantSeriesStayConstant() {
        double[] y = {3, 5, 4, 6, 8, 7, 9, 12, 10, 13};
        double[] big = Arrays.stream(y).map(v -> v * 1e6).toArray();
        for (ExponentialSmoothing.Kind k : ExponentialSmoothing.Kind.values()) {
            double[] a = ExponentialSmoothing.fit(y, k).forecast(5);
            double[] b = ExponentialSmoothing.fit(big, k).forecast(5);
            for (int i = 0; i < 5; i++) {
                assertThat(b[i] / 1e6).as(k.name()).isCloseTo(a[i], within(1e-6 * Math.abs(a[i])));
            }
            assertThat(ExponentialSmoothing.fit(new double[] {4, 4, 4}, k).forecast(2)).containsExactly(4, 4);
        }
    }

    /** M4's own weekly benchmark scores (its "Evaluation and Ranks" sheet), from the data under ../shared. */
    @Test
    @Tag("quality")
    void m4WeeklyBenchmarksMatchTheirPublishedScores() {
        Path dir = Path.of("..", "..", "shared", "data", "forecasting", "m4");
        Assumptions.assumeTrue(Files.isDirectory(dir), "M4 weekly data not at " + dir.toAbsolutePath());
        List<M3.Entry> entries = M4.load(dir.resolve("Weekly-train.csv.gz"), dir.resolve("Weekly-test.csv"),
                M4.Frequency.WEEKLY);
        List<Series> full = entries.stream().map(M3.Entry::full).toList();
        Backtest.Result r = Backtest.run(full, Backtest.Setup.horizon(13), null, Baselines.m4(1));
        assertThat(r.row("naive2").smape()).isCloseTo(9.161, within(5e-4));
        assertThat(r.row("naive2").mase()).isCloseTo(2.777, within(5e-4));
        assertThat(r.owa("m4-ses")).isCloseTo(0.975, within(0.002));
        assertThat(r.owa("theta")).isCloseTo(0.971, within(0.004));
        assertThat(r.owa("m4-damped")).isCloseTo(0.917, within(0.004));
    }
}
