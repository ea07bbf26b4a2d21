// seq4j walkthrough: every recurrent cell on one core — equations, masks, vanishing gradients, beam-search state.
// Run it with:  demos/run.sh cells        (a seconds-long smoke version: SEQ4J_SMOKE=1 demos/run.sh cells)
// JShell ends a statement at any complete line, so builder chains below end their lines with a dot.

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.cells.RecurrentStack;
import org.seq4j.core.CellState;
import org.seq4j.core.GradientLag;

boolean smoke = System.getenv("SEQ4J_SMOKE") != null;

// ## 1. One core, five cells. Each cell is its equations (a RecurrentCell); one runtime runs them all with masks,
// Bidirectional, truncated BPTT and step-by-step state. Same builder for every cell:
ComputationGraph encoder(String cell, Bidirectional.Mode mode) {
    var b = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.DOUBLE).graphBuilder().addInputs("in");
    String top = RecurrentStack.add(b, "enc", "in", RecurrentSpec.of(cell, 6).withLayers(2).withBidirectional(mode));
    var g = new ComputationGraph(b.setOutputs(top).setInputTypes(InputType.recurrent(3)).build());
    g.init();
    return g;
}
for (String cell : new String[] {"lstm", "gru", "srn", "scrn", "jordan"}) {
    var g = encoder(cell, null);
    System.out.printf("%-6s parameters %4d, output features per step %d%n", cell, g.numParams(),
            RecurrentSpec.of(cell, 6).outputSize());
}

// ## 2. Masks: a padded batch gives every sequence exactly what it gives alone (here a bidirectional LSTM, whose
// backward direction meets the padding first).
var bi = encoder("lstm", Bidirectional.Mode.CONCAT);
Nd4j.getRandom().setSeed(1);
INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 7);
x.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.interval(4, 7)).assign(99.0);   // padding
INDArray mask = Nd4j.createFromArray(new double[][] {{1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 0, 0, 0}});
INDArray batch = bi.output(false, new INDArray[] {x}, new INDArray[] {mask})[0];
INDArray alone = bi.outputSingle(x.get(NDArrayIndex.interval(1, 2), NDArrayIndex.all(), NDArrayIndex.interval(0, 4)).dup());
double padDiff = batch.get(NDArrayIndex.interval(1, 2), NDArrayIndex.all(), NDArrayIndex.interval(0, 4)).sub(alone).amaxNumber().doubleValue();
System.out.printf("check padded batch vs the sequence alone: max difference %.1e: %s%n", padDiff, padDiff < 1e-10 ? "ok" : "FAILED");

// ## 3. Vanishing gradients: ‖∂L_T/∂s_{T−k}‖ relative to k = 0, at initialisation, for a loss at the last step.
int steps = smoke ? 20 : 50;
System.out.println("lag k:    1        5        10       " + (smoke ? "19" : "40"));
double srnFar = 0, scrnFar = 0;
for (String cell : new String[] {"srn", "lstm", "gru", "scrn"}) {
    double[] r = GradientLag.of(RecurrentSpec.of(cell, 32), 8, steps, 16, 1).relative();
    int far = smoke ? 19 : 40;
    System.out.printf("%-6s %.2e %.2e %.2e %.2e%n", cell, r[1], r[5], r[10], r[far]);
    if (cell.equals("srn")) srnFar = r[far];
    if (cell.equals("scrn")) scrnFar = r[far];
}
System.out.printf("check SCRN's slow context keeps more gradient than the SRN: %s%n", scrnFar > 10 * srnFar ? "ok" : "FAILED");

// ## 4. Beam search needs state it can reorder: step a batch, keep rows 2, 0, 0 (a beam that spawns two), continue.
var gru = encoder("gru", null);
INDArray seqs = Nd4j.rand(DataType.DOUBLE, 3, 3, 6);
INDArray reordered = Nd4j.pullRows(seqs.reshape(3, 18), 1, new int[] {2, 0, 0}).reshape(3, 3, 6);
INDArray expected = gru.outputSingle(reordered);
gru.rnnClearPreviousState();
gru.rnnTimeStep(seqs.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 3)));
var states = CellState.capture(gru);
System.out.println("state after 3 steps: " + states);
CellState.restore(gru, CellState.reorder(states, new int[] {2, 0, 0}));
INDArray rest = gru.rnnTimeStep(reordered.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(3, 6)).dup())[0];
double beamDiff = rest.sub(expected.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(3, 6))).amaxNumber().doubleValue();
System.out.printf("check reordered state continues like the reordered batch: max difference %.1e: %s%n", beamDiff, beamDiff < 1e-12 ? "ok" : "FAILED");
System.out.println("DEMO OK");
/exit
