package org.seq4j.bench;

import org.seq4j.cells.CellType;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.tasks.forecast.ForecastConfig;
import org.seq4j.train.TrainConfig;
import org.seq4j.util.Checks;
import picocli.CommandLine.Option;

/**
 * The forecasting network's options (a picocli mixin), shared by {@code seq4j forecast} and
 * {@code seq4j-spark forecast}: input window, cell, units, layers, normalization, epochs and learning rate.
 */
public final class ForecasterOptions {

    @Option(names = "--lookback", description = "Input window (default: max(2·horizon, 2·season)).")
    Integer lookback;

    @Option(names = "--cell", description = "lstm, gru, srn or scrn (default: ${DEFAULT-VALUE}).")
    String cell = "gru";

    @Option(names = "--units", description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int units = 32;

    @Option(names = "--layers", description = "Stacked layers (default: ${DEFAULT-VALUE}).")
    int layers = 1;

    @Option(names = "--normalization", description = "series (the scaler per series) or window (log values "
            + "relative to each window's mean; values must be > 0) (default: ${DEFAULT-VALUE}).")
    String normalization = "window";

    @Option(names = "--epochs", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate = 0.005;

    /** @param defaultEpochs the command's default for {@code --epochs} */
    public ForecasterOptions(int defaultEpochs) {
        this.epochs = defaultEpochs;
    }

    /** The input window: {@code --lookback}, or twice the larger of the horizon and the season. */
    public int lookback(int horizon, int season) {
        Checks.require(lookback == null || lookback >= 1, "--lookback must be >= 1, got %d", lookback);
        return lookback != null ? lookback : ForecastConfig.defaultLookback(horizon, season);
    }

    /** The encoder: {@code --cell}, {@code --units}, {@code --layers}. */
    public RecurrentSpec encoder() {
        return RecurrentSpec.of(CellType.parse(cell), units).withLayers(layers);
    }

    public ForecastConfig.Normalization normalization() {
        return ForecastCommand.option("--normalization", normalization, ForecastConfig.Normalization.class);
    }

    /** Adam at {@code --lr} for {@code --epochs}. */
    public TrainConfig train(long seed, boolean quiet) {
        return TrainConfig.defaults().withEpochs(epochs).withOptimizer(TrainConfig.Optimizer.ADAM, learningRate)
                .withSeed(seed).withQuiet(quiet);
    }
}
