package org.seq4j.tasks.memory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.seq4j.cells.CellType;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.cells.RecurrentStack;
import org.seq4j.data.SyntheticTasks;
import org.seq4j.layers.Scrn;
import org.seq4j.tasks.TaskResult;
import org.seq4j.train.EpochData;
import org.seq4j.train.RunInfo;
import org.seq4j.train.TrainConfig;
import org.seq4j.train.Trainer;
import org.seq4j.util.Checks;

/**
 * The adding problem (Hochreiter &amp; Schmidhuber 1997; {@link SyntheticTasks#addingProblem}): the target is the sum
 * of the two marked values of a sequence of {@code steps}. Predicting the training mean gives a test MSE near 1/6;
 * a cell that beats it has learned to remember. The same model and training for every cell: the recurrent stack →
 * a linear output at every step, MSE on the last, Adam, trained through {@link Trainer}.
 */
public final class AddingProblem {

    /**
     * Options.
     *
     * @param steps        sequence length T
     * @param trainSize    training sequences (a fixed set, shuffled per epoch)
     * @param testSize     test sequences (drawn with {@code seed + 1})
     * @param batch        minibatch size
     * @param epochs       epochs
     * @param learningRate Adam's learning rate
     * @param seed         seeds data, initialisation and order
     */
    public record Options(int steps, int trainSize, int testSize, int batch, int epochs, double learningRate,
                          long seed) {
        public Options {
            Checks.require(steps >= 2 && trainSize >= batch && testSize >= 1 && batch >= 1 && epochs >= 1
                    && learningRate > 0, "AddingProblem: need steps >= 2, trainSize >= batch >= 1, testSize >= 1, "
                    + "epochs >= 1, learningRate > 0");
        }
    }

    /** Test MSE of the network and of predicting the training mean. */
    public record Result(double testMse, double baselineMse) {
        /** MSE as a fraction of the baseline's: 1 learned nothing, 0 adds exactly. */
        public double relativeToBaseline() {
            return testMse / baselineMse;
        }
    }

    private AddingProblem() {
    }

    /** Trains {@code spec} on the problem and scores it on fresh sequences: test MSE, the primary metric. */
    public static TaskResult<Result> run(RecurrentSpec spec, Options o) {
        return run(spec, o, false);
    }

    /**
     * {@link #run(RecurrentSpec, Options)}; with {@code sameDiffScrn} the SCRN of {@code spec} (one layer, one
     * direction) is the SameDiff layer {@link Scrn} instead of the core's, started from the core form's initial
     * parameters: the same numbers up to float rounding, at the SameDiff form's speed.
     */
    public static TaskResult<Result> run(RecurrentSpec spec, Options o, boolean sameDiffScrn) {
        DataSet train = SyntheticTasks.addingProblem(o.trainSize(), o.steps(), o.seed());
        DataSet test = SyntheticTasks.addingProblem(o.testSize(), o.steps(), o.seed() + 1);
        double mean = lastStep(train.getLabels()).meanNumber().doubleValue();
        double baseline = mse(Nd4j.valueArrayOf(new long[] {o.testSize()}, mean, DataType.FLOAT),
                lastStep(test.getLabels()));
        TrainConfig tc = TrainConfig.defaults().withEpochs(o.epochs())
                .withOptimizer(TrainConfig.Optimizer.ADAM, o.learningRate()).withSeed(o.seed()).withQuiet(true);
        ComputationGraph g = graph(spec, o.seed(), tc);
        String label = spec.label();
        if (sameDiffScrn) {
            g = sameDiffCopy(g, spec, o.seed(), tc);
            label += " (SameDiff)";
        }
        EpochData epochs = epoch -> {
            DataSet shuffled = train.copy();
            shuffled.shuffle(o.seed() + epoch);
            List<MultiDataSet> batches = new ArrayList<>();
            for (DataSet b : shuffled.batchBy(o.batch())) {
                batches.add(new MultiDataSet(new INDArray[] {b.getFeatures()}, new INDArray[] {b.getLabels()}, null,
                        new INDArray[] {b.getLabelsMaskArray()}));
            }
            return batches;
        };
        Trainer.Result r = new Trainer(tc).fit(g, epochs, null);
        long start = System.nanoTime();
        INDArray out = g.outputSingle(test.getFeatures());
        double seconds = TaskResult.since(start);
        double testMse = mse(lastStep(out), lastStep(test.getLabels()));
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("mse", testMse);
        metrics.put("mseOverBaseline", testMse / baseline);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("recurrent", spec.toMap());
        config.put("form", sameDiffScrn ? "samediff" : "core");
        config.put("options", Map.of("steps", o.steps(), "trainSize", o.trainSize(), "testSize", o.testSize(),
                "batch", o.batch(), "epochs", o.epochs(), "learningRate", o.learningRate()));
        return new TaskResult<>("adding", "adding problem T=" + o.steps(), label, TaskResult.parameters(g),
                new TaskResult.Score("test", "mse", false, metrics, o.testSize(), "sequence", seconds),
                TaskResult.Training.of(r, ""), config, RunInfo.current(o.seed()), new Result(testMse, baseline));
    }

    static ComputationGraph graph(RecurrentSpec spec, long seed, TrainConfig tc) {
        return graph(spec, seed, tc, null);
    }

    /** The SameDiff-SCRN twin of {@code core} (built for {@code spec}), holding the same parameters. */
    private static ComputationGraph sameDiffCopy(ComputationGraph core, RecurrentSpec spec, long seed,
                                                 TrainConfig tc) {
        Checks.require(spec.cell() == CellType.SCRN && spec.layers() == 1 && spec.bidirectional() == null,
                "AddingProblem: the SameDiff form exists for one unidirectional SCRN layer, got %s", spec.label());
        ComputationGraph g = graph(spec, seed, tc, new Scrn.Builder().units(spec.units())
                .contextUnits(spec.contextUnits()).alpha(spec.alpha()).learnAlpha(spec.learnAlpha()).build());
        Scrn.copyCoreParameters(core.getLayer("rnn").paramTable(), g.getLayer("rnn").paramTable());
        g.getLayer("out").params().assign(core.getLayer("out").params());
        return g;
    }

    private static ComputationGraph graph(RecurrentSpec spec, long seed, TrainConfig tc, Layer recurrent) {
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(DataType.FLOAT).updater(tc.updater())
                .graphBuilder()
                .addInputs("in");
        String top = recurrent == null ? RecurrentStack.add(b, "rnn", "in", spec) : "rnn";
        if (recurrent != null) {
            b.addLayer("rnn", recurrent, "in");
        }
        ComputationGraph g = new ComputationGraph(b
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).nOut(1).build(), top)
                .setOutputs("out")
                .setInputTypes(InputType.recurrent(2))
                .build());
        g.init();
        return g;
    }

    private static INDArray lastStep(INDArray a) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.point(a.size(2) - 1))
                .castTo(DataType.DOUBLE);
    }

    private static double mse(INDArray predicted, INDArray target) {
        INDArray d = predicted.castTo(DataType.DOUBLE).sub(target.castTo(DataType.DOUBLE));
        return d.mul(d).meanNumber().doubleValue();
    }
}
