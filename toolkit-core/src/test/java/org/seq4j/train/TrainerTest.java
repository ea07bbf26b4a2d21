package org.seq4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.seq4j.cells.CellType;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.cells.RecurrentStack;
import org.seq4j.data.SyntheticTasks;

class TrainerTest {

    private static final DataSet DATA = SyntheticTasks.addingProblem(40, 6, 3);

    private static ComputationGraph graph(TrainConfig c) {
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
                .seed(c.seed()).dataType(DataType.FLOAT).updater(c.updater())
                .graphBuilder().addInputs("in");
        String top = RecurrentStack.add(b, "rnn", "in", RecurrentSpec.of(CellType.GRU, 6).withDropout(0.2));
        ComputationGraph g = new ComputationGraph(b.addLayer("out", new RnnOutputLayer.Builder(
                        LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).nOut(1).build(), top)
                .setOutputs("out").setInputTypes(InputType.recurrent(2)).build());
        g.init();
        return g;
    }

    /** 4 batches of 10 per epoch, shuffled with seed + epoch. */
    private static final EpochData EPOCHS = epoch -> {
        DataSet d = DATA.copy();
        d.shuffle(100 + epoch);
        List<MultiDataSet> out = new ArrayList<>();
        for (DataSet b : d.batchBy(10)) {
            out.add(new MultiDataSet(new INDArray[] {b.getFeatures()}, new INDArray[] {b.getLabels()}, null,
                    new INDArray[] {b.getLabelsMaskArray()}));
        }
        return out;
    };

    private static TrainConfig config() {
        return TrainConfig.defaults().withEpochs(3).withOptimizer(TrainConfig.Optimizer.ADAM, 0.02).withSeed(5)
                .withQuiet(true);
    }

    @Test
    void sameSeedSameResult() {
        ComputationGraph a = graph(config());
        ComputationGraph b = graph(config());
        Trainer.Result ra = new Trainer(config()).fit(a, EPOCHS, null);
        Trainer.Result rb = new Trainer(config()).fit(b, EPOCHS, null);
        assertThat(ra.epochLosses()).isEqualTo(rb.epochLosses());
        assertThat(a.params()).isEqualTo(b.params());
        assertThat(ra.iterations()).isEqualTo(12);
        assertThat(ra.epochLosses().get(2)).isLessThan(ra.epochLosses().get(0));
    }

    @Test
    void resumedRunEqualsUninterruptedRun(@TempDir Path dir) {
        ComputationGraph uninterrupted = graph(config());
        Trainer.Result whole = new Trainer(config()).fit(uninterrupted, EPOCHS, null);

        Path ckpt = dir.resolve("ckpt.zip");
        // stops after 6 iterations, in the middle of epoch 2, with a checkpoint there
        TrainConfig interrupted = config().withMaxIterations(6).withCheckpoints(3, ckpt);
        Trainer.Result first = new Trainer(interrupted).fit(graph(config()), EPOCHS, null);
        assertThat(first.iterations()).isEqualTo(6);
        assertThat(first.epochLosses()).as("epoch 1, then the partial epoch 2").hasSize(2);
        assertThat(first.epochLosses().get(0)).isEqualTo(whole.epochLosses().get(0));
        assertThat(Checkpoint.read(ckpt).state().iteration()).isEqualTo(6);
        assertThat(Checkpoint.read(ckpt).state().batch()).isEqualTo(2);

        ComputationGraph[] resumed = new ComputationGraph[1];
        Trainer.Result rest = new Trainer(config().withCheckpoints(100, ckpt)).resume(ckpt, EPOCHS, null, resumed);
        assertThat(rest.iterations()).isEqualTo(12);
        assertThat(resumed[0].params()).isEqualTo(uninterrupted.params());
        assertThat(rest.epochLosses()).as("the resumed epoch's loss covers the batches before the checkpoint too")
                .isEqualTo(whole.epochLosses());
    }

    @Test
    void truncatedCheckpointGivesAClearError(@TempDir Path dir) throws Exception {
        Path ckpt = dir.resolve("ckpt.zip");
        new Trainer(config().withEpochs(1).withCheckpoints(2, ckpt)).fit(graph(config()), EPOCHS, null);
        byte[] bytes = Files.readAllBytes(ckpt);
        Path cut = dir.resolve("cut.zip");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> Checkpoint.read(cut))
                .hasMessageContaining("Checkpoint " + cut + " cannot be read: it is truncated, damaged or not a seq4j "
                        + "checkpoint");
        assertThatThrownBy(() -> Checkpoint.read(dir.resolve("missing.zip"))).hasMessageContaining("does not exist");
        assertThat(Files.list(dir).filter(p -> p.getFileName().toString().endsWith(".tmp")).count()).isZero();
    }

    @Test
    void earlyStoppingRestoresTheBestParameters() {
        List<INDArray> snapshots = new ArrayList<>();
        double[] metric = {1.0, 2.0, 3.0, 4.0, 5.0};
        Validation v = new Validation("loss", g -> {
            snapshots.add(g.params().dup());
            return metric[snapshots.size() - 1];
        }, false);
        ComputationGraph g = graph(config());
        Trainer.Result r = new Trainer(config().withEpochs(5).withPatience(2)).fit(g, EPOCHS, v);
        assertThat(r.stoppedEarly()).isTrue();
        assertThat(r.epochs()).isEqualTo(3);
        assertThat(r.bestEpoch()).isZero();
        assertThat(r.validationHistory()).containsExactly(1.0, 2.0, 3.0);
        assertThat(g.params()).isEqualTo(snapshots.get(0));
    }

    /** A validation metric (lower is better) read from {@code perEpoch} by the graph's epoch count. */
    private static Validation byEpoch(double... perEpoch) {
        return new Validation("loss", g -> perEpoch[g.getConfiguration().getEpochCount() - 1], false);
    }

    @Test
    void plateauRestoreGoesBackToTheBestEpochThenTrainsOnAtTheLowerRate() {
        // epoch 1 best, epoch 2 worse: epoch 3 starts from epoch 1's parameters and Adam moments at half the rate
        double[] metric = {1.0, 2.0, 0.5};
        for (boolean restore : new boolean[] {true, false}) {
            TrainConfig c = config().withPlateauDecay(0.5).withPlateauRestore(restore);
            ComputationGraph g = graph(c);
            List<INDArray> paramsAfter = new ArrayList<>();
            List<INDArray> updaterAfter = new ArrayList<>();
            List<INDArray> paramsAtStart = new ArrayList<>();
            List<INDArray> updaterAtStart = new ArrayList<>();
            List<Double> rateAtStart = new ArrayList<>();
            Validation v = new Validation("loss", graph -> {
                paramsAfter.add(graph.params().dup());
                updaterAfter.add(graph.getUpdater().getStateViewArray().dup());
                return metric[graph.getConfiguration().getEpochCount() - 1];
            }, false);
            EpochData watched = epoch -> {
                paramsAtStart.add(g.params().dup());
                updaterAtStart.add(g.getUpdater().getStateViewArray().dup());
                rateAtStart.add(org.deeplearning4j.util.NetworkUtils.getLearningRate(g, "out"));
                return EPOCHS.batches(epoch);
            };
            Trainer.Result r = new Trainer(c).fit(g, watched, v);
            assertThat(r.validationHistory()).containsExactly(1.0, 2.0, 0.5);
            assertThat(rateAtStart).containsExactly(0.02, 0.02, 0.01);
            assertThat(paramsAfter.get(1)).isNotEqualTo(paramsAfter.get(0));
            if (restore) {
                assertThat(paramsAtStart.get(2)).isEqualTo(paramsAfter.get(0));
                assertThat(updaterAtStart.get(2)).isEqualTo(updaterAfter.get(0));
            } else {
                assertThat(paramsAtStart.get(2)).isEqualTo(paramsAfter.get(1));
                assertThat(updaterAtStart.get(2)).isEqualTo(updaterAfter.get(1));
            }
            assertThat(g.params()).as("epoch 3 is the best: its parameters are the result").isEqualTo(paramsAfter.get(2));
        }
        assertThatThrownBy(() -> config().withPlateauRestore(true)).hasMessageContaining("plateauRestore needs a "
                + "plateauDecay");
        assertThat(TrainConfig.fromMap(new org.nd4j.shade.jackson.databind.ObjectMapper().valueToTree(
                config().withPlateauDecay(0.5).withPlateauRestore(true).toMap()), "test").plateauRestore()).isTrue();
    }

    @Test
    void aRunResumedBeforeAPlateauRestoreEqualsTheUninterruptedRun(@TempDir Path dir) {
        // epoch 3 is worse than epoch 2: the run goes back to epoch 2's parameters and optimizer state, which the
        // checkpoint written in the middle of epoch 3 must therefore hold
        TrainConfig c = config().withEpochs(4).withPlateauDecay(0.5).withPlateauRestore(true);
        Validation v = byEpoch(1.0, 0.5, 2.0, 0.4);
        ComputationGraph uninterrupted = graph(c);
        Trainer.Result whole = new Trainer(c).fit(uninterrupted, EPOCHS, v);
        assertThat(whole.bestEpoch()).isEqualTo(3);

        Path ckpt = dir.resolve("ckpt.zip");
        new Trainer(c.withMaxIterations(10).withCheckpoints(5, ckpt)).fit(graph(c), EPOCHS, v);
        assertThat(Checkpoint.read(ckpt).state().iteration()).isEqualTo(10);
        assertThat(Checkpoint.read(ckpt).bestUpdaterState()).isNotNull();
        ComputationGraph[] resumed = new ComputationGraph[1];
        Trainer.Result rest = new Trainer(c.withCheckpoints(100, ckpt)).resume(ckpt, EPOCHS, v, resumed);
        assertThat(rest.validationHistory()).containsExactly(1.0, 0.5, 2.0, 0.4);
        assertThat(resumed[0].params()).isEqualTo(uninterrupted.params());
    }

    @Test
    void globalNormAndValueClipping() {
        TrainConfig sgd = config().withEpochs(1).withMaxIterations(1).withOptimizer(TrainConfig.Optimizer.SGD, 1.0);
        ComputationGraph g = graph(sgd);
        INDArray before = g.params().dup();
        new Trainer(sgd.withClipping(1e-3, 0)).fit(g, EPOCHS, null);
        // SGD with lr 1: the step is the clipped mean gradient, so its norm is the threshold
        assertThat(g.params().sub(before).norm2Number().doubleValue()).isCloseTo(1e-3, within(1e-6));

        ComputationGraph h = graph(sgd);
        INDArray start = h.params().dup();
        new Trainer(sgd.withClipping(0, 1e-4)).fit(h, EPOCHS, null);
        assertThat(h.params().sub(start).amaxNumber().doubleValue()).isCloseTo(1e-4, within(1e-7));

        // Nesterov momentum 0.9 from zero velocity: the first step is (1 + 0.9) lr times the (clipped) gradient
        TrainConfig nesterov = sgd.withOptimizer(TrainConfig.Optimizer.NESTEROV, 1.0).withClipping(1e-3, 0);
        ComputationGraph n = graph(nesterov);
        INDArray at = n.params().dup();
        new Trainer(nesterov).fit(n, EPOCHS, null);
        assertThat(n.params().sub(at).norm2Number().doubleValue()).isCloseTo(1.9e-3, within(1e-6));
    }

    @Test
    void scheduleTbpttAndIterationStats() {
        // an SGD schedule that is 0 from iteration 2 on: after it, training changes nothing
        TrainConfig frozen = config().withEpochs(1).withOptimizer(TrainConfig.Optimizer.SGD, 0.1)
                .withSchedule(new org.nd4j.linalg.schedule.MapSchedule(org.nd4j.linalg.schedule.ScheduleType.ITERATION,
                        java.util.Map.of(0, 0.1, 2, 0.0)));
        ComputationGraph g = graph(frozen);
        IterationStats stats = new IterationStats(true);
        new Trainer(frozen.withMaxIterations(2)).addListeners(stats).fit(g, EPOCHS, null);
        INDArray afterTwo = g.params().dup();
        assertThat(stats.iterationMillis()).hasSize(1);
        assertThat(stats.gradientNorms()).hasSize(2);
        assertThat(stats.gradientNorms().get(0)).containsKeys("rnn", "out");
        assertThat(stats.gradientNorms().get(0).get("rnn")).isPositive();
        new Trainer(frozen).fit(g, EPOCHS, null);   // iterations 2, 3 (continuing the count) at learning rate 0
        assertThat(g.params()).isEqualTo(afterTwo);

        // truncated BPTT is switched on by the trainer
        ComputationGraph t = graph(config());
        Trainer.Result r = new Trainer(config().withEpochs(1).withTbptt(3)).fit(t, EPOCHS, null);
        assertThat(t.getConfiguration().getBackpropType())
                .isEqualTo(org.deeplearning4j.nn.conf.BackpropType.TruncatedBPTT);
        assertThat(t.getConfiguration().getTbpttFwdLength()).isEqualTo(3);
        assertThat(r.epochLosses().get(0)).isFinite();
    }

    @Test
    void divergenceIsAnErrorNotASilentNaN() {
        DataSet huge = SyntheticTasks.addingProblem(10, 6, 3);
        huge.getLabels().muli(1e30f);
        EpochData data = epoch -> List.of(new MultiDataSet(new INDArray[] {huge.getFeatures()},
                new INDArray[] {huge.getLabels()}, null, new INDArray[] {huge.getLabelsMaskArray()}));
        assertThatThrownBy(() -> new Trainer(config()).fit(graph(config()), data, null))
                .hasMessageContaining("Training diverged: the loss is").hasMessageContaining("epoch 1, batch 1")
                .hasMessageContaining("Lower the learning rate");
    }

    @Test
    void aGraphBuiltWithAnotherOptimizerOrRateIsRefusedNotSilentlyTrained() {
        ComputationGraph g = graph(config());   // Adam at 0.02
        EpochData data = EPOCHS;
        assertThatThrownBy(() -> new Trainer(config().withOptimizer(TrainConfig.Optimizer.SGD, 0.02)).fit(g, data,
                null)).hasMessageContaining("layer 'rnn' was built with Adam at learning rate 0.02")
                .hasMessageContaining("TrainConfig says SGD at 0.02");
        assertThatThrownBy(() -> new Trainer(config().withOptimizer(TrainConfig.Optimizer.ADAM, 0.5)).fit(g, data,
                null)).hasMessageContaining("TrainConfig says ADAM at 0.5");
        assertThat(new Trainer(config().withEpochs(1)).fit(g, data, null).iterations()).isEqualTo(4);
    }

    @Test
    void aLossThatExplodesWithoutBecomingInfiniteIsReportedAsDivergence() {
        TrainConfig wild = config().withOptimizer(TrainConfig.Optimizer.SGD, 1e6);
        ComputationGraph g = graph(wild);
        assertThatThrownBy(() -> new Trainer(wild).fit(g, EPOCHS, null)).isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("Training diverged: the loss per step rose from").hasMessageContaining("learning rate (now 1000000.0)");
    }
}
