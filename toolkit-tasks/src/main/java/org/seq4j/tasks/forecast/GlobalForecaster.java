package org.seq4j.tasks.forecast;

import java.util.List;
import java.util.Map;

import org.seq4j.data.Series;
import org.seq4j.train.Trainer;

/**
 * A forecaster trained once on many series that then forecasts any of them: the network ({@link Forecaster}) or an
 * ensemble of networks ({@link Ensemble}). {@link Backtest} trains and scores either through this.
 */
public interface GlobalForecaster extends ForecastMethod {

    /** Trains on {@code series} (each up to its forecast origin); the trainer's account of the run. */
    Trainer.Result fit(List<Series> series);

    /** The forecast of the horizon after {@code history}: point and, if configured, quantiles. */
    Forecast predict(Series history);

    /** Trainable parameters, every member's for an ensemble. */
    long parameters();

    /** The configuration, as stored in a model file. */
    Map<String, Object> configuration();

    /** The seed its training started from. */
    long seed();
}
