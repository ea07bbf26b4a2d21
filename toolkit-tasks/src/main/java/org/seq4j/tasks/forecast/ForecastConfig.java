package org.seq4j.tasks.forecast;

import java.util.List;

import org.seq4j.cells.RecurrentSpec;
import org.seq4j.data.Scaler;
import org.seq4j.train.TrainConfig;
import org.seq4j.util.Checks;

/**
 * What a {@link Forecaster} builds and how it trains.
 *
 * @param encoder          the recurrent encoder over the lookback window (any cell, stacked, bidirectional)
 * @param lookback         input window length L
 * @param horizon          steps to forecast H
 * @param strategy         DIRECT: one output per horizon step; RECURSIVE: a one-step model fed its own forecasts
 * @param quantiles        quantile levels to forecast with the pinball loss (sorted, in (0, 1)); empty for a point
 *                         forecast trained with MSE
 * @param scaler           per-series value transform, fitted on the history the model sees
 * @param normalization    SERIES: the scaler above; WINDOW: every window in log space relative to the mean log of
 *                         its lookback ({@code log y − mean log y_lookback}), which removes level and trend from each
 *                         window so one model serves series of any scale and growth (needs values > 0)
 * @param pastCovariates   covariates known only up to the forecast origin (channels of the lookback window)
 * @param futureCovariates covariates known for the horizon too (calendar, planned events): their lookback values are
 *                         channels, their horizon values an extra input (DIRECT only)
 * @param minHistory       shortest history a training window may have; shorter lookbacks are left-padded and masked
 * @param originStride     training windows end at every originStride-th origin of a series (1: every step; more
 *                         thins out the many near-identical windows of long, finely sampled series)
 * @param batchSize        training minibatch size
 * @param train            epochs, optimizer, learning rate, clipping, seed
 */
public record ForecastConfig(RecurrentSpec encoder, int lookback, int horizon, Strategy strategy,
                             List<Double> quantiles, Scaler.Kind scaler, Normalization normalization,
                             List<String> pastCovariates,
                             List<String> futureCovariates, int minHistory, int originStride, int batchSize,
                             TrainConfig train) {

    /** How multi-step forecasts are produced. */
    public enum Strategy { DIRECT, RECURSIVE }

    /** How the target is scaled for the model. */
    public enum Normalization { SERIES, WINDOW }

    public ForecastConfig {
        Checks.require(encoder != null, "ForecastConfig: encoder must not be null");
        Checks.require(lookback > 0, "ForecastConfig: lookback must be > 0, got %d", lookback);
        Checks.require(horizon > 0, "ForecastConfig: horizon must be > 0, got %d", horizon);
        Checks.require(strategy != null, "ForecastConfig: strategy must not be null");
        Checks.require(normalization != null, "ForecastConfig: normalization must not be null");
        quantiles = List.copyOf(quantiles);
        for (int i = 0; i < quantiles.size(); i++) {
            double q = quantiles.get(i);
            Checks.require(q > 0 && q < 1, "ForecastConfig: quantile levels must be in (0, 1), got %s", q);
            Checks.require(i == 0 || q > quantiles.get(i - 1), "ForecastConfig: quantile levels must increase, got %s",
                    quantiles);
        }
        pastCovariates = List.copyOf(pastCovariates);
        futureCovariates = List.copyOf(futureCovariates);
        Checks.require(strategy == Strategy.DIRECT || (pastCovariates.isEmpty() && futureCovariates.isEmpty()),
                "ForecastConfig: covariates need the DIRECT strategy (a recursive model would need their future "
                        + "values step by step)");
        Checks.require(minHistory >= 1 && minHistory <= lookback, "ForecastConfig: minHistory must be in [1, "
                + "lookback = %d], got %d", lookback, minHistory);
        Checks.require(originStride >= 1, "ForecastConfig: originStride must be >= 1, got %d", originStride);
        Checks.require(batchSize > 0, "ForecastConfig: batchSize must be > 0, got %d", batchSize);
        Checks.require(train != null, "ForecastConfig: train must not be null");
    }

    /**
     * A direct point forecaster with a standard scaler and SERIES normalisation (it accepts values of any sign; for
     * positive series with level and trend, WINDOW normalisation does better: {@link #withNormalization}), full
     * windows only, batch 32.
     */
    public static ForecastConfig of(RecurrentSpec encoder, int lookback, int horizon, TrainConfig train) {
        return new ForecastConfig(encoder, lookback, horizon, Strategy.DIRECT, List.of(), Scaler.Kind.STANDARD,
                Normalization.SERIES, List.of(), List.of(), lookback, 1, 32, train);
    }

    public ForecastConfig withStrategy(Strategy s) {
        return new ForecastConfig(encoder, lookback, horizon, s, quantiles, scaler, normalization, pastCovariates,
                futureCovariates, minHistory, originStride, batchSize, train);
    }

    public ForecastConfig withQuantiles(List<Double> q) {
        return new ForecastConfig(encoder, lookback, horizon, strategy, q, scaler, normalization, pastCovariates,
                futureCovariates, minHistory, originStride, batchSize, train);
    }

    public ForecastConfig withScaler(Scaler.Kind k) {
        return new ForecastConfig(encoder, lookback, horizon, strategy, quantiles, k, normalization, pastCovariates,
                futureCovariates, minHistory, originStride, batchSize, train);
    }

    public ForecastConfig withNormalization(Normalization n) {
        return new ForecastConfig(encoder, lookback, horizon, strategy, quantiles, scaler, n, pastCovariates,
                futureCovariates, minHistory, originStride, batchSize, train);
    }

    public ForecastConfig withCovariates(List<String> past, List<String> future) {
        return new ForecastConfig(encoder, lookback, horizon, strategy, quantiles, scaler, normalization, past, future,
                minHistory, originStride, batchSize, train);
    }

    public ForecastConfig withMinHistory(int n) {
        return new ForecastConfig(encoder, lookback, horizon, strategy, quantiles, scaler, normalization,
                pastCovariates, futureCovariates, n, originStride, batchSize, train);
    }

    public ForecastConfig withOriginStride(int n) {
        return new ForecastConfig(encoder, lookback, horizon, strategy, quantiles, scaler, normalization, pastCovariates,
                futureCovariates, minHistory, n, batchSize, train);
    }

    public ForecastConfig withBatchSize(int n) {
        return new ForecastConfig(encoder, lookback, horizon, strategy, quantiles, scaler, normalization,
                pastCovariates, futureCovariates, minHistory, originStride, n, train);
    }

    public ForecastConfig withTrain(TrainConfig t) {
        return new ForecastConfig(encoder, lookback, horizon, strategy, quantiles, scaler, normalization,
                pastCovariates, futureCovariates, minHistory, originStride, batchSize, t);
    }

    /** The default lookback: two horizons or two seasons, whichever is longer. */
    public static int defaultLookback(int horizon, int season) {
        return Math.max(2 * horizon, 2 * season);
    }

    /**
     * The shortest history a training window may have: full lookback windows when a series' training part
     * ({@code trainLength} values) holds at least 3 of them; otherwise windows may start with as little as one horizon
     * of history (left-padded and masked), so short series still train.
     */
    public static int defaultMinHistory(int trainLength, int lookback, int horizon) {
        return trainLength - lookback - horizon + 1 >= 3 ? lookback : Math.min(lookback, horizon);
    }

    /** This configuration as plain values, for model files ({@link #fromMap}). */
    public java.util.Map<String, Object> toMap() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("encoder", encoder.toMap());
        m.put("lookback", lookback);
        m.put("horizon", horizon);
        m.put("strategy", strategy.name());
        m.put("quantiles", quantiles);
        m.put("scaler", scaler.name());
        m.put("normalization", normalization.name());
        m.put("pastCovariates", pastCovariates);
        m.put("futureCovariates", futureCovariates);
        m.put("minHistory", minHistory);
        m.put("originStride", originStride);
        m.put("batchSize", batchSize);
        m.put("train", train.toMap());
        return m;
    }

    /** The configuration {@link #toMap} wrote; {@code where} names the source in errors. */
    public static ForecastConfig fromMap(org.nd4j.shade.jackson.databind.JsonNode m, String where) {
        org.seq4j.cells.JsonFields f = new org.seq4j.cells.JsonFields(m, where);
        List<Double> q = new java.util.ArrayList<>();
        f.array("quantiles").forEach(v -> q.add(v.asDouble()));
        List<String> past = new java.util.ArrayList<>();
        f.array("pastCovariates").forEach(v -> past.add(v.asText()));
        List<String> future = new java.util.ArrayList<>();
        f.array("futureCovariates").forEach(v -> future.add(v.asText()));
        return new ForecastConfig(RecurrentSpec.fromMap(f.object("encoder"), where + " encoder"),
                f.integer("lookback"), f.integer("horizon"), f.enumValue(Strategy.class, "strategy"), q,
                f.enumValue(Scaler.Kind.class, "scaler"), f.enumValue(Normalization.class, "normalization"), past,
                future, f.integer("minHistory"), m.has("originStride") ? f.integer("originStride") : 1,
                f.integer("batchSize"), TrainConfig.fromMap(f.object("train"), where + " train"));
    }

    /** Steps one model output covers: H for DIRECT, 1 for RECURSIVE. */
    int outputSteps() {
        return strategy == Strategy.DIRECT ? horizon : 1;
    }

    /** Outputs per step: the number of quantiles, or 1. */
    int outputsPerStep() {
        return quantiles.isEmpty() ? 1 : quantiles.size();
    }

    /** Channels of the lookback window: the target, the past covariates, the future covariates. */
    int channels() {
        return 1 + pastCovariates.size() + futureCovariates.size();
    }
}
