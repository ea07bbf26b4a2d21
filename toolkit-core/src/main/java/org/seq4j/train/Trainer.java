package org.seq4j.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.seq4j.util.Checks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one training loop of seq4j, over a DL4J {@link ComputationGraph}: epoch and iteration budgets, gradient
 * clipping, truncated BPTT, early stopping on a validation metric with the best parameters restored, atomic
 * checkpoints that {@link #resume} continues from, a progress bar, and a clear error when the loss diverges.
 *
 * <p>Determinism: the data order comes from {@link EpochData} (which must depend only on the epoch), and ND4J's random
 * generator (dropout) is reseeded with {@code seed + iteration} before every step, so a run resumed from a checkpoint
 * ends with exactly the parameters of an uninterrupted run.
 */
public final class Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    /** What a run did. */
    public record Result(int epochs, long iterations, boolean stoppedEarly, double bestMetric, int bestEpoch,
                         List<Double> epochLosses, List<Double> validationHistory, double seconds, long tokens) {
        public double tokensPerSecond() {
            return seconds > 0 ? tokens / seconds : 0;
        }
    }

    /**
     * Training has diverged when the loss per label step is this many times the run's first batch's in one batch,
     * or {@link #DIVERGED_RECENT} times over the last 10 batches (normal training lowers it; a learning rate far too
     * high raises it by orders of magnitude while it stays finite).
     */
    static final double DIVERGED = 1e3;
    static final double DIVERGED_RECENT = 10;
    /** ... or an epoch ends with a mean loss per step this many times the first batch's: training made it worse. */
    static final double DIVERGED_EPOCH = 2;
    /** Below this first loss per step (a model that starts out exact, e.g. on a constant series) nothing is judged. */
    static final double MIN_REFERENCE = 1e-6;

    private final TrainConfig config;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private boolean carryState;
    private String unit = "tok";

    public Trainer(TrainConfig config) {
        Checks.require(config != null, "Trainer: config must not be null");
        this.config = config;
    }

    /** Adds DL4J listeners (timing, gradient norms, ...) for the runs of this trainer. */
    public Trainer addListeners(TrainingListener... l) {
        listeners.addAll(List.of(l));
        return this;
    }

    /**
     * Continuous-stream training (language models): the batches of an epoch are consecutive segments of the same
     * streams, so every recurrent layer carries its state from one batch to the next
     * ({@link org.seq4j.core.RecurrentRuntime#carryState}) and starts from zeros at the start of each epoch.
     * Checkpoints hold the carried state, so a run resumed mid-epoch continues the streams exactly.
     */
    public Trainer carryStateAcrossBatches(boolean on) {
        this.carryState = on;
        return this;
    }

    /**
     * What the progress bar's rate counts: {@link EpochData#tokens} of each batch, i.e. unmasked label steps
     * ({@code "tok"}, the default) or whatever a task's batches hold ({@code "windows"} for forecasting).
     */
    public Trainer progressUnit(String name) {
        Checks.require(name != null && !name.isBlank(), "Trainer: progress unit must not be empty");
        this.unit = name;
        return this;
    }

    /** Trains {@code graph} from scratch. {@code validation} may be null (no early stopping or model selection). */
    public Result fit(ComputationGraph graph, EpochData train, Validation validation) {
        return run(graph, train, null, validation, new TrainerState(), null, null);
    }

    /**
     * An epoch of training that runs somewhere else, for example on a Spark cluster (toolkit-spark): it updates the
     * graph's parameters in place from the data of epoch {@code epoch}. The trainer does the rest as for local
     * epochs: validation, early stopping and model selection, the learning-rate decay, checkpoints at the end of
     * each epoch (such a run resumes at an epoch boundary), the divergence check on the epoch's loss, the result.
     */
    @FunctionalInterface
    public interface EpochRunner {

        /**
         * What an epoch did: its mean training loss per batch, the batches (iterations) it trained, and the tokens
         * it saw as {@link EpochData#tokens} counts them (unmasked label steps; windows for a forecaster).
         */
        record Epoch(double meanLoss, long batches, long tokens) {
        }

        Epoch fit(ComputationGraph graph, int epoch);
    }

    /** Trains {@code graph} from scratch, each epoch run by {@code runner}. */
    public Result fit(ComputationGraph graph, EpochRunner runner, Validation validation) {
        Checks.require(runner != null, "Trainer: the epoch runner must not be null");
        return run(graph, null, runner, validation, new TrainerState(), null, null);
    }

    /** Continues a run of {@link #fit(ComputationGraph, EpochRunner, Validation)} from its last epoch's checkpoint. */
    public Result resume(Checkpoint c, EpochRunner runner, Validation validation, ComputationGraph[] trained) {
        Checks.require(runner != null, "Trainer: the epoch runner must not be null");
        Checks.require(c.state().batch == 0, "Trainer: the checkpoint was written in the middle of epoch %d; a run "
                + "whose epochs run elsewhere resumes only from the end of an epoch", c.state().epoch + 1);
        trained[0] = c.graph();
        return run(c.graph(), null, runner, validation, c.state(), c.bestParams(), c.bestUpdaterState());
    }

    /** Continues the run saved in {@code checkpoint}; returns the graph it trained in {@code trained[0]}. */
    public Result resume(Path checkpoint, EpochData train, Validation validation, ComputationGraph[] trained) {
        return resume(Checkpoint.read(checkpoint), train, validation, trained);
    }

    /** {@link #resume(Path, EpochData, Validation, ComputationGraph[])} from a checkpoint already read. */
    public Result resume(Checkpoint c, EpochData train, Validation validation, ComputationGraph[] trained) {
        trained[0] = c.graph();
        if (c.carriedState() != null && c.state().batch > 0) {
            org.seq4j.core.CellState.restore(c.graph(), c.carriedState());
        }
        return run(c.graph(), train, null, validation, c.state(), c.bestParams(), c.bestUpdaterState());
    }

    private Result run(ComputationGraph graph, EpochData train, EpochRunner runner, Validation validation,
                       TrainerState s, INDArray bestParams, INDArray bestUpdaterState) {
        configure(graph, s);
        ProgressBar bar = config.quiet() ? null : new ProgressBar(System.err, unit);
        long start = System.nanoTime();
        long startIteration = s.iteration;
        double firstLoss = Double.NaN;
        double[] recent = new double[10];
        long seen = 0;
        long tokens = 0;
        boolean stoppedEarly = false;
        INDArray best = bestParams;
        INDArray bestUpdater = bestUpdaterState;   // only kept for plateauRestore
        outer:
        while (s.epoch < config.epochs()) {
            if (runner != null) {
                if (config.maxIterations() > 0 && s.iteration >= config.maxIterations()) {
                    break;
                }
                EpochRunner.Epoch e = runner.fit(graph, s.epoch);
                if (!Double.isFinite(e.meanLoss())) {
                    throw diverged(String.format(Locale.ROOT, "the mean loss of epoch %d is %s", s.epoch + 1,
                            e.meanLoss()));
                }
                s.iteration += e.batches();
                tokens += e.tokens();
                s.epochLosses.add(e.meanLoss());
                LOG.info("epoch {}: {} batches, {} {}, mean loss {}", s.epoch + 1, e.batches(), e.tokens(), unit,
                        fmt(e.meanLoss()));
            } else {
                List<MultiDataSet> batches = train.batches(s.epoch);
                Checks.require(!batches.isEmpty(), "Trainer: epoch %d has no batches", s.epoch);
                // a run resumed mid-epoch continues that epoch's loss mean
                double lossSum = s.batch > 0 ? s.partialLossSum : 0;
                int lossCount = s.batch > 0 ? s.partialLossCount : 0;
                long epochStart = System.nanoTime();
                long epochTokens = 0;
                double nats = 0;   // language models: cross-entropy summed over the epoch's predicted tokens
                double epochPerStep = 0;
                int epochBatches = 0;
                if (carryState && s.batch == 0) {
                    graph.rnnClearPreviousState();
                }
                while (s.batch < batches.size()) {
                    if (config.maxIterations() > 0 && s.iteration >= config.maxIterations()) {
                        if (lossCount > 0) {
                            s.epochLosses.add(lossSum / lossCount);   // the partial epoch's mean, last in the list
                        }
                        break outer;
                    }
                    MultiDataSet b = batches.get(s.batch);
                    Nd4j.getRandom().setSeed(config.seed() + s.iteration);
                    graph.fit(b);
                    double loss = graph.score();
                    if (!Double.isFinite(loss)) {
                        throw diverged(String.format(Locale.ROOT, "the loss is %s at epoch %d, batch %d (iteration %d)",
                                loss, s.epoch + 1, s.batch + 1, s.iteration + 1));
                    }
                    // divergence that stays finite: the loss per label step (so that batches of long and short
                    // sequences compare) far above the run's first, over the last 10 batches or in one batch
                    long t = EpochData.tokens(b);
                    double perStep = loss * b.getFeatures(0).size(0) / Math.max(1, t);
                    if (Double.isNaN(firstLoss)) {
                        firstLoss = perStep;
                    }
                    recent[(int) (seen++ % recent.length)] = perStep;
                    epochPerStep += perStep;
                    epochBatches++;
                    double recentMean = java.util.Arrays.stream(recent).sum() / Math.min(seen, recent.length);
                    if (firstLoss > MIN_REFERENCE && (perStep > DIVERGED * firstLoss
                            || (seen >= recent.length && recentMean > DIVERGED_RECENT * firstLoss))) {
                        throw diverged(String.format(Locale.ROOT, "the loss per step rose from %.4g (first batch of "
                                + "this run) to %.4g (mean of the last %d batches) at epoch %d, batch %d "
                                + "(iteration %d)",
                                firstLoss, recentMean, Math.min(seen, recent.length), s.epoch + 1, s.batch + 1,
                                s.iteration + 1));
                    }
                    lossSum += loss;
                    lossCount++;
                    tokens += t;
                    epochTokens += t;
                    s.iteration++;
                    s.batch++;
                    if (bar != null) {
                        double secs = (System.nanoTime() - epochStart) / 1e9;
                        String extra = "";
                        if (carryState) {   // the loss is summed over steps, averaged over streams: per token, ppl
                            nats += loss * b.getFeatures(0).size(0);
                            extra = String.format(Locale.ROOT, " (ppl %.1f)",
                                    Math.exp(nats / Math.max(1, epochTokens)));
                        }
                        // the whole run's remaining steps (later epochs as long as this one), at this run's pace
                        long left = batches.size() - s.batch + (long) (config.epochs() - s.epoch - 1) * batches.size();
                        if (config.maxIterations() > 0) {
                            left = Math.min(left, config.maxIterations() - s.iteration);
                        }
                        double secondsPerStep = (System.nanoTime() - start) / 1e9
                                / Math.max(1, s.iteration - startIteration);
                        bar.update(s.epoch + 1, config.epochs(), s.batch, batches.size(), lossSum / lossCount,
                                epochTokens / Math.max(secs, 1e-9), secondsPerStep * left, extra);
                    }
                    if (config.checkpointEvery() > 0 && s.iteration % config.checkpointEvery() == 0) {
                        s.partialLossSum = lossSum;
                        s.partialLossCount = lossCount;
                        Checkpoint.write(config.checkpointFile(), graph, s, best, bestUpdater);
                    }
                }
                if (epochBatches > 0 && firstLoss > MIN_REFERENCE
                        && epochPerStep / epochBatches > DIVERGED_EPOCH * firstLoss) {
                    throw diverged(String.format(Locale.ROOT, "epoch %d ended with a mean loss per step of %.4g, more "
                            + "than %.0f times the %.4g of the run's first batch: training made the model worse",
                            s.epoch + 1, epochPerStep / epochBatches, DIVERGED_EPOCH, firstLoss));
                }
                s.epochLosses.add(lossCount == 0 ? Double.NaN : lossSum / lossCount);
            }
            graph.getConfiguration().setEpochCount(s.epoch + 1);
            if (validation != null) {
                double m = validation.metric().applyAsDouble(graph);
                s.validationHistory.add(m);
                if (validation.better(m, s.bestMetric)) {
                    s.bestMetric = m;
                    s.bestEpoch = s.epoch;
                    s.epochsWithoutImprovement = 0;
                    best = graph.params().dup();
                    if (config.plateauRestore()) {
                        INDArray u = graph.getUpdater().getStateViewArray();
                        bestUpdater = u == null ? null : u.dup();
                    }
                } else {
                    s.epochsWithoutImprovement++;
                    if (config.plateauDecay() > 0) {
                        s.learningRateScale *= config.plateauDecay();
                        graph.setLearningRate(config.learningRate() * s.learningRateScale);
                        SharedGradientUpdater.install(graph);   // DL4J put a stock updater in its place
                        LOG.info("{} did not improve: learning rate now {}", validation.name(),
                                config.learningRate() * s.learningRateScale);
                        if (config.plateauRestore() && best != null) {
                            restore(graph, best, bestUpdater);
                            LOG.info("back to the parameters{} of epoch {}", bestUpdater != null
                                    ? " and optimizer state" : "", s.bestEpoch + 1);
                        }
                    }
                }
                LOG.info("epoch {}: loss {} {} {}", s.epoch + 1, fmt(s.epochLosses.get(s.epochLosses.size() - 1)),
                        validation.name(), fmt(m));
            }
            s.epoch++;
            s.batch = 0;
            s.partialLossSum = 0;
            s.partialLossCount = 0;
            if (config.checkpointFile() != null && config.checkpointEvery() > 0) {
                Checkpoint.write(config.checkpointFile(), graph, s, best, bestUpdater);
            }
            if (validation != null && config.patience() > 0 && s.epochsWithoutImprovement >= config.patience()) {
                stoppedEarly = true;
                LOG.info("early stop after epoch {}: no better {} for {} epochs (best {} at epoch {})", s.epoch,
                        validation.name(), config.patience(), fmt(s.bestMetric), s.bestEpoch + 1);
                break;
            }
        }
        if (validation != null && best != null) {
            graph.setParams(best);
        }
        if (carryState) {
            org.seq4j.core.RecurrentRuntime.carryState(graph, false);
            graph.rnnClearPreviousState();
        }
        return new Result(s.epoch, s.iteration, stoppedEarly, s.bestMetric, s.bestEpoch, List.copyOf(s.epochLosses),
                List.copyOf(s.validationHistory), (System.nanoTime() - start) / 1e9, tokens);
    }

    /**
     * The graph must train with the optimizer and learning rate of this run's {@link TrainConfig}: DL4J keeps the
     * updater a graph was built with, so a mismatch would silently train with other settings than the ones reported
     * (and quoted in the divergence message).
     */
    private void checkUpdater(ComputationGraph graph, TrainerState s) {
        org.nd4j.linalg.learning.config.IUpdater want = config.updater();
        int it = graph.getConfiguration().getIterationCount();
        int ep = graph.getConfiguration().getEpochCount();
        for (org.deeplearning4j.nn.api.Layer l : graph.getLayers()) {
            if (l.numParams() == 0 || !(l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer b)) {
                continue;
            }
            org.nd4j.linalg.learning.config.IUpdater has = b.getIUpdater();
            if (has == null || has instanceof org.nd4j.linalg.learning.config.NoOp) {
                continue;   // frozen or externally updated
            }
            double wantLr = want.getLearningRate(it, ep) * s.learningRateScale;
            double hasLr = has.hasLearningRate() ? has.getLearningRate(it, ep) : Double.NaN;
            Checks.require(has.getClass() == want.getClass() && Math.abs(hasLr - wantLr) <= 1e-12 * Math.abs(wantLr),
                    "Trainer: layer '%s' was built with %s at learning rate %s, but this run's TrainConfig says %s at "
                            + "%s; build the graph with TrainConfig.updater() (NeuralNetConfiguration.Builder"
                            + ".updater(config.updater()))", b.getLayerName(), has.getClass().getSimpleName(), hasLr,
                    config.optimizer(), wantLr);
        }
    }

    private void configure(ComputationGraph graph, TrainerState s) {
        if (carryState) {
            org.seq4j.core.RecurrentRuntime.carryState(graph, true);
        }
        checkUpdater(graph, s);
        if (config.tbpttLength() > 0) {
            graph.getConfiguration().setBackpropType(BackpropType.TruncatedBPTT);
            graph.getConfiguration().setTbpttFwdLength(config.tbpttLength());
            graph.getConfiguration().setTbpttBackLength(config.tbpttLength());
        }
        List<TrainingListener> all = new ArrayList<>();
        Collection<TrainingListener> existing = graph.getListeners();
        if (existing != null) {
            for (TrainingListener l : existing) {
                if (!(l instanceof GradientClipping)) {
                    all.add(l);
                }
            }
        }
        if (config.clipGlobalNorm() > 0 || config.clipValue() > 0) {
            all.add(new GradientClipping(config.clipGlobalNorm(), config.clipValue()));
        }
        for (TrainingListener l : listeners) {
            if (!all.contains(l)) {
                all.add(l);
            }
        }
        graph.setListeners(all);
        SharedGradientUpdater.install(graph);
    }

    /** Puts the best epoch's parameters, and its optimizer state where there is one, back into {@code graph}. */
    private static void restore(ComputationGraph graph, INDArray params, INDArray updaterState) {
        graph.setParams(params);
        INDArray u = graph.getUpdater().getStateViewArray();
        if (u != null && updaterState != null) {
            u.assign(updaterState.reshape(u.shape()));
        }
    }

    /** The error for a diverged run: what happened, then what to change. */
    private TrainingDivergedException diverged(String what) {
        return new TrainingDivergedException("Training diverged: " + what + ". Lower the learning rate (now "
                + config.learningRate() + ") or clip gradients (TrainConfig.withClipping).");
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
