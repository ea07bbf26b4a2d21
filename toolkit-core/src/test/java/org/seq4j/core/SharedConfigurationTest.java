package org.seq4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Networks built from clones of one configuration (how DL4J's Spark workers and ParallelWrapper build theirs) must not
 * share state. DL4J's {@code Bidirectional.clone()} does not copy the layer it wraps, and DL4J's {@code Dropout} keeps
 * its last mask in that configuration object; the core's layers keep their own copy of the input dropout, so one
 * network's forward pass cannot change the mask another network's backward pass uses.
 */
class SharedConfigurationTest {

    private static ComputationGraphConfiguration conf() {
        return new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE).updater(new Sgd(0.1))
                .graphBuilder().addInputs("x")
                .addLayer("enc", new Bidirectional(Bidirectional.Mode.CONCAT, new Recurrent.Builder()
                        .cell(new LstmCell()).units(4).dropOut(0.5).build()), "x")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).nOut(2).build(), "enc")
                .setOutputs("out").setInputTypes(InputType.recurrent(3)).build();
    }

    @Test
    void aNetworkFromACloneKeepsItsOwnInputDropoutMask() {
        ComputationGraphConfiguration conf = conf();
        ComputationGraphConfiguration c1 = conf.clone();
        ComputationGraphConfiguration c2 = conf.clone();
        Bidirectional b1 = (Bidirectional) ((org.deeplearning4j.nn.conf.graph.LayerVertex) c1.getVertices()
                .get("enc")).getLayerConf().getLayer();
        Bidirectional b2 = (Bidirectional) ((org.deeplearning4j.nn.conf.graph.LayerVertex) c2.getVertices()
                .get("enc")).getLayerConf().getLayer();
        // the DL4J behaviour this guards against: both clones hold the same wrapped layer, dropout included
        assertThat(b1.getFwd()).isSameAs(b2.getFwd());
        assertThat(b1.getFwd().getIDropout()).isSameAs(b2.getFwd().getIDropout());

        ComputationGraph a = new ComputationGraph(c1);
        a.init();
        ComputationGraph b = new ComputationGraph(c2);
        b.init(a.params().dup(), true);
        a.initGradientsView();
        b.initGradientsView();
        org.deeplearning4j.nn.api.Layer la = a.getLayer("enc");
        org.deeplearning4j.nn.api.Layer lb = b.getLayer("enc");
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        INDArray xa = Nd4j.rand(DataType.DOUBLE, 3, 3, 5);
        INDArray xb = Nd4j.rand(DataType.DOUBLE, 6, 3, 7);
        INDArray eps = Nd4j.rand(DataType.DOUBLE, 3, 8, 5);

        // a alone: forward with a mask, backward through the same mask
        Nd4j.getRandom().setSeed(11);
        la.setInput(xa.dup(), ws);
        la.activate(true, ws);
        INDArray alone = la.backpropGradient(eps.dup(), ws).getSecond().dup();
        assertThat(alone.eq(0).castTo(DataType.INT).sumNumber().intValue()).as("the mask dropped inputs")
                .isGreaterThan(0);

        // the same, with b's forward pass (another batch size, another mask) between a's forward and backward
        Nd4j.getRandom().setSeed(11);
        la.setInput(xa.dup(), ws);
        la.activate(true, ws);
        lb.setInput(xb.dup(), ws);
        lb.activate(true, ws);
        Pair<?, INDArray> interleaved = la.backpropGradient(eps.dup(), ws);
        assertThat(interleaved.getSecond()).isEqualTo(alone);
    }
}
