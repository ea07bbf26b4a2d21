package org.seq4j.train;

import java.nio.file.Path;

import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;
import org.seq4j.util.Checks;

/**
 * How to train: budget, optimizer, learning rate (optionally an ND4J schedule), clipping, truncated BPTT, early
 * stopping, checkpoints and the seed. Immutable; {@link #defaults()} plus {@code with...} methods.
 *
 * @param epochs          epoch budget (>= 1)
 * @param maxIterations   iteration budget; 0 for none (whichever budget ends first stops training)
 * @param optimizer       ADAM, SGD or NESTEROV (SGD, Nesterov momentum 0.9); graphs built for training take
 *                        {@link #updater()}
 * @param learningRate    the learning rate, when {@code schedule} is null
 * @param schedule        an ND4J learning-rate schedule (e.g. {@code ExponentialSchedule}), or null
 * @param clipGlobalNorm  rescale the whole gradient (of the mean loss) to this L2 norm when larger; 0 for none
 * @param clipValue       clip each gradient element (of the mean loss) to ±this; 0 for none
 * @param tbpttLength     truncated BPTT segment length (forward and backward); 0 for full BPTT
 * @param patience        early stopping: stop after this many epochs without a better validation metric; 0 for none
 * @param checkpointEvery write a checkpoint every this many iterations (and at the end of each epoch); 0 for none
 * @param checkpointFile  where checkpoints go (written atomically), or null
 * @param seed            seeds data order, dropout and (through the graph's seed) initialisation
 * @param quiet           no progress bar
 * @param plateauDecay    multiply the learning rate by this factor after every epoch whose validation metric is not
 *                        better than the best so far (PyTorch's word_language_model uses 0.25); 0 for none
 * @param plateauRestore  with {@code plateauDecay}: after such an epoch also go back to the parameters and optimizer
 *                        state of the best epoch so far before training on at the lower rate, as Mikolov's RNNLM
 *                        toolkit and the SCRN reference code (Mikolov et al. 2014) do; the epoch count goes on
 */
public record TrainConfig(int epochs, long maxIterations, Optimizer optimizer, double learningRate,
                          ISchedule schedule, double clipGlobalNorm, double clipValue, int tbpttLength, int patience,
                          long checkpointEvery, Path checkpointFile, long seed, boolean quiet,
                          double plateauDecay, boolean plateauRestore) {

    /** Optimizers: Adam, plain SGD, and SGD with Nesterov momentum 0.9 (Ma and Hovy 2016's tagger). */
    public enum Optimizer { ADAM, SGD, NESTEROV }

    public TrainConfig {
        Checks.require(epochs >= 1, "TrainConfig: epochs must be >= 1, got %d", epochs);
        Checks.require(maxIterations >= 0, "TrainConfig: maxIterations must be >= 0, got %d", maxIterations);
        Checks.require(optimizer != null, "TrainConfig: optimizer must not be null");
        Checks.require(learningRate > 0 && Double.isFinite(learningRate),
                "TrainConfig: learningRate must be a finite number > 0, got %s", learningRate);
        Checks.require(clipGlobalNorm >= 0, "TrainConfig: clipGlobalNorm must be >= 0, got %s", clipGlobalNorm);
        Checks.require(clipValue >= 0, "TrainConfig: clipValue must be >= 0, got %s", clipValue);
        Checks.require(tbpttLength >= 0, "TrainConfig: tbpttLength must be >= 0, got %d", tbpttLength);
        Checks.require(patience >= 0, "TrainConfig: patience must be >= 0, got %d", patience);
        Checks.require(checkpointEvery >= 0, "TrainConfig: checkpointEvery must be >= 0, got %d", checkpointEvery);
        Checks.require(checkpointEvery == 0 || checkpointFile != null,
                "TrainConfig: checkpointEvery = %d needs a checkpointFile", checkpointEvery);
        Checks.require(plateauDecay == 0 || (plateauDecay > 0 && plateauDecay < 1),
                "TrainConfig: plateauDecay must be in (0, 1), or 0 for none; got %s", plateauDecay);
        Checks.require(plateauDecay == 0 || schedule == null,
                "TrainConfig: use either a learning-rate schedule or plateauDecay, not both");
        Checks.require(!plateauRestore || plateauDecay > 0, "TrainConfig: plateauRestore needs a plateauDecay (going "
                + "back to the best epoch at the same rate would repeat the same epochs)");
    }

    /**
     * This configuration as plain values, for model files. A learning-rate schedule and the checkpoint file are not
     * stored (a loaded model is for prediction and further training from a new {@code TrainConfig}).
     */
    public java.util.Map<String, Object> toMap() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("epochs", epochs);
        m.put("maxIterations", maxIterations);
        m.put("optimizer", optimizer.name());
        m.put("learningRate", learningRate);
        m.put("clipGlobalNorm", clipGlobalNorm);
        m.put("clipValue", clipValue);
        m.put("tbpttLength", tbpttLength);
        m.put("patience", patience);
        m.put("seed", seed);
        m.put("plateauDecay", plateauDecay);
        m.put("plateauRestore", plateauRestore);
        return m;
    }

    /** The configuration {@link #toMap} wrote (no schedule, no checkpoints, quiet). */
    public static TrainConfig fromMap(org.nd4j.shade.jackson.databind.JsonNode m, String where) {
        org.seq4j.cells.JsonFields f = new org.seq4j.cells.JsonFields(m, where);
        return new TrainConfig(f.integer("epochs"), f.longValue("maxIterations"),
                f.enumValue(Optimizer.class, "optimizer"), f.number("learningRate"), null, f.number("clipGlobalNorm"),
                f.number("clipValue"), f.integer("tbpttLength"), f.integer("patience"), 0, null, f.longValue("seed"),
                true, m.has("plateauDecay") ? f.number("plateauDecay") : 0,
                m.has("plateauRestore") && m.get("plateauRestore").asBoolean());
    }

    /** 10 epochs of Adam at 1e-3, no clipping, full BPTT, no early stopping or checkpoints, seed 42. */
    public static TrainConfig defaults() {
        return new TrainConfig(10, 0, Optimizer.ADAM, 1e-3, null, 0, 0, 0, 0, 0, null, 42, false, 0, false);
    }

    /** The updater for graphs trained with this configuration. */
    public IUpdater updater() {
        return switch (optimizer) {
            case ADAM -> schedule != null ? new Adam(schedule) : new Adam(learningRate);
            case SGD -> schedule != null ? new Sgd(schedule) : new Sgd(learningRate);
            case NESTEROV -> schedule != null ? new Nesterovs(schedule, 0.9) : new Nesterovs(learningRate, 0.9);
        };
    }

    public TrainConfig withEpochs(int n) {
        return new TrainConfig(n, maxIterations, optimizer, learningRate, schedule, clipGlobalNorm, clipValue,
                tbpttLength, patience, checkpointEvery, checkpointFile, seed, quiet, plateauDecay, plateauRestore);
    }

    public TrainConfig withMaxIterations(long n) {
        return new TrainConfig(epochs, n, optimizer, learningRate, schedule, clipGlobalNorm, clipValue, tbpttLength,
                patience, checkpointEvery, checkpointFile, seed, quiet, plateauDecay, plateauRestore);
    }

    public TrainConfig withOptimizer(Optimizer o, double lr) {
        return new TrainConfig(epochs, maxIterations, o, lr, schedule, clipGlobalNorm, clipValue, tbpttLength,
                patience, checkpointEvery, checkpointFile, seed, quiet, plateauDecay, plateauRestore);
    }

    public TrainConfig withSchedule(ISchedule s) {
        return new TrainConfig(epochs, maxIterations, optimizer, learningRate, s, clipGlobalNorm, clipValue,
                tbpttLength, patience, checkpointEvery, checkpointFile, seed, quiet, plateauDecay, plateauRestore);
    }

    public TrainConfig withClipping(double globalNorm, double value) {
        return new TrainConfig(epochs, maxIterations, optimizer, learningRate, schedule, globalNorm, value,
                tbpttLength, patience, checkpointEvery, checkpointFile, seed, quiet, plateauDecay, plateauRestore);
    }

    public TrainConfig withTbptt(int length) {
        return new TrainConfig(epochs, maxIterations, optimizer, learningRate, schedule, clipGlobalNorm, clipValue,
                length, patience, checkpointEvery, checkpointFile, seed, quiet, plateauDecay, plateauRestore);
    }

    public TrainConfig withPatience(int epochsWithoutImprovement) {
        return new TrainConfig(epochs, maxIterations, optimizer, learningRate, schedule, clipGlobalNorm, clipValue,
                tbpttLength, epochsWithoutImprovement, checkpointEvery, checkpointFile, seed, quiet, plateauDecay, plateauRestore);
    }

    public TrainConfig withCheckpoints(long every, Path file) {
        return new TrainConfig(epochs, maxIterations, optimizer, learningRate, schedule, clipGlobalNorm, clipValue,
                tbpttLength, patience, every, file, seed, quiet, plateauDecay, plateauRestore);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(epochs, maxIterations, optimizer, learningRate, schedule, clipGlobalNorm, clipValue,
                tbpttLength, patience, checkpointEvery, checkpointFile, s, quiet, plateauDecay, plateauRestore);
    }

    public TrainConfig withPlateauDecay(double factor) {
        return new TrainConfig(epochs, maxIterations, optimizer, learningRate, schedule, clipGlobalNorm, clipValue,
                tbpttLength, patience, checkpointEvery, checkpointFile, seed, quiet, factor, plateauRestore);
    }

    public TrainConfig withPlateauRestore(boolean on) {
        return new TrainConfig(epochs, maxIterations, optimizer, learningRate, schedule, clipGlobalNorm, clipValue,
                tbpttLength, patience, checkpointEvery, checkpointFile, seed, quiet, plateauDecay, on);
    }

    public TrainConfig withQuiet(boolean q) {
        return new TrainConfig(epochs, maxIterations, optimizer, learningRate, schedule, clipGlobalNorm, clipValue,
                tbpttLength, patience, checkpointEvery, checkpointFile, seed, q, plateauDecay, plateauRestore);
    }
}
