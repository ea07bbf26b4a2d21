package org.seq4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.seq4j.train.EpochData;
import org.seq4j.train.TrainConfig;
import org.seq4j.train.Trainer;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.seq4j.cells.CellType;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.cells.RecurrentStack;
import org.seq4j.data.SyntheticTasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo: every cell trained the same way on the adding problem (through {@link Trainer}, like every run), compared
 * for quality (test MSE against the predict-the-mean baseline of 1/6) and speed.
 */
public final class CellComparison {

    private static final Logger LOG = LoggerFactory.getLogger(CellComparison.class);

    /** What to run. */
    public record Options(int units, int steps, int trainSize, int testSize, int batch, int epochs, double learningRate,
                          long seed, List<RecurrentSpec> cells) {

        /** The default comparison, or a seconds-long smoke version of it. */
        public static Options defaults(boolean smoke) {
            int units = smoke ? 8 : 32;
            return new Options(units, smoke ? 8 : 20, smoke ? 64 : 2000, smoke ? 32 : 500, smoke ? 32 : 50,
                    smoke ? 1 : 8, 0.01, 42, defaultCells(units));
        }

        static List<RecurrentSpec> defaultCells(int units) {
            List<RecurrentSpec> cells = new ArrayList<>();
            for (CellType c : CellType.values()) {
                cells.add(RecurrentSpec.of(c, units));
            }
            cells.add(RecurrentSpec.of(CellType.LSTM, units).withBidirectional(Bidirectional.Mode.CONCAT));
            cells.add(RecurrentSpec.of(CellType.GRU, units).withBidirectional(Bidirectional.Mode.CONCAT));
            return cells;
        }
    }

    /** One cell's results. */
    public record Row(String cell, long params, double testMse, double trainSeconds, double msPerIteration,
                      double inferenceMsPerBatch) {
    }

    /** The results, with the baseline MSE of predicting the training mean. */
    public record Result(Options options, double baselineMse, List<Row> rows) {
    }

    private CellComparison() {
    }

    public static Result run(Options o) {
        DataSet train = SyntheticTasks.addingProblem(o.trainSize(), o.steps(), o.seed());
        DataSet test = SyntheticTasks.addingProblem(o.testSize(), o.steps(), o.seed() + 1);
        double mean = lastStep(train.getLabels()).meanNumber().doubleValue();
        double baseline = mse(Nd4j.valueArrayOf(new long[] {o.testSize()}, mean, DataType.FLOAT),
                lastStep(test.getLabels()));
        List<Row> rows = new ArrayList<>();
        for (RecurrentSpec spec : o.cells()) {
            rows.add(runOne(spec, o, train, test));
        }
        return new Result(o, baseline, rows);
    }

    private static Row runOne(RecurrentSpec spec, Options o, DataSet train, DataSet test) {
        TrainConfig tc = TrainConfig.defaults().withEpochs(o.epochs())
                .withOptimizer(TrainConfig.Optimizer.ADAM, o.learningRate()).withSeed(o.seed()).withQuiet(true);
        ComputationGraph g = graph(spec, o, tc);
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
        long start = System.nanoTime();
        long iterations = new Trainer(tc).fit(g, epochs, null).iterations();
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        long inferenceStart = System.nanoTime();
        INDArray out = g.outputSingle(test.getFeatures());
        double inferenceMs = (System.nanoTime() - inferenceStart) / 1e6 / Math.ceil(o.testSize() / (double) o.batch());
        double testMse = mse(lastStep(out), lastStep(test.getLabels()));
        long params = g.paramTable().values().stream().mapToLong(INDArray::length).sum();
        LOG.info("{}: test MSE {} in {} s", spec.label(), String.format(Locale.ROOT, "%.4f", testMse),
                String.format(Locale.ROOT, "%.1f", trainSeconds));
        return new Row(spec.label(), params, testMse, trainSeconds, 1000 * trainSeconds / iterations, inferenceMs);
    }

    static ComputationGraph graph(RecurrentSpec spec, Options o, TrainConfig tc) {
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
                .seed(o.seed()).dataType(DataType.FLOAT).updater(tc.updater())
                .graphBuilder()
                .addInputs("in");
        String top = RecurrentStack.add(b, "rnn", "in", spec);
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
        return a.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.point(a.size(2) - 1)).castTo(DataType.DOUBLE);
    }

    private static double mse(INDArray predicted, INDArray target) {
        INDArray d = predicted.castTo(DataType.DOUBLE).sub(target.castTo(DataType.DOUBLE));
        return d.mul(d).meanNumber().doubleValue();
    }
}
