package org.seq4j.tasks.forecast;

/** Anything that forecasts a univariate series: the baselines and the trained RNN (through {@link Forecaster}). */
public interface ForecastMethod {

    /** A short name for tables. */
    String name();

    /** Point forecasts for the {@code horizon} steps after {@code history}. */
    double[] forecast(double[] history, int horizon);
}
