package org.seq4j.data;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seq4j.util.Checks;

/**
 * Sliding windows over a series: each window is {@code lookback} steps of input followed by {@code horizon} steps to
 * predict, and windows start every {@code stride} steps. The forecaster's windows end at an origin ({@link #origins})
 * and may reach before the series' start: {@link #past} pads them on the left and {@link #pastMask} marks the padding.
 *
 * <pre>
 *   series:  x0 x1 x2 x3 x4 x5 x6 x7 x8 ...
 *   window 0 [x0 x1 x2 x3][x4 x5]          lookback 4, horizon 2
 *   window 1       [x2 x3 x4 x5][x6 x7]    stride 2
 * </pre>
 */
public final class Windows {

    private Windows() {
    }

    /** Start indices of every complete window in a series of {@code length} steps. */
    public static List<Integer> starts(int length, int lookback, int horizon, int stride) {
        Checks.require(lookback > 0, "Windows: lookback must be > 0, got %d", lookback);
        Checks.require(horizon > 0, "Windows: horizon must be > 0, got %d", horizon);
        Checks.require(stride > 0, "Windows: stride must be > 0, got %d", stride);
        List<Integer> starts = new ArrayList<>();
        for (int s = 0; s + lookback + horizon <= length; s += stride) {
            starts.add(s);
        }
        return starts;
    }

    /**
     * The input windows as a recurrent batch {@code [n, channels, lookback]}: channel 0 is {@code values}, then each
     * array of {@code extra} (covariates), all taken at the same steps.
     */
    public static INDArray inputs(double[] values, List<double[]> extra, List<Integer> starts, int lookback) {
        INDArray x = Nd4j.create(DataType.FLOAT, starts.size(), 1 + extra.size(), lookback);
        for (int w = 0; w < starts.size(); w++) {
            int s = starts.get(w);
            for (int t = 0; t < lookback; t++) {
                x.putScalar(new long[] {w, 0, t}, values[s + t]);
                for (int c = 0; c < extra.size(); c++) {
                    x.putScalar(new long[] {w, c + 1, t}, extra.get(c)[s + t]);
                }
            }
        }
        return x;
    }

    /**
     * The origins (first predicted step) of a series of {@code length} steps that has at least {@code minHistory}
     * steps before them and {@code steps} after (the origin included): {@code minHistory, minHistory + stride, ...}.
     */
    public static List<Integer> origins(int length, int minHistory, int steps, int stride) {
        Checks.require(minHistory >= 0 && steps > 0 && stride > 0,
                "Windows: minHistory must be >= 0, steps and stride > 0; got %d, %d, %d", minHistory, steps, stride);
        List<Integer> out = new ArrayList<>();
        for (int origin = minHistory; origin + steps <= length; origin += stride) {
            out.add(origin);
        }
        return out;
    }

    /**
     * The {@code lookback} steps before {@code origin} of each channel, {@code [channels][lookback]}, with
     * {@code offset} subtracted from channel 0 (the target; a per-window level such as {@link #levelBefore}), left-
     * padded with zeros where the series had not started (see {@link #pastMask}).
     */
    public static float[][] past(double[][] channels, int origin, int lookback, double offset) {
        float[][] w = new float[channels.length][lookback];
        for (int t = 0; t < lookback; t++) {
            int src = origin - lookback + t;
            if (src < 0) {
                continue;
            }
            w[0][t] = (float) (channels[0][src] - offset);
            for (int c = 1; c < channels.length; c++) {
                w[c][t] = (float) channels[c][src];
            }
        }
        return w;
    }

    /** The mask of {@link #past}: 1 for steps of the series, 0 for the left padding before its start. */
    public static float[] pastMask(int origin, int lookback) {
        float[] m = new float[lookback];
        for (int t = 0; t < lookback; t++) {
            m[t] = origin - lookback + t >= 0 ? 1f : 0f;
        }
        return m;
    }

    /** The mean of the (up to) {@code lookback} values before {@code origin}: a window's level, for normalisation. */
    public static double levelBefore(double[] values, int origin, int lookback) {
        Checks.require(origin > 0, "Windows: a window's level needs at least one value before origin, got origin %d",
                origin);
        int from = Math.max(0, origin - lookback);
        double sum = 0;
        for (int t = from; t < origin; t++) {
            sum += values[t];
        }
        return sum / (origin - from);
    }

    /** The targets of each window, {@code [n, horizon]}: the {@code horizon} values after its lookback. */
    public static INDArray targets(double[] values, List<Integer> starts, int lookback, int horizon) {
        INDArray y = Nd4j.create(DataType.FLOAT, starts.size(), horizon);
        for (int w = 0; w < starts.size(); w++) {
            for (int h = 0; h < horizon; h++) {
                y.putScalar(w, h, values[starts.get(w) + lookback + h]);
            }
        }
        return y;
    }
}
