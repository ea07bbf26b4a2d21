package org.seq4j.bench.jmh;

import java.util.concurrent.TimeUnit;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
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
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.cells.RecurrentStack;
import org.seq4j.core.SoftmaxOutput;
import org.seq4j.train.SharedGradientUpdater;
import org.seq4j.layers.Scrn;

/**
 * Train-step and inference time per workload, the same workloads as {@code ../shared/bench/torch_rnn_bench.py}
 * (PyTorch's side of the comparison): batch 32, T = 50, nIn = 64, a 10-class softmax at every step, Adam 1e-3,
 * float32; the output layer is seq4j's {@code SoftmaxOutput} (class ids as targets, PyTorch's
 * {@code nn.CrossEntropyLoss}). A workload is {@code CELL_hH}: {@code lstm}, {@code gru}, {@code srn} (PyTorch's {@code rnn}),
 * {@code scrn} (core, 64 context units), {@code scrnsd} (the SameDiff SCRN layer), {@code jordan}, {@code bilstm}
 * (CONCAT), {@code lstm2} (two layers). Run through {@code ./seq4j jmh CellBenchmark -p workload=gru_h256}; the
 * OpenMP and OpenBLAS settings of the launching shell apply (docs/benchmarks.md). Sample mode: every call is timed,
 * so JMH reports the median (the statistic PyTorch's side reports) next to the mean and the tail percentiles.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class CellBenchmark {

    static final int BATCH = 32;
    static final int STEPS = 50;
    static final int N_IN = 64;
    static final int CLASSES = 10;

    @Param({"lstm_h128", "lstm_h256", "lstm_h512", "gru_h128", "gru_h256", "gru_h512", "srn_h128", "srn_h256",
            "srn_h512", "bilstm_h256", "lstm2_h256", "scrn_h128", "scrn_h256", "scrn_h512", "scrnsd_h256"})
    public String workload;

    private ComputationGraph graph;
    private DataSet batch;

    @Setup
    public void setup() {
        Nd4j.getRandom().setSeed(12345);
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
                .seed(12345).dataType(DataType.FLOAT).updater(new Adam(1e-3))
                .graphBuilder().addInputs("in");
        String kind = workload.substring(0, workload.indexOf("_h"));
        int units = Integer.parseInt(workload.substring(workload.indexOf("_h") + 2));
        String top;
        if (kind.equals("scrnsd")) {
            b.addLayer("rnn", new Scrn.Builder().units(units).contextUnits(64).alpha(0.95).build(), "in");
            top = "rnn";
        } else {
            RecurrentSpec spec = switch (kind) {
                case "bilstm" -> RecurrentSpec.of("lstm", units).withBidirectional(Bidirectional.Mode.CONCAT);
                case "lstm2" -> RecurrentSpec.of("lstm", units).withLayers(2);
                case "scrn" -> RecurrentSpec.of("scrn", units).withScrn(64, 0.95, false);   // 64 context units
                default -> RecurrentSpec.of(kind, units);
            };
            top = RecurrentStack.add(b, "rnn", "in", spec);
        }
        // class ids as targets and a fused softmax cross-entropy, as PyTorch's nn.CrossEntropyLoss on the other side
        graph = new ComputationGraph(b.addLayer("out", new SoftmaxOutput(CLASSES), top)
                .setOutputs("out").setInputTypes(InputType.recurrent(N_IN)).build());
        graph.init();
        SharedGradientUpdater.install(graph);   // as Trainer trains every seq4j model
        INDArray x = Nd4j.rand(DataType.FLOAT, BATCH, N_IN, STEPS);
        INDArray y = Nd4j.zeros(DataType.FLOAT, BATCH, 1, STEPS);
        for (int i = 0; i < BATCH; i++) {
            for (int t = 0; t < STEPS; t++) {
                y.putScalar(new long[] {i, 0, t}, (i * 7 + t) % CLASSES);
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
