package org.seq4j.tasks.forecast;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.seq4j.cells.RecurrentStack;
import org.seq4j.data.Scaler;
import org.seq4j.data.Series;
import org.seq4j.io.ModelArchive;
import org.seq4j.train.EpochData;
import org.seq4j.train.PinballLoss;
import org.seq4j.train.RunInfo;
import org.seq4j.train.Trainer;
import org.seq4j.train.Validation;
import org.seq4j.util.Checks;

/**
 * A recurrent forecaster: one global model over many series (as Darts' RNN models and the M4 winners train), with
 * windows of {@code lookback} steps, direct or recursive multi-step output, optional quantiles and covariates.
 *
 * <pre>
 *   past [mb, 1 + covariates, L] ─▶ encoder (any cell) ─▶ last step ─┐
 *   future [mb, F·H] (known-future covariates, optional) ───────────┴─▶ merge ─▶ output [H·Q] (MSE or pinball)
 * </pre>
 *
 * Values reach the network normalised as {@link ForecastConfig#normalization()} says: SERIES (the library default,
 * any sign of values) scales each series with its own scaler ({@link ForecastConfig#scaler()}) fitted on the history
 * the model sees; WINDOW (the CLI's default, and what the M3 and AirPassengers benchmarks use: it beats SERIES on
 * positive series with level and trend, docs/benchmarks.md) takes each window's logs relative to the mean log of its
 * lookback, and leaves the scaler unused. Forecasts are transformed back.
 */
public final class Forecaster implements GlobalForecaster {

    private final ForecastConfig config;
    private ComputationGraph graph;

    public Forecaster(ForecastConfig config) {
        this.config = config;
    }

    public ForecastConfig config() {
        return config;
    }

    /** The trained graph (null before {@link #fit}). */
    public ComputationGraph graph() {
        return graph;
    }

    @Override
    public String name() {
        return config.encoder().label();
    }

    @Override
    public long parameters() {
        Checks.requireState(graph != null, "Forecaster: no parameters before fit");
        return org.seq4j.tasks.TaskResult.parameters(graph);
    }

    @Override
    public Map<String, Object> configuration() {
        return config.toMap();
    }

    @Override
    public long seed() {
        return config.train().seed();
    }

    // ---- persistence -----------------------------------------------------------------------------------------------

    /** The kind of {@link ModelArchive} a forecaster is saved as. */
    public static final String KIND = "forecaster";

    /** Writes the trained model and its configuration to one zip of plain data, atomically. */
    public void save(Path file) {
        Checks.requireState(graph != null, "Forecaster: nothing to save before training");
        ModelArchive.write(file, KIND, graph, false, Map.of("forecaster", config.toMap(),
                "run-info", RunInfo.current(config.train().seed())), Map.of());
    }

    /** Reads a forecaster written by {@link #save}: it forecasts exactly as the one that was saved. */
    public static Forecaster load(Path file) {
        ModelArchive.Contents c = ModelArchive.read(file, KIND, Set.of("forecaster", "run-info"), Set.of(), false);
        Forecaster f = new Forecaster(ForecastConfig.fromMap(c.json("forecaster"),
                "forecaster file " + file + ", entry 'forecaster.json'"));
        f.graph = c.graph();
        return f;
    }

    // ---- training --------------------------------------------------------------------------------------------------

    /** Trains one model on the windows of every series (from scratch). */
    public Trainer.Result fit(List<Series> series) {
        Path from = resumeFrom;
        resumeFrom = null;
        return fit(series, from);
    }

    private Path resumeFrom;

    /**
     * Makes the next {@link #fit(List)} continue from {@code checkpoint} (for callers that fit through another
     * component, such as {@link Backtest}); later fits start afresh.
     */
    public Forecaster resumeFrom(Path checkpoint) {
        this.resumeFrom = checkpoint;
        return this;
    }

    /**
     * {@link #fit(List)}, continuing from {@code checkpoint} when it is not null (written by the same training with
     * {@code TrainConfig.withCheckpoints}); the result equals an uninterrupted run's.
     */
    public Trainer.Result fit(List<Series> series, Path checkpoint) {
        return fit(series, null, checkpoint);
    }

    private final List<org.deeplearning4j.optimize.api.TrainingListener> listeners = new ArrayList<>();

    /** DL4J listeners (scores, timing, gradient norms, ...) for the training runs of this forecaster. */
    public Forecaster addListeners(org.deeplearning4j.optimize.api.TrainingListener... l) {
        listeners.addAll(List.of(l));
        return this;
    }

    /**
     * Trains on the windows of {@code series}; {@code validation} (may be null) is scored after every epoch by the
     * mean training loss over its windows, for early stopping ({@code TrainConfig.withPatience}) and model selection
     * (the best epoch's parameters are kept). Continues from {@code checkpoint} when it is not null.
     */
    public Trainer.Result fit(List<Series> series, List<Series> validation, Path checkpoint) {
        Checks.require(!series.isEmpty(), "Forecaster.fit: no series");
        Checks.require(validation != null || config.train().patience() == 0, "Forecaster.fit: early stopping "
                + "(patience %d) needs validation series", config.train().patience());
        Windows w = windows(series);
        Checks.require(w.count() > 0, "Forecaster.fit: no training windows: every series is shorter than minHistory "
                + "(%d) + %d output steps", config.minHistory(), config.outputSteps());
        EpochData data = epoch -> w.batches(config.batchSize(), config.train().seed() + epoch);
        Validation valid = null;
        if (validation != null) {
            Windows v = windows(validation);
            Checks.require(v.count() > 0, "Forecaster.fit: no validation windows: every validation series is shorter "
                    + "than minHistory (%d) + %d output steps", config.minHistory(), config.outputSteps());
            List<MultiDataSet> vb = v.batches(config.batchSize(), 0);   // built as they are read, each epoch
            valid = new Validation("valid loss", g -> {
                double sum = 0;
                long n = 0;
                for (MultiDataSet b : vb) {
                    long rows = b.getFeatures(0).size(0);
                    sum += g.score(b, false) * rows;
                    n += rows;
                }
                return sum / n;
            }, false);
        }
        Trainer trainer = new Trainer(config.train()).progressUnit("windows")
                .addListeners(listeners.toArray(new org.deeplearning4j.optimize.api.TrainingListener[0]));
        if (checkpoint != null) {
            ComputationGraph[] trained = new ComputationGraph[1];
            Trainer.Result r = trainer.resume(checkpoint, data, valid, trained);
            graph = trained[0];
            return r;
        }
        graph = buildGraph();
        return trainer.fit(graph, data, valid);
    }

    /**
     * Builds the graph (or takes {@code trained}, a checkpoint's graph of this configuration) for training elsewhere,
     * for example on Spark with batches from {@link #trainingBatches}; {@link #fit} does this itself.
     */
    public void initialise(ComputationGraph trained) {
        graph = trained != null ? trained : buildGraph();
    }

    /**
     * The training batches of the windows of {@code series} (each scaled on its own, as in {@link #fit}), shuffled with
     * {@code seed}, {@code batchSize} windows each, every batch built when it is read; none when no series is long
     * enough for a window. Depends only on the configuration, so any copy of this forecaster (on a Spark executor)
     * builds the same batches.
     */
    public List<MultiDataSet> trainingBatches(List<Series> series, long seed) {
        return windows(series).batches(config.batchSize(), seed);
    }

    ComputationGraph buildGraph() {
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
                .seed(config.train().seed())
                .dataType(DataType.FLOAT)
                .updater(config.train().updater())
                .graphBuilder()
                .addInputs(inputs());
        String top = RecurrentStack.add(b, "encoder", "past", config.encoder());
        b.addVertex("last", new LastTimeStepVertex("past"), top);
        String head = "last";
        if (!config.futureCovariates().isEmpty()) {
            b.addVertex("merge", new MergeVertex(), "last", "future");
            head = "merge";
        }
        int outputs = config.outputSteps() * config.outputsPerStep();
        b.addLayer("out", new OutputLayer.Builder(loss()).activation(Activation.IDENTITY).nOut(outputs).build(), head)
                .setOutputs("out");
        b.setInputTypes(inputTypes());
        ComputationGraph g = new ComputationGraph(b.build());
        g.init();
        return g;
    }

    private String[] inputs() {
        return config.futureCovariates().isEmpty() ? new String[] {"past"} : new String[] {"past", "future"};
    }

    private InputType[] inputTypes() {
        InputType past = InputType.recurrent(config.channels());
        return config.futureCovariates().isEmpty() ? new InputType[] {past}
                : new InputType[] {past, InputType.feedForward((long) config.futureCovariates().size()
                * config.horizon())};
    }

    private ILossFunction loss() {
        if (config.quantiles().isEmpty()) {
            return new LossMSE();
        }
        int steps = config.outputSteps();
        double[] levels = new double[steps * config.quantiles().size()];
        for (int q = 0; q < config.quantiles().size(); q++) {
            Arrays.fill(levels, q * steps, (q + 1) * steps, config.quantiles().get(q));
        }
        return new PinballLoss(levels);
    }

    // ---- windows ---------------------------------------------------------------------------------------------------

    /**
     * The training windows of a list of series: which series and origin each is (the values are read from the scaled
     * series when a batch is built, so the windows are never all in memory at once).
     */
    final class Windows {
        private final List<Scaled> scaled = new ArrayList<>();
        private final List<int[]> windows = new ArrayList<>();   // {series, origin}

        int count() {
            return windows.size();
        }

        /**
         * The batches of one epoch: the windows shuffled with {@code seed}, {@code batchSize} per batch, each batch's
         * arrays (past [b, C, L], mask [b, L], future [b, F·H] when there are future covariates, labels [b, S·Q])
         * built when the trainer asks for it.
         */
        List<MultiDataSet> batches(int batchSize, long seed) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < count(); i++) {
                order.add(i);
            }
            Collections.shuffle(order, new Random(seed));
            int batches = (order.size() + batchSize - 1) / batchSize;
            return EpochData.onDemand(batches, b -> batch(order.subList(b * batchSize,
                    Math.min(order.size(), (b + 1) * batchSize))));
        }

        private MultiDataSet batch(List<Integer> rows) {
            int steps = config.outputSteps();
            int q = config.outputsPerStep();
            float[][][] past = new float[rows.size()][][];
            float[][] mask = new float[rows.size()][];
            float[][] future = config.futureCovariates().isEmpty() ? null : new float[rows.size()][];
            float[][] labels = new float[rows.size()][];
            for (int r = 0; r < rows.size(); r++) {
                int[] w = windows.get(rows.get(r));
                Scaled sc = scaled.get(w[0]);
                int origin = w[1];
                past[r] = sc.window(origin);
                mask[r] = sc.windowMask(origin);
                if (future != null) {
                    future[r] = sc.futureValues(origin);
                }
                labels[r] = sc.labels(origin, steps, q);
            }
            INDArray[] features = future == null ? new INDArray[] {Nd4j.create(past)}
                    : new INDArray[] {Nd4j.create(past), Nd4j.create(future)};
            INDArray[] masks = future == null ? new INDArray[] {Nd4j.create(mask)}
                    : new INDArray[] {Nd4j.create(mask), null};
            return new MultiDataSet(features, new INDArray[] {Nd4j.create(labels)}, masks, null);
        }
    }

    Windows windows(List<Series> series) {
        Windows w = new Windows();
        int steps = config.outputSteps();
        for (Series s : series) {
            Scaled sc = new Scaled(s, config.scaler().fit(s.values()), s.length(), null);
            for (int origin : org.seq4j.data.Windows.origins(s.length(), config.minHistory(), steps,
                    config.originStride())) {
                w.windows.add(new int[] {w.scaled.size(), origin});
            }
            w.scaled.add(sc);
        }
        return w;
    }

    /** A series scaled for the model, with the scalers to undo it. */
    private final class Scaled {
        final Scaler scaler;
        final boolean window;
        final double[] target;          // scaled (SERIES) or log values (WINDOW)
        final double[][] channels;     // the lookback's channels: target, then covariates (scaled; these may run
                                       // past the target with future values)
        final double[][] future;       // future covariates, scaled

        /** @param historyLength steps of {@code s} that are history (covariate scalers are fitted on them) */
        Scaled(Series s, Scaler scaler, int historyLength, Map<String, double[]> futureValues) {
            this.scaler = scaler;
            this.window = config.normalization() == ForecastConfig.Normalization.WINDOW;
            if (window) {
                target = new double[s.length()];
                for (int t = 0; t < target.length; t++) {
                    Checks.require(s.values()[t] > 0, "Forecaster: window normalization works in log space and needs "
                            + "values > 0; series '%s' has %s at step %d (use --normalization series)", s.id(),
                            s.values()[t], t);
                    target[t] = Math.log(s.values()[t]);
                }
            } else {
                target = scaler.transform(s.values());
            }
            List<String> covs = new ArrayList<>(config.pastCovariates());
            covs.addAll(config.futureCovariates());
            channels = new double[1 + covs.size()][];
            channels[0] = target;
            future = new double[config.futureCovariates().size()][];
            for (int c = 0; c < covs.size(); c++) {
                String name = covs.get(c);
                double[] v = s.covariates().get(name);
                Checks.require(v != null, "Forecaster: series '%s' has no covariate '%s' (it has %s)", s.id(), name,
                        s.covariates().keySet());
                int f = c - config.pastCovariates().size();
                if (f >= 0 && futureValues != null) {
                    double[] ahead = futureValues.get(name);
                    Checks.require(ahead != null && ahead.length >= config.horizon(), "Forecaster: give %d future "
                            + "values of covariate '%s'", config.horizon(), name);
                    double[] joined = Arrays.copyOf(Arrays.copyOf(v, historyLength), historyLength + config.horizon());
                    System.arraycopy(ahead, 0, joined, historyLength, config.horizon());
                    v = joined;
                }
                Scaler cs = Scaler.Kind.STANDARD.fit(Arrays.copyOf(v, historyLength));
                channels[c + 1] = cs.transform(v);
                if (f >= 0) {
                    future[f] = channels[c + 1];
                }
            }
        }

        /** What the model's target values are relative to at {@code origin}: 0, or the lookback's mean log. */
        double offset(int origin) {
            return window ? org.seq4j.data.Windows.levelBefore(target, origin, config.lookback()) : 0;
        }

        /**
         * The model's targets for the window ending at {@code origin}: {@code steps} values from the origin, relative
         * to the window's offset, repeated once per quantile ({@code [q · steps]}).
         */
        float[] labels(int origin, int steps, int q) {
            double off = offset(origin);
            float[] y = new float[steps * q];
            for (int k = 0; k < q; k++) {
                for (int h = 0; h < steps; h++) {
                    y[k * steps + h] = (float) (target[origin + h] - off);
                }
            }
            return y;
        }

        /** A model output for a window ending at {@code origin}, back on the series' scale. */
        double unscale(double out, int origin) {
            return window ? Math.exp(out + offset(origin)) : scaler.inverse(out);
        }

        /** [C][L]: the L steps before {@code origin}, left-padded with zeros. */
        float[][] window(int origin) {
            return org.seq4j.data.Windows.past(channels, origin, config.lookback(), offset(origin));
        }

        float[] windowMask(int origin) {
            return org.seq4j.data.Windows.pastMask(origin, config.lookback());
        }

        float[] futureValues(int origin) {
            int h = config.horizon();
            float[] f = new float[future.length * h];
            for (int c = 0; c < future.length; c++) {
                for (int k = 0; k < h; k++) {
                    f[c * h + k] = (float) future[c][origin + k];
                }
            }
            return f;
        }
    }

    // ---- forecasting -----------------------------------------------------------------------------------------------

    @Override
    public double[] forecast(double[] history, int horizon) {
        Checks.require(config.strategy() == ForecastConfig.Strategy.RECURSIVE || horizon == config.horizon(),
                "Forecaster: this direct model forecasts %d steps, asked for %d", config.horizon(), horizon);
        return predict(Series.of("history", history), null, horizon).point();
    }

    /** Forecasts the configured horizon after {@code history}. */
    public Forecast predict(Series history) {
        return predict(history, null, config.horizon());
    }

    /**
     * Forecasts {@code horizon} steps after {@code history}; {@code futureCovariates} gives the horizon's values of
     * each known-future covariate (null when there are none).
     */
    public Forecast predict(Series history, Map<String, double[]> futureCovariates, int horizon) {
        Checks.requireState(graph != null, "Forecaster: call fit before predict");
        Checks.require(config.futureCovariates().isEmpty() || futureCovariates != null,
                "Forecaster: this model needs the future values of %s", config.futureCovariates());
        int q = config.outputsPerStep();
        double[][] quant = new double[q][horizon];
        if (config.strategy() == ForecastConfig.Strategy.DIRECT) {
            Checks.require(horizon == config.horizon(), "Forecaster: this direct model forecasts %d steps, asked for %d",
                    config.horizon(), horizon);
            Scaled sc = new Scaled(history, config.scaler().fit(history.values()), history.length(),
                    futureCovariates);
            INDArray out = run(sc, history.length());
            for (int k = 0; k < q; k++) {
                for (int h = 0; h < horizon; h++) {
                    quant[k][h] = sc.unscale(out.getDouble(0, (long) k * horizon + h), history.length());
                }
            }
        } else {
            double[] values = Arrays.copyOf(history.values(), history.length() + horizon);
            Scaler scaler = config.scaler().fit(history.values());
            for (int h = 0; h < horizon; h++) {
                int n = history.length() + h;
                Scaled sc = new Scaled(Series.of(history.id(), Arrays.copyOf(values, n)), scaler, n, null);
                INDArray out = run(sc, n);
                for (int k = 0; k < q; k++) {
                    quant[k][h] = sc.unscale(out.getDouble(0, k), n);
                }
                values[n] = quant[medianIndex()][h];
            }
        }
        // Quantiles never cross: at each step the Q outputs are sorted and given to the levels in order. This is
        // Chernozhukov, Fernández-Val and Galichon's rearrangement (Econometrica 2010): when the true quantile curve
        // is monotone, the sorted estimates are never farther from it (in any Lp norm) than the unsorted ones; it
        // leaves estimates that do not cross unchanged. A
        // monotone head (cumulative positive increments) would constrain training too; sorting keeps the pinball
        // loss as trained and fixes the rare crossing at prediction.
        for (int h = 0; h < horizon; h++) {
            double[] col = new double[q];
            for (int k = 0; k < q; k++) {
                col[k] = quant[k][h];
            }
            Arrays.sort(col);
            for (int k = 0; k < q; k++) {
                quant[k][h] = col[k];
            }
        }
        double[] point = quant[medianIndex()].clone();
        return config.quantiles().isEmpty() ? new Forecast(point, List.of(), new double[0][])
                : new Forecast(point, config.quantiles(), quant);
    }

    private int medianIndex() {
        if (config.quantiles().isEmpty()) {
            return 0;
        }
        int best = 0;
        for (int k = 1; k < config.quantiles().size(); k++) {
            if (Math.abs(config.quantiles().get(k) - 0.5) < Math.abs(config.quantiles().get(best) - 0.5)) {
                best = k;
            }
        }
        return best;
    }

    private INDArray run(Scaled sc, int origin) {
        INDArray past = Nd4j.create(new float[][][] {sc.window(origin)});
        INDArray mask = Nd4j.create(new float[][] {sc.windowMask(origin)});
        INDArray[] in = config.futureCovariates().isEmpty() ? new INDArray[] {past}
                : new INDArray[] {past, Nd4j.create(new float[][] {sc.futureValues(origin)})};
        INDArray[] masks = config.futureCovariates().isEmpty() ? new INDArray[] {mask} : new INDArray[] {mask, null};
        return graph.output(false, in, masks)[0];
    }
}
