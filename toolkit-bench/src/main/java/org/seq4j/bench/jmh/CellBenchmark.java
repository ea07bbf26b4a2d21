package org.seq4j.bench.jmh;

import java.util.concurrent.TimeUnit;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.cells.RecurrentStack;

/**
 * Train-step and inference time per cell at the sizes of issue 2: batch 32, T = 50, nIn = 64, H ∈ {128, 256, 512},
 * a 10-class softmax at every step, Adam, float32. Run through {@code ./seq4j jmh CellBenchmark}; the OpenMP settings
 * of the launching shell apply (docs/benchmarks.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class CellBenchmark {

    static final int BATCH = 32;
    static final int STEPS = 50;
    static final int N_IN = 64;
    static final int CLASSES = 10;

    @Param({"lstm", "gru", "scrn", "srn"})
    public String cell;

    @Param({"128", "256", "512"})
    public int units;

    private ComputationGraph graph;
    private DataSet batch;

    @Setup
    public void setup() {
        Nd4j.getRandom().setSeed(12345);
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
                .seed(12345).dataType(DataType.FLOAT).updater(new Adam(1e-3))
                .graphBuilder().addInputs("in");
        RecurrentSpec spec = RecurrentSpec.of(cell, units);
        if ("scrn".equals(cell)) {
            spec = spec.withScrn(64, 0.95, false);   // SCRN with 64 context units, as in the M2.1 note's timings
        }
        String top = RecurrentStack.add(b, "rnn", "in", spec);
        graph = new ComputationGraph(b.addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(CLASSES).build(), top)
                .setOutputs("out").setInputTypes(InputType.recurrent(N_IN)).build());
        graph.init();
        INDArray x = Nd4j.rand(DataType.FLOAT, BATCH, N_IN, STEPS);
        INDArray y = Nd4j.zeros(DataType.FLOAT, BATCH, CLASSES, STEPS);
        for (int i = 0; i < BATCH; i++) {
            for (int t = 0; t < STEPS; t++) {
                y.putScalar(new long[] {i, (i * 7 + t) % CLASSES, t}, 1.0);
            }
        }
        batch = new DataSet(x, y);
        graph.fit(batch);   // builds SameDiff graphs and sizes workspaces outside the measurement
    }

    @Benchmark
    public double trainStep() {
        graph.fit(batch);
        return graph.score();
    }

    @Benchmark
    public INDArray inference() {
        return graph.outputSingle(batch.getFeatures());
    }
}
