package org.seq4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.cells.RecurrentStack;
import org.seq4j.testkit.GradientChecks;

/** {@link SoftmaxOutput} against DL4J's RnnOutputLayer + softmax + LossSparseMCXENT with the same parameters. */
class SoftmaxOutputTest {

    private static final int NIN = 5;
    private static final int V = 7;

    private static ComputationGraph graph(Layer out, DataType type) {
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder().seed(3).dataType(type)
                .updater(new NoOp()).weightInit(WeightInit.XAVIER).graphBuilder().addInputs("in");
        String top = RecurrentStack.add(b, "rnn", "in", RecurrentSpec.of("gru", 4));
        ComputationGraph g = new ComputationGraph(b.addLayer("out", out, top).setOutputs("out")
                .setInputTypes(InputType.recurrent(NIN)).build());
        g.init();
        return g;
    }

    private static INDArray tokens(int mb, int steps, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randomBernoulli(0.5, mb, 1, steps).muli(0).addi(
                Nd4j.rand(DataType.DOUBLE, mb, 1, steps).muli(V).castTo(DataType.INT32).castTo(DataType.DOUBLE));
    }

    private static INDArray mask(int mb, int steps) {
        INDArray m = Nd4j.ones(DataType.DOUBLE, mb, steps);
        m.putScalar(0, steps - 1, 0);
        m.putScalar(1, steps - 1, 0);
        m.putScalar(1, steps - 2, 0);
        return m;
    }

    /** Left padding: example 1 starts two steps late, example 2 one step late. */
    private static INDArray leftMask(int mb, int steps) {
        INDArray m = Nd4j.ones(DataType.DOUBLE, mb, steps);
        m.putScalar(1, 0, 0);
        m.putScalar(1, 1, 0);
        m.putScalar(2, 0, 0);
        return m;
    }

    @Test
    void scoreGradientsAndProbabilitiesEqualDl4jsSparseSoftmaxLayer() {
        GradientChecks.useDoublePrecision();
        ComputationGraph ours = graph(new SoftmaxOutput(V), DataType.DOUBLE);
        ComputationGraph ref = graph(new RnnOutputLayer.Builder(new LossSparseMCXENT())
                .activation(Activation.SOFTMAX).nOut(V).build(), DataType.DOUBLE);
        ref.setParams(ours.params());
        Nd4j.getRandom().setSeed(8);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 3, NIN, 6);
        INDArray y = tokens(3, 6, 9);
        for (INDArray m : new INDArray[] {null, mask(3, 6), leftMask(3, 6)}) {
            for (ComputationGraph g : new ComputationGraph[] {ours, ref}) {
                g.setInputs(x);
                g.setLabels(y);
                g.setLayerMaskArrays(null, m == null ? null : new INDArray[] {m});
                g.computeGradientAndScore();
            }
            assertThat(ours.score()).isCloseTo(ref.score(), within(1e-12));
            INDArray go = ours.gradient().gradient();
            INDArray gr = ref.gradient().gradient();
            assertThat(go.sub(gr).amaxNumber().doubleValue()).isLessThan(1e-12);
            assertThat(go.amaxNumber().doubleValue()).isGreaterThan(1e-3);
            ours.clearLayerMaskArrays();
            ref.clearLayerMaskArrays();
        }
        INDArray po = ours.outputSingle(x);
        INDArray pr = ref.outputSingle(x);
        assertThat(po.shape()).containsExactly(3, V, 6);
        assertThat(po.sub(pr).amaxNumber().doubleValue()).isLessThan(1e-14);
        assertThat(po.sum(1).sub(1).amaxNumber().doubleValue()).isLessThan(1e-14);
    }

    @Test
    void aTrainingStepRunsTheLogitsAndSoftmaxOnceAndTheNextScoreIsNotStale() {
        // the layer straight on the graph's input, so the same input and label arrays come back on every call
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.DOUBLE).updater(new org.nd4j.linalg.learning.config.Sgd(0.5))
                .weightInit(WeightInit.XAVIER).graphBuilder().addInputs("in")
                .addLayer("out", new SoftmaxOutput(V), "in").setOutputs("out")
                .setInputTypes(InputType.recurrent(NIN)).build());
        g.init();
        Nd4j.getRandom().setSeed(8);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 3, NIN, 6);
        INDArray y = tokens(3, 6, 9);
        org.nd4j.linalg.dataset.api.MultiDataSet data = new org.nd4j.linalg.dataset.MultiDataSet(x, y);
        for (int step = 0; step < 3; step++) {
            long before = SoftmaxOutputRuntime.PASSES.get();
            g.setInputs(x);
            g.setLabels(y);
            g.computeGradientAndScore();
            assertThat(SoftmaxOutputRuntime.PASSES.get() - before).as("passes in step %d", step).isEqualTo(1);
            double reported = g.score();
            INDArray gradient = g.gradient().gradient().dup();
            // a fresh graph with the same parameters: the same score and gradient
            ComputationGraph fresh = g.clone();
            fresh.setInputs(x);
            fresh.setLabels(y);
            fresh.computeGradientAndScore();
            assertThat(reported).isCloseTo(fresh.score(), within(1e-12));
            assertThat(gradient.sub(fresh.gradient().gradient()).amaxNumber().doubleValue()).isLessThan(1e-12);
            // after an update with the same arrays, score() must see the new parameters
            g.fit(data);
            double after = g.score(new org.nd4j.linalg.dataset.MultiDataSet(x, y));
            ComputationGraph updated = g.clone();
            assertThat(after).isCloseTo(updated.score(new org.nd4j.linalg.dataset.MultiDataSet(x, y)), within(1e-12));
            assertThat(after).isLessThan(reported);
        }
        // called directly with the very same arrays: a kept pass serves one score, never one computed before the
        // parameters changed
        org.deeplearning4j.nn.layers.recurrent.RnnOutputLayer layer =
                (org.deeplearning4j.nn.layers.recurrent.RnnOutputLayer) g.getLayer("out");
        org.deeplearning4j.nn.workspace.LayerWorkspaceMgr ws =
                org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces();
        layer.setInput(x, ws);
        layer.setLabels(y);
        layer.backpropGradient(null, ws);
        double first = layer.computeScore(0, true, ws);
        layer.setParam("b", layer.getParam("b").add(Nd4j.linspace(DataType.DOUBLE, 1, V, 1).reshape(1, V)));
        double second = layer.computeScore(0, true, ws);
        assertThat(second).isNotCloseTo(first, within(1e-3));
        ComputationGraph shifted = g.clone();
        assertThat(second).isCloseTo(shifted.score(new org.nd4j.linalg.dataset.MultiDataSet(x, y)), within(1e-12));
    }

    @Test
    void passesAGradientCheckWithoutAndWithRightAndLeftPaddedLabelMasks() {
        GradientChecks.useDoublePrecision();
        ComputationGraph g = graph(new SoftmaxOutput(V), DataType.DOUBLE);
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 3, NIN, 5);
        INDArray y = tokens(3, 5, 5);
        GradientChecks.assertCorrect(g, new INDArray[] {x}, new INDArray[] {y}, null, null);
        GradientChecks.assertCorrect(g, new INDArray[] {x}, new INDArray[] {y}, null, new INDArray[] {mask(3, 5)});
        GradientChecks.assertCorrect(g, new INDArray[] {x}, new INDArray[] {y}, null,
                new INDArray[] {leftMask(3, 5)});
    }

    @Test
    void singlePrecisionMatchesDoubleAndTheFastExponentialIsAccurate() {
        for (float v = -80f; v <= 0f; v += 0.37f) {
            double tol = v >= -10 ? 4e-7 : 1.2e-5;
            assertThat((double) FloatRows.exp(v)).isCloseTo(Math.exp(v), within(Math.exp(v) * tol));
        }
        assertThat(FloatRows.exp(-100f)).isZero();
        ComputationGraph d = graph(new SoftmaxOutput(V), DataType.DOUBLE);
        ComputationGraph f = graph(new SoftmaxOutput(V), DataType.FLOAT);
        f.setParams(d.params().castTo(DataType.FLOAT));
        Nd4j.getRandom().setSeed(8);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 4, NIN, 7);
        INDArray y = tokens(4, 7, 2);
        d.setInputs(x);
        d.setLabels(y);
        d.computeGradientAndScore();
        f.setInputs(x.castTo(DataType.FLOAT));
        f.setLabels(y.castTo(DataType.FLOAT));
        f.computeGradientAndScore();
        assertThat(f.score()).isCloseTo(d.score(), within(1e-5 * d.score()));
        assertThat(f.gradient().gradient().castTo(DataType.DOUBLE).sub(d.gradient().gradient()).amaxNumber()
                .doubleValue()).isLessThan(1e-5);
    }

    @Test
    void aLabelOutsideTheVocabularyIsNamed() {
        ComputationGraph g = graph(new SoftmaxOutput(V).dropout(0.0), DataType.FLOAT);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 2, 1, 3);
        y.putScalar(1, 0, 2, V);
        g.setInputs(Nd4j.rand(DataType.FLOAT, 2, NIN, 3));
        g.setLabels(y);
        assertThatThrownBy(g::computeGradientAndScore).hasMessageContaining("label of example 1, step 2 is 7.0")
                .hasMessageContaining("[0, 7)");
    }
}
