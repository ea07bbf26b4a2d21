package org.seq4j.tasks.memory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.cells.RecurrentStack;
import org.seq4j.core.SoftmaxOutput;
import org.seq4j.data.SyntheticTasks;
import org.seq4j.tasks.TaskResult;
import org.seq4j.train.EpochData;
import org.seq4j.train.RunInfo;
import org.seq4j.train.TrainConfig;
import org.seq4j.train.Trainer;
import org.seq4j.util.Checks;

/**
 * The copy-memory probe ({@link SyntheticTasks#copyMemory}): a cell must hold 10 symbols over {@code delay} blank
 * steps. A cell that cannot remember stays at the chance cross-entropy {@code 10·ln 8 / (delay + 20)}; one that can
 * falls towards 0. The same model and training for every cell: one-hot input → one recurrent layer → softmax, Adam,
 * gradient norm clipped at 1, trained through {@link Trainer}.
 */
public final class CopyMemory {

    /**
     * One cell's result.
     *
     * @param testCrossEntropy mean cross-entropy per step (nats) on fresh sequences
     * @param chance           the chance level {@code 10·ln 8 / (delay + 20)}
     * @param recallAccuracy   share of the 10 recalled symbols predicted right (argmax); 1/8 is chance
     */
    public record Result(String cell, long params, int delay, double testCrossEntropy, double chance,
                         double recallAccuracy, double seconds) {
        /** Cross-entropy as a fraction of chance: 1 learned nothing, 0 copies perfectly. */
        public double relativeToChance() {
            return testCrossEntropy / chance;
        }
    }

    /**
     * Options.
     *
     * @param delay      blank steps between the symbols and the delimiter
     * @param trainSize  training sequences (new ones each epoch are not drawn: a fixed set, shuffled per epoch)
     * @param epochs     epochs
     * @param batch      minibatch size
     * @param learningRate Adam's learning rate
     * @param seed       seeds data, initialisation and order
     */
    public record Options(int delay, int trainSize, int epochs, int batch, double learningRate, long seed) {
        public Options {
            Checks.require(delay >= 1 && trainSize >= batch && epochs >= 1 && batch >= 1 && learningRate > 0,
                    "CopyMemory: need delay >= 1, trainSize >= batch >= 1, epochs >= 1, learningRate > 0");
        }

        /** Delay 20, 4000 sequences, 10 epochs of batch 50, Adam 0.005; or a seconds-long smoke version. */
        public static Options defaults(boolean smoke) {
            return smoke ? new Options(5, 64, 2, 32, 0.01, 42) : new Options(20, 4000, 10, 50, 0.005, 42);
        }
    }

    private CopyMemory() {
    }

    /**
     * Trains {@code spec} on the task and scores it on 500 fresh sequences: cross-entropy per step (the primary
     * metric), its ratio to chance, and the recall accuracy of the 10 symbols.
     */
    public static TaskResult<Result> run(RecurrentSpec spec, Options o) {
        return train(spec, o).result();
    }

    /** A trained network (its recurrent layer is named {@code rnn}), its score, and the test sequences it was scored on. */
    public record Trained(ComputationGraph graph, TaskResult<Result> result, DataSet test) {
    }

    /** {@link #run}, keeping the trained network (for diagnostics such as the gradient-norm-versus-lag curve). */
    public static Trained train(RecurrentSpec spec, Options o) {
        DataSet train = SyntheticTasks.copyMemory(o.trainSize(), o.delay(), o.seed());
        DataSet test = SyntheticTasks.copyMemory(500, o.delay(), o.seed() + 1);
        TrainConfig tc = TrainConfig.defaults().withEpochs(o.epochs())
                .withOptimizer(TrainConfig.Optimizer.ADAM, o.learningRate()).withClipping(1.0, 0).withSeed(o.seed())
                .withQuiet(true);
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder().seed(o.seed())
                .dataType(DataType.FLOAT).updater(tc.updater()).weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs("in");
        String top = RecurrentStack.add(b, "rnn", "in", spec.withLayers(1).withBidirectional(null));
        ComputationGraph g = new ComputationGraph(b.addLayer("out", new SoftmaxOutput(SyntheticTasks.COPY_CLASSES),
                top).setOutputs("out").setInputTypes(InputType.recurrent(SyntheticTasks.COPY_CLASSES)).build());
        g.init();
        EpochData epochs = epoch -> {
            DataSet d = train.copy();
            d.shuffle(o.seed() + epoch);
            List<MultiDataSet> out = new ArrayList<>();
            for (DataSet part : d.batchBy(o.batch())) {
                out.add(new MultiDataSet(part.getFeatures(), part.getLabels()));
            }
            return out;
        };
        Trainer.Result training = new Trainer(tc).fit(g, epochs, null);
        long start = System.nanoTime();
        INDArray p = g.outputSingle(test.getFeatures());
        double inferenceSeconds = TaskResult.since(start);
        INDArray y = test.getLabels();
        int n = (int) y.size(0);
        int steps = (int) y.size(2);
        double nats = 0;
        int right = 0;
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < steps; t++) {
                int target = (int) y.getDouble(i, 0, t);
                nats -= Math.log(Math.max(p.getDouble(i, target, t), 1e-30));
                if (t >= steps - 10) {
                    int best = 0;
                    for (int c = 1; c < SyntheticTasks.COPY_CLASSES; c++) {
                        best = p.getDouble(i, c, t) > p.getDouble(i, best, t) ? c : best;
                    }
                    right += best == target ? 1 : 0;
                }
            }
        }
        Result r = new Result(spec.label(), TaskResult.parameters(g), o.delay(), nats / ((double) n * steps),
                SyntheticTasks.copyMemoryChance(o.delay()), right / (10.0 * n), training.seconds());
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("crossEntropy", r.testCrossEntropy());
        metrics.put("relativeToChance", r.relativeToChance());
        metrics.put("recallAccuracy", 100 * r.recallAccuracy());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("recurrent", spec.toMap());
        config.put("options", Map.of("delay", o.delay(), "trainSize", o.trainSize(), "epochs", o.epochs(),
                "batch", o.batch(), "learningRate", o.learningRate()));
        return new Trained(g, new TaskResult<>("copy-memory", "copy memory, delay " + o.delay(), spec.label(),
                TaskResult.parameters(g), new TaskResult.Score("test", "crossEntropy", false, metrics, n, "sequence",
                inferenceSeconds), TaskResult.Training.of(training, ""), config, RunInfo.current(o.seed()), r),
                test);
    }
}
