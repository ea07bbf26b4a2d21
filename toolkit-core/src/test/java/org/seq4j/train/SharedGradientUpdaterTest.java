package org.seq4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.seq4j.cells.CellType;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.cells.RecurrentStack;
import org.seq4j.core.SoftmaxOutput;

class SharedGradientUpdaterTest {

    private static ComputationGraph graph() {
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.FLOAT).updater(new Adam(0.01)).graphBuilder().addInputs("in");
        String top = RecurrentStack.add(b, "rnn", "in", RecurrentSpec.of(CellType.LSTM, 8).withLayers(2));
        ComputationGraph g = new ComputationGraph(b.addLayer("out", new SoftmaxOutput(5), top).setOutputs("out")
                .setInputTypes(InputType.recurrent(4)).build());
        g.init();
        return g;
    }

    private static final DataSet BATCH;

    static {
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, 4, 9);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 6, 1, 9);
        for (int i = 0; i < 6; i++) {
            for (int t = 0; t < 9; t++) {
                y.putScalar(new long[] {i, 0, t}, (i + 2 * t) % 5);
            }
        }
        BATCH = new DataSet(x, y);
    }

    private static void fit(ComputationGraph g, int steps) {
        for (int i = 0; i < steps; i++) {
            g.fit(BATCH);
        }
    }

    @Test
    void stockM21TakesTheExternalGradientPathOnItsOwnGradient() {
        // why the class exists: if a DL4J upgrade makes this identity hold, the updater is no longer needed
        ComputationGraph stock = graph();
        fit(stock, 1);
        assertThat(stock.gradient().gradient() == stock.getUpdater().getFlattenedGradientsView()).isFalse();
    }

    @Test
    void trainsBitIdenticallyToDl4jsUpdaterOnItsStandardPath() {
        ComputationGraph stock = graph();
        ComputationGraph shared = graph();
        SharedGradientUpdater.install(shared);
        fit(stock, 4);
        fit(shared, 4);
        assertThat(shared.params()).isEqualTo(stock.params());
        assertThat(shared.getUpdater().getStateViewArray()).isEqualTo(stock.getUpdater().getStateViewArray());
        assertThat(((SharedGradientUpdater) shared.getUpdater()).standardSteps()).isEqualTo(4);

        // installed mid-run it keeps Adam's moments; after a learning-rate change (DL4J puts a stock updater in)
        // and installing again, still the same numbers
        ComputationGraph late = graph();
        fit(late, 4);
        SharedGradientUpdater.install(late);
        SharedGradientUpdater.install(late);   // idempotent
        for (ComputationGraph g : List.of(stock, late)) {
            fit(g, 2);
            g.setLearningRate(0.003);
        }
        assertThat(late.getUpdater()).isNotInstanceOf(SharedGradientUpdater.class);
        SharedGradientUpdater.install(late);
        fit(stock, 3);
        fit(late, 3);
        assertThat(late.params()).isEqualTo(stock.params());
        assertThat(((SharedGradientUpdater) late.getUpdater()).standardSteps()).isEqualTo(3);
    }

    @Test
    void theTrainerTrainsWithIt() {
        ComputationGraph g = graph();
        TrainConfig c = TrainConfig.defaults().withEpochs(2).withOptimizer(TrainConfig.Optimizer.ADAM, 0.01)
                .withSeed(3).withQuiet(true).withPlateauDecay(0.5);
        MultiDataSet m = new MultiDataSet(new INDArray[] {BATCH.getFeatures()}, new INDArray[] {BATCH.getLabels()});
        // a validation metric that never improves: the rate is halved after every epoch but the first
        Validation flat = new Validation("constant", graph -> 1.0, true);
        new Trainer(c.withEpochs(3)).fit(g, epoch -> List.of(m, m), flat);
        assertThat(g.getUpdater()).isInstanceOf(SharedGradientUpdater.class);
        // installed again after the last halving (epoch 3): its two steps came before, on the one replaced then
        assertThat(((SharedGradientUpdater) g.getUpdater()).standardSteps()).isZero();
        // Adam's moments came along through both replacements, and the halved rate is the one in force
        assertThat(g.getUpdater().getStateViewArray().amaxNumber().doubleValue()).isGreaterThan(0.0);
        assertThat(org.deeplearning4j.util.NetworkUtils.getLearningRate(g, "out")).isCloseTo(0.0025,
                org.assertj.core.api.Assertions.within(1e-12));
    }
}
