// seq4j walkthrough: a GRU from its equations to a trained model.
// Run it with:  demos/run.sh gru        (a seconds-long smoke version: SEQ4J_SMOKE=1 demos/run.sh gru)
// JShell ends a statement at any complete line, so builder chains below end their lines with a dot.

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.cells.RecurrentStack;
import org.seq4j.data.SyntheticTasks;

boolean smoke = System.getenv("SEQ4J_SMOKE") != null;

// ## 1. The task: the adding problem. Each step carries a value and a marker; the target at the last step is the
// sum of the two marked values. Predicting the mean gives MSE 1/6: a model that beats it remembers.
var train = SyntheticTasks.addingProblem(smoke ? 64 : 2000, 10, 1);
var test = SyntheticTasks.addingProblem(smoke ? 32 : 500, 10, 2);
System.out.println("features " + java.util.Arrays.toString(train.getFeatures().shape()) + " (examples, [value, marker], steps)");

// ## 2. The model: a GRU (reset gate after the recurrent product, as in cuDNN and PyTorch) and a linear output.
var b = new NeuralNetConfiguration.Builder().seed(42).updater(new Adam(0.01)).graphBuilder().addInputs("in");
String top = RecurrentStack.add(b, "gru", "in", RecurrentSpec.of("gru", 16));
ComputationGraph model = new ComputationGraph(b.
        addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).nOut(1).build(), top).
        setOutputs("out").setInputTypes(InputType.recurrent(2)).build());
model.init();
System.out.println(model.summary());

// ## 3. Train, and watch the test error fall below the baseline of 0.167.
double testMse() {
    INDArray out = model.outputSingle(test.getFeatures());
    INDArray last = out.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.point(9));
    INDArray target = test.getLabels().get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.point(9));
    return Transforms.pow(last.sub(target), 2).meanNumber().doubleValue();
}
for (int epoch = 1; epoch <= (smoke ? 1 : 8); epoch++) {
    for (var batch : train.batchBy(50)) model.fit(batch);
    System.out.printf("epoch %d: test MSE %.4f%n", epoch, testMse());
}

// ## 4. The equations by hand. Gate order [r | z | n]: W is [nIn, 3H], RW is [H, 3H].
//   r = σ(x·Wr + br + h·Rr + bRr),  z = σ(x·Wz + bz + h·Rz + bRz),  n = tanh(x·Wn + bn + r ⊙ (h·Rn + bRn)),
//   h' = (1 − z) ⊙ n + z ⊙ h
var p = model.getLayer("gru").paramTable();
int H = 16;
INDArray x0 = test.getFeatures().get(NDArrayIndex.interval(0, 1), NDArrayIndex.all(), NDArrayIndex.point(0));
INDArray h = Nd4j.zeros(x0.dataType(), 1, H);
INDArray xw = x0.mmul(p.get("W")).addRowVector(p.get("b"));
INDArray hr = h.mmul(p.get("RW")).addRowVector(p.get("rb"));
INDArray r = Transforms.sigmoid(xw.get(NDArrayIndex.all(), NDArrayIndex.interval(0, H)).add(hr.get(NDArrayIndex.all(), NDArrayIndex.interval(0, H))));
INDArray z = Transforms.sigmoid(xw.get(NDArrayIndex.all(), NDArrayIndex.interval(H, 2 * H)).add(hr.get(NDArrayIndex.all(), NDArrayIndex.interval(H, 2 * H))));
INDArray n = Transforms.tanh(xw.get(NDArrayIndex.all(), NDArrayIndex.interval(2 * H, 3 * H)).add(r.mul(hr.get(NDArrayIndex.all(), NDArrayIndex.interval(2 * H, 3 * H)))));
INDArray byHand = n.sub(z.mul(n)).add(z.mul(h));
INDArray layer = model.feedForward(x0.reshape(1, 2, 1), false).get("gru").reshape(1, H);
double handDiff = byHand.sub(layer).amaxNumber().doubleValue();
System.out.printf("check first step by hand vs the layer: max difference %.2e: %s%n", handDiff, handDiff < 1e-5 ? "ok" : "FAILED");

// ## 5. Step by step equals the whole sequence: rnnTimeStep carries the GRU's state between calls.
model.rnnClearPreviousState();
INDArray seq = test.getFeatures().get(NDArrayIndex.interval(0, 1), NDArrayIndex.all(), NDArrayIndex.all());
INDArray full = model.outputSingle(seq);
double maxDiff = 0;
for (int t = 0; t < 10; t++) {
    INDArray o = model.rnnTimeStep(seq.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(t, t + 1)))[0];
    maxDiff = Math.max(maxDiff, o.reshape(1).sub(full.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(t)).reshape(1)).amaxNumber().doubleValue());
}
System.out.printf("check step-by-step vs full sequence: max difference %.2e: %s%n", maxDiff, maxDiff < 1e-5 ? "ok" : "FAILED");
System.out.println("DEMO OK");
/exit
