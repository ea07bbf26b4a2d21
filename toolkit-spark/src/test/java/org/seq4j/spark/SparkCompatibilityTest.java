package org.seq4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.seq4j.attention.Attention;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.cells.RecurrentStack;
import org.seq4j.crf.Crf;
import org.seq4j.layers.Scrn;

/**
 * The version question of docs/spark.md, decided by test: DL4J's Spark integration 1.0.0-M2 (its last release)
 * trains seq4j's own layers, built on the 1.0.0-M2.1 core, through {@link SparkComputationGraph}: the core runtime
 * (bidirectional LSTM over masked batches) with the CRF output layer, the SameDiff SCRN layer, and the SameDiff
 * attention vertex over two masked inputs. On {@code local[2]} with plain SGD and averaging after every batch,
 * parameter averaging has an exact meaning: two workers each take one step from the same parameters on their own
 * batch, and the driver keeps the mean. Spark's result must equal that mean computed on one machine (float
 * rounding), and one batch on Spark must equal one step on one machine exactly.
 */
class SparkCompatibilityTest {

    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkSetup.context("local[2]", "seq4j-compatibility-test");
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /** Tagging data: the tag at each step is the largest of the 3 input features; lengths 3..8, masked. */
    static List<MultiDataSet> tagging(int batches, int mb, long seed, boolean twoInputs) {
        Random r = new Random(seed);
        List<MultiDataSet> out = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            int steps = 8;
            INDArray x = Nd4j.zeros(DataType.FLOAT, mb, 3, steps);
            INDArray y = Nd4j.zeros(DataType.FLOAT, mb, 3, steps);
            INDArray m = Nd4j.zeros(DataType.FLOAT, mb, steps);
            INDArray enc = Nd4j.rand(DataType.FLOAT, mb, 3, 5);
            for (int i = 0; i < mb; i++) {
                int len = 3 + r.nextInt(steps - 2);
                for (int t = 0; t < len; t++) {
                    int best = 0;
                    double max = -1;
                    for (int f = 0; f < 3; f++) {
                        double v = r.nextDouble();
                        x.putScalar(i, f, t, v);
                        if (v > max) {
                            max = v;
                            best = f;
                        }
                    }
                    y.putScalar(i, best, t, 1);
                    m.putScalar(i, t, 1);
                }
            }
            out.add(twoInputs
                    ? new MultiDataSet(new INDArray[] {x, enc}, new INDArray[] {y},
                            new INDArray[] {m, Nd4j.ones(DataType.FLOAT, mb, 5)}, new INDArray[] {m})
                    : new MultiDataSet(new INDArray[] {x}, new INDArray[] {y}, new INDArray[] {m}, new INDArray[] {m}));
        }
        return out;
    }


    private static GraphBuilder builder() {
        return new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.FLOAT).updater(new Sgd(0.1))
                .graphBuilder();
    }

    static ComputationGraph bilstmCrf() {
        GraphBuilder b = builder().addInputs("x");
        String top = RecurrentStack.add(b, "enc", "x",
                RecurrentSpec.of("lstm", 8).withBidirectional(Bidirectional.Mode.CONCAT));
        b.addLayer("out", new Crf.Builder().nOut(3).build(), top).setOutputs("out")
                .setInputTypes(InputType.recurrent(3));
        ComputationGraph g = new ComputationGraph(b.build());
        g.init();
        return g;
    }

    static ComputationGraph scrn() {
        GraphBuilder b = builder().addInputs("x")
                .addLayer("scrn", new Scrn.Builder().units(8).contextUnits(4).alpha(0.9).build(), "x")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(3).build(), "scrn")
                .setOutputs("out").setInputTypes(InputType.recurrent(3));
        ComputationGraph g = new ComputationGraph(b.build());
        g.init();
        return g;
    }

    static ComputationGraph attention() {
        GraphBuilder b = builder().addInputs("x", "enc");
        String dec = RecurrentStack.add(b, "dec", "x", RecurrentSpec.of("gru", 8));
        String enc = RecurrentStack.add(b, "encoder", "enc", RecurrentSpec.of("gru", 8));
        b.addVertex("att", Attention.bahdanau(4).named("att"), dec, enc)
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(3).build(), "att")
                .setOutputs("out").setInputTypes(InputType.recurrent(3), InputType.recurrent(3));
        ComputationGraph g = new ComputationGraph(b.build());
        g.init();
        return g;
    }

    /** Spark's parameters after training {@code batches} from {@code graph}'s initial parameters. */
    private static INDArray onSpark(Supplier<ComputationGraph> graph, List<MultiDataSet> batches) {
        SparkComputationGraph spark = new SparkComputationGraph(sc, graph.get(),
                SparkTrainer.Options.defaults().withAveragingFrequency(1).withPrefetch(0).master(3, 8));
        spark.fitMultiDataSet(sc.<org.nd4j.linalg.dataset.api.MultiDataSet>parallelize(List.copyOf(batches), 2));
        return spark.getNetwork().params();
    }

    /** The mean of one SGD step from the initial parameters on each batch, on this machine. */
    private static INDArray averagedSteps(Supplier<ComputationGraph> graph, List<MultiDataSet> batches) {
        INDArray sum = null;
        for (MultiDataSet b : batches) {
            ComputationGraph g = graph.get();
            g.fit(b);
            sum = sum == null ? g.params().dup() : sum.addi(g.params());
        }
        return sum.divi(batches.size());
    }

    private static void averagesExactly(Supplier<ComputationGraph> graph, boolean twoInputs) {
        INDArray initial = graph.get().params();
        List<MultiDataSet> one = tagging(1, 8, 5, twoInputs);
        INDArray spark1 = onSpark(graph, one);
        assertThat(spark1.sub(initial).amaxNumber().doubleValue()).as("the step moved the parameters")
                .isGreaterThan(1e-3);
        assertThat(spark1).as("one batch on Spark = one step here").isEqualTo(averagedSteps(graph, one));
        List<MultiDataSet> two = tagging(2, 8, 6, twoInputs);
        INDArray spark2 = onSpark(graph, two);
        INDArray mean = averagedSteps(graph, two);
        assertThat(spark2.sub(mean).amaxNumber().doubleValue()).as("Spark vs the mean of two steps")
                .isLessThan(1e-6);
        // and not trivially: the two workers' steps differ, so the mean is neither of them
        assertThat(mean.sub(averagedSteps(graph, two.subList(0, 1))).amaxNumber().doubleValue()).isGreaterThan(1e-4);
    }

    @Test
    void averagesTheCoreRuntimeWithBidirectionalMasksAndTheCrf() {
        averagesExactly(SparkCompatibilityTest::bilstmCrf, false);
    }

    @Test
    void averagesTheSameDiffScrnLayer() {
        averagesExactly(SparkCompatibilityTest::scrn, false);
    }

    @Test
    void averagesTheSameDiffAttentionVertexOverTwoMaskedInputs() {
        averagesExactly(SparkCompatibilityTest::attention, true);
    }
}
