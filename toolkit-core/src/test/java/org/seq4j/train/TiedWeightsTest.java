package org.seq4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.seq4j.core.Recurrent;
import org.seq4j.core.SoftmaxOutput;
import org.seq4j.core.SrnCell;
import org.seq4j.testkit.GradientChecks;
import org.seq4j.testkit.RestoresDataType;

/** Tied embeddings: the tied parameter's gradient against finite differences, the update, the mirror, errors. */
@ExtendWith(RestoresDataType.class)
class TiedWeightsTest {

    private static final int V = 7;
    private static final int E = 5;

    @BeforeAll
    static void doublePrecision() {
        GradientChecks.useDoublePrecision();
    }

    /** tokens → embedding [V, E] → SRN(E) → softmax with W [E, V]. */
    private static ComputationGraph graph(int units) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .updater(new Sgd(0.5)).weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs("tokens")
                .addLayer("embed", new EmbeddingSequenceLayer.Builder().nIn(V).nOut(E).hasBias(false).build(),
                        "tokens")
                .addLayer("rnn", new Recurrent.Builder().cell(new SrnCell()).units(units).build(), "embed")
                .addLayer("out", new SoftmaxOutput(V), "rnn")
                .setOutputs("out").setInputTypes(InputType.recurrent(V)).build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    private static MultiDataSet batch() {
        Random r = new Random(9);
        INDArray x = Nd4j.create(DataType.DOUBLE, 3, 1, 4);
        INDArray y = Nd4j.create(DataType.DOUBLE, 3, 1, 4);
        for (long i = 0; i < x.length(); i++) {
            x.putScalar(i, r.nextInt(V));
            y.putScalar(i, r.nextInt(V));
        }
        return new MultiDataSet(x, y);
    }

    /** The loss as a function of the tied parameter E (with W = Eᵀ), at the graph's other parameters. */
    private static double loss(ComputationGraph g, MultiDataSet b) {
        g.getLayer("out").getParam("W").assign(g.getLayer("embed").getParam("W").transpose());
        return g.score(b, false) * b.getFeatures(0).size(0);   // DL4J's score is per example
    }

    @Test
    void theTiedGradientIsTheSumOfBothUsesAndMatchesFiniteDifferences() {
        ComputationGraph g = graph(E);
        TiedWeights t = TiedWeights.tie(g, "embed", "out");
        assertThat(g.getLayer("out").getParam("W")).isEqualTo(g.getLayer("embed").getParam("W").transpose());
        MultiDataSet b = batch();
        ComputationGraph plain = g.clone();   // no listener: the two uses' gradients separately
        plain.setListeners();
        plain.setInputs(b.getFeatures());
        plain.setLabels(b.getLabels());
        plain.computeGradientAndScore();
        INDArray dE = plain.gradient().getGradientFor("embed_W").dup();
        INDArray dW = plain.gradient().getGradientFor("out_W").dup();

        g.setInputs(b.getFeatures());
        g.setLabels(b.getLabels());
        g.computeGradientAndScore();
        t.onGradientCalculation(g);
        INDArray tied = g.gradient().getGradientFor("embed_W");
        assertThat(tied.sub(dE.add(dW.transpose())).amaxNumber().doubleValue()).isZero();
        assertThat(g.gradient().getGradientFor("out_W").amaxNumber().doubleValue()).isZero();

        // the sum is the derivative of the loss with respect to the one tied parameter
        INDArray e = g.getLayer("embed").getParam("W");
        INDArray sum = dE.add(dW.transpose());
        for (int r = 0; r < V; r++) {
            for (int c = 0; c < E; c++) {
                double v = e.getDouble(r, c);
                e.putScalar(r, c, v + 1e-6);
                double up = loss(g, b);
                e.putScalar(r, c, v - 1e-6);
                double down = loss(g, b);
                e.putScalar(r, c, v);
                double numeric = (up - down) / 2e-6;
                assertThat(sum.getDouble(r, c)).as("E[%d, %d]", r, c).isCloseTo(numeric,
                        org.assertj.core.data.Offset.offset(1e-6 + 1e-5 * Math.abs(numeric)));
            }
        }
    }

    @Test
    void anSgdStepMovesTheTiedParameterByTheSummedGradientAndTheMirrorFollows() {
        ComputationGraph g = graph(E);
        TiedWeights.tie(g, "embed", "out");
        MultiDataSet b = batch();
        ComputationGraph plain = g.clone();
        plain.setListeners();
        plain.setInputs(b.getFeatures());
        plain.setLabels(b.getLabels());
        plain.computeGradientAndScore();
        INDArray sum = plain.gradient().getGradientFor("embed_W").add(
                plain.gradient().getGradientFor("out_W").transpose());
        INDArray e0 = g.getLayer("embed").getParam("W").dup();
        TiedWeights.tie(g, "embed", "out");   // a clone shares its listener list with the original, cleared above
        g.fit(b);
        INDArray e1 = g.getLayer("embed").getParam("W");
        INDArray expected = e0.sub(sum.mul(0.5 / 3));   // SGD 0.5 on the mean over 3 examples
        assertThat(e1.sub(expected).amaxNumber().doubleValue()).isLessThan(1e-14);
        assertThat(g.getLayer("out").getParam("W")).isEqualTo(e1.transpose());
    }

    @Test
    void shapesThatCannotBeTiedAreRefusedByName() {
        ComputationGraph g = graph(E + 1);
        assertThatThrownBy(() -> TiedWeights.tie(g, "embed", "out"))
                .hasMessageContaining("cannot tie layer 'out' (weights [6, 7]) to layer 'embed' (weights [7, 5])");
        assertThatThrownBy(() -> TiedWeights.tie(g, "embedding", "out"))
                .hasMessageContaining("the graph has no layer 'embedding'");
    }
}
