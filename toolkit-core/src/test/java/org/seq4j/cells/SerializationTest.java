package org.seq4j.cells;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.seq4j.attention.Attention;
import org.seq4j.testkit.Arrays3;
import org.seq4j.testkit.TestGraphs;

/** A graph holding every seq4j layer survives JSON and ModelSerializer round trips, and keeps training. */
class SerializationTest {

    static ComputationGraphConfiguration everyLayer() {
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder()
                .seed(7).dataType(DataType.FLOAT).updater(new Adam(0.01))
                .graphBuilder()
                .addInputs("src", "tgt");
        String enc = RecurrentStack.add(b, "enc", "src",
                RecurrentSpec.of(CellType.GRU, 6).withBidirectional(Bidirectional.Mode.CONCAT));
        String ctx = RecurrentStack.add(b, "ctx", enc, RecurrentSpec.of(CellType.SCRN, 5).withScrn(3, 0.9, true));
        String dec = RecurrentStack.add(b, "dec", "tgt", RecurrentSpec.of(CellType.LSTM, 6));
        b.addVertex("att", Attention.bahdanau(4).named("att"), dec, ctx);
        String top = RecurrentStack.add(b, "top", "att", RecurrentSpec.of(CellType.SRN, 4));
        return b.addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(3).build(), top)
                .setOutputs("out")
                .setInputTypes(InputType.recurrent(3), InputType.recurrent(3))
                .build();
    }

    static MultiDataSet batch(long seed, int te, int td) {
        INDArray src = TestGraphs.uniform(seed, 4, 3, te).castTo(DataType.FLOAT);
        INDArray tgt = TestGraphs.uniform(seed + 1, 4, 3, td).castTo(DataType.FLOAT);
        INDArray labels = org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, 4, 3, td);
        for (int i = 0; i < 4; i++) {
            for (int t = 0; t < td; t++) {
                labels.putScalar(new long[] {i, (i + t) % 3, t}, 1.0);
            }
        }
        INDArray srcMask = Arrays3.prefixMask(te, te, te - 1, 2, te).castTo(DataType.FLOAT);
        INDArray tgtMask = Arrays3.prefixMask(td, td, 2, td, 1).castTo(DataType.FLOAT);
        return new MultiDataSet(new INDArray[] {src, tgt}, new INDArray[] {labels},
                new INDArray[] {srcMask, tgtMask}, new INDArray[] {tgtMask});
    }

    @Test
    void jsonRoundTrip() {
        ComputationGraphConfiguration conf = everyLayer();
        String json = conf.toJson();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(json);
        assertThat(back.toJson()).isEqualTo(json);
        assertThat(back).isEqualTo(conf);
    }

    @Test
    void saveLoadGivesIdenticalOutputsAndTrainingContinuesIdentically(@TempDir Path dir) throws Exception {
        ComputationGraph g = new ComputationGraph(everyLayer());
        g.init();
        for (int i = 0; i < 3; i++) {
            g.fit(batch(i, 5 + i % 2, 4));      // two encoder lengths: two SCRN graphs
        }
        File file = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(g, file, true);
        ComputationGraph loaded = ModelSerializer.restoreComputationGraph(file, true);

        MultiDataSet probe = batch(10, 6, 4);
        INDArray before = g.output(false, probe.getFeatures(), probe.getFeaturesMaskArrays())[0];
        INDArray after = loaded.output(false, probe.getFeatures(), probe.getFeaturesMaskArrays())[0];
        assertThat(after.equals(before)).isTrue();
        assertThat(loaded.getUpdater().getStateViewArray()).isEqualTo(g.getUpdater().getStateViewArray());

        for (int i = 0; i < 2; i++) {
            g.fit(batch(20 + i, 5, 3));
            loaded.fit(batch(20 + i, 5, 3));
        }
        assertThat(loaded.params()).isEqualTo(g.params());
        assertThat(loaded.params()).isNotEqualTo(ModelSerializer.restoreComputationGraph(file, true).params());
    }
}
