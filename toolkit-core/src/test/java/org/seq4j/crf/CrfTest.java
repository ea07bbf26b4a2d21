package org.seq4j.crf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seq4j.testkit.RestoresDataType;
import org.seq4j.layers.Gru;
import org.seq4j.testkit.Arrays3;
import org.seq4j.testkit.GradientChecks;
import org.seq4j.testkit.TestGraphs;

@ExtendWith(RestoresDataType.class)
class CrfTest {

    private static final int K = 3;

    @BeforeAll
    static void doublePrecision() {
        GradientChecks.useDoublePrecision();
    }

    private static double[][] rand(Random r, int a, int b) {
        double[][] m = new double[a][b];
        for (double[] row : m) {
            for (int j = 0; j < b; j++) {
                row[j] = 2 * r.nextDouble() - 1;
            }
        }
        return m;
    }

    /** Every tag path of length n over K tags. */
    private static List<int[]> paths(int n) {
        List<int[]> out = new ArrayList<>();
        int total = (int) Math.pow(K, n);
        for (int code = 0; code < total; code++) {
            int[] p = new int[n];
            int c = code;
            for (int t = 0; t < n; t++) {
                p[t] = c % K;
                c /= K;
            }
            out.add(p);
        }
        return out;
    }

    @Test
    void forwardViterbiAndMarginalsEqualBruteForce() {
        Random r = new Random(1);
        for (int n = 1; n <= 4; n++) {
            double[][] e = rand(r, n, K);
            double[][] a = rand(r, K, K);
            double[] s = rand(r, 1, K)[0];
            double[] f = rand(r, 1, K)[0];
            double z = 0;
            double best = Double.NEGATIVE_INFINITY;
            int[] bestPath = null;
            double[][] marg = new double[n][K];
            for (int[] p : paths(n)) {
                double sc = CrfMath.score(e, a, s, f, p);
                z += Math.exp(sc);
                if (sc > best) {
                    best = sc;
                    bestPath = p;
                }
                for (int t = 0; t < n; t++) {
                    marg[t][p[t]] += Math.exp(sc);
                }
            }
            assertThat(CrfMath.logPartition(CrfMath.forward(e, a, s), f)).isCloseTo(Math.log(z), within(1e-12));
            assertThat(CrfMath.logPartition(e, a, s, f)).isCloseTo(Math.log(z), within(1e-12));
            assertThat(CrfMath.viterbi(e, a, s, f)).containsExactly(bestPath);
            double[][] p = CrfMath.marginals(e, a, s, f);
            for (int t = 0; t < n; t++) {
                for (int k = 0; k < K; k++) {
                    assertThat(p[t][k]).isCloseTo(marg[t][k] / z, within(1e-12));
                }
            }
        }
    }

    /**
     * The scaled forward-backward (probability space, K exponentials per step) equals the log-space form on many tags,
     * long sequences and widely spread scores; where scaling underflows (transitions of −1000 forcing a step's sum to
     * 0), the log-space form takes over and the result is still right.
     */
    @Test
    void scaledForwardBackwardEqualsTheLogSpaceForm() {
        Random r = new Random(4);
        for (double spread : new double[] {1, 20, 60}) {
            int k = 45;
            int n = 40;
            double[][] e = rand(r, n, k);
            double[][] a = rand(r, k, k);
            for (double[] row : e) {
                java.util.Arrays.setAll(row, j -> row[j] * spread);
            }
            for (double[] row : a) {
                java.util.Arrays.setAll(row, j -> row[j] * spread / 2);
            }
            double[] s = rand(r, 1, k)[0];
            double[] f = rand(r, 1, k)[0];
            int[] gold = r.ints(n, 0, k).toArray();
            assertLogSpaceAgrees(e, a, s, f, gold, "spread " + spread);
        }
        // a path that the scaled sums cannot follow: tag 0, then tag 1, with transitions between tags of −1000
        int k = 3;
        double[][] a = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                a[i][j] = i == j ? 0 : -1000;
            }
        }
        double[][] e = {{0, -1000, -1000}, {-1000, 0, -1000}, {-1000, 0, -1000}};
        double lz = CrfMath.logPartition(e, a, new double[k], new double[k]);
        assertThat(lz).isFinite().isCloseTo(CrfMath.logPartition(CrfMath.forward(e, a, new double[k]), new double[k]),
                within(1e-9));
        assertLogSpaceAgrees(e, a, new double[k], new double[k], new int[] {0, 1, 1}, "underflow");
    }

    private static void assertLogSpaceAgrees(double[][] e, double[][] a, double[] s, double[] f, int[] gold,
                                             String what) {
        int n = e.length;
        int k = s.length;
        double[][] dE = new double[n][k];
        double[][] dA = new double[k][k];
        double[] dS = new double[k];
        double[] dF = new double[k];
        double[][] rE = new double[n][k];
        double[][] rA = new double[k][k];
        double[] rS = new double[k];
        double[] rF = new double[k];
        double nll = CrfMath.nllAndGradient(e, a, s, f, gold, dE, dA, dS, dF);
        double ref = CrfMath.nllAndGradientInLogSpace(e, a, s, f, gold, rE, rA, rS, rF);
        assertThat(nll).as(what).isCloseTo(ref, within(1e-9 * Math.max(1, Math.abs(ref))));
        assertThat(CrfMath.logPartition(e, a, s, f)).as(what)
                .isCloseTo(CrfMath.logPartition(CrfMath.forward(e, a, s), f), within(1e-9 * Math.max(1, Math.abs(ref))));
        double[][] p = CrfMath.marginals(e, a, s, f);
        double[][] q = CrfMath.marginalsInLogSpace(e, a, s, f);
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < k; j++) {
                assertThat(dE[t][j]).as(what).isCloseTo(rE[t][j], within(1e-10));
                assertThat(p[t][j]).as(what).isCloseTo(q[t][j], within(1e-10));
            }
        }
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                assertThat(dA[i][j]).as(what).isCloseTo(rA[i][j], within(1e-9));
            }
            assertThat(dS[i]).as(what).isCloseTo(rS[i], within(1e-10));
            assertThat(dF[i]).as(what).isCloseTo(rF[i], within(1e-10));
        }
    }

    @Test
    void nllGradientEqualsFiniteDifferences() {
        Random r = new Random(2);
        double[][] e = rand(r, 4, K);
        double[][] a = rand(r, K, K);
        double[] s = rand(r, 1, K)[0];
        double[] f = rand(r, 1, K)[0];
        int[] gold = {2, 0, 0, 1};
        double[][] dE = new double[4][K];
        double[][] dA = new double[K][K];
        double[] dS = new double[K];
        double[] dF = new double[K];
        CrfMath.nllAndGradient(e, a, s, f, gold, dE, dA, dS, dF);
        double h = 1e-6;
        for (double[][] arr : new double[][][] {e, a, {s}, {f}}) {
            double[][] grad = arr == e ? dE : arr == a ? dA : arr[0] == s ? new double[][] {dS} : new double[][] {dF};
            for (int i = 0; i < arr.length; i++) {
                for (int j = 0; j < arr[i].length; j++) {
                    double orig = arr[i][j];
                    arr[i][j] = orig + h;
                    double plus = nll(e, a, s, f, gold);
                    arr[i][j] = orig - h;
                    double minus = nll(e, a, s, f, gold);
                    arr[i][j] = orig;
                    assertThat(grad[i][j]).isCloseTo((plus - minus) / (2 * h), within(1e-8));
                }
            }
        }
    }

    private static double nll(double[][] e, double[][] a, double[] s, double[] f, int[] gold) {
        return CrfMath.logPartition(CrfMath.forward(e, a, s), f) - CrfMath.score(e, a, s, f, gold);
    }

    private static ComputationGraph graph() {
        ComputationGraph g = new ComputationGraph(TestGraphs.doubleGraph()
                .addInputs("in")
                .addLayer("below", new Gru.Builder().nOut(4).build(), "in")
                .addLayer("crf", new Crf.Builder().nOut(K).build(), "below")
                .setOutputs("crf")
                .setInputTypes(InputType.recurrent(3))
                .build());
        g.init();
        TestGraphs.randomizeParams(g, 3, 0.8);
        return g;
    }

    private static INDArray oneHot(long seed, int mb, int steps) {
        Random r = new Random(seed);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, mb, K, steps);
        for (int i = 0; i < mb; i++) {
            for (int t = 0; t < steps; t++) {
                y.putScalar(new long[] {i, r.nextInt(K), t}, 1.0);
            }
        }
        return y;
    }

    @Test
    void gradientCheckInAGraphWithAndWithoutMask() {
        ComputationGraph g = graph();
        INDArray x = TestGraphs.uniform(4, 3, 3, 5);
        INDArray y = oneHot(5, 3, 5);
        GradientChecks.assertCorrect(g, new INDArray[] {x}, new INDArray[] {y}, null, null);
        INDArray mask = Arrays3.prefixMask(5, 5, 3, 1);
        GradientChecks.assertCorrect(g, new INDArray[] {x}, new INDArray[] {y}, new INDArray[] {mask},
                new INDArray[] {mask});
    }

    @Test
    void paddedBatchEqualsEachSequenceAlone() {
        ComputationGraph g = graph();
        int[] lengths = {5, 3, 1};
        INDArray x = TestGraphs.uniform(6, 3, 3, 5);
        INDArray mask = Arrays3.prefixMask(5, lengths);
        INDArray batch = g.output(false, new INDArray[] {x}, new INDArray[] {mask})[0];
        CrfLayer crf = (CrfLayer) g.getLayer("crf");
        g.setLayerMaskArrays(new INDArray[] {mask}, null);
        INDArray below = g.feedForward(new INDArray[] {x}, false, false).get("below");
        g.clearLayerMaskArrays();
        List<int[]> paths = crf.viterbi(below, mask);
        for (int i = 0; i < 3; i++) {
            INDArray xi = x.get(interval(i, i + 1), all(), interval(0, lengths[i])).dup();
            INDArray alone = g.outputSingle(xi);
            assertThat(batch.get(interval(i, i + 1), all(), interval(0, lengths[i])).sub(alone).amaxNumber()
                    .doubleValue()).as("example %d", i).isLessThan(1e-12);
            INDArray belowAlone = g.feedForward(xi, false).get("below");
            assertThat(paths.get(i)).containsExactly(crf.viterbi(belowAlone, null).get(0));
            assertThat(paths.get(i)).hasSize(lengths[i]);
        }
        // marginals sum to 1 on valid steps, 0 on padding
        assertThat(batch.sum(1).getDouble(1, 2)).isCloseTo(1.0, within(1e-12));
        assertThat(batch.sum(1).getDouble(1, 3)).isZero();
    }

    /**
     * Dropout on the CRF's input (Crf.Builder.dropOut, the tagger's dropout on the encoder output): the loss and
     * gradients in training are those of the same CRF without dropout on the dropped, rescaled input, the gradient sent
     * down is zero where a unit was dropped, and prediction sees the input unchanged.
     */
    @Test
    void dropoutOnTheInputIsTheCrfOfTheDroppedInput() {
        org.deeplearning4j.nn.workspace.LayerWorkspaceMgr ws = org.deeplearning4j.nn.workspace.LayerWorkspaceMgr
                .noWorkspaces();
        ComputationGraph dropped = TestGraphs.layerAlone(new Crf.Builder().nOut(K)
                .dropOut(new org.deeplearning4j.nn.conf.dropout.Dropout(0.5)).build(), 6);
        ComputationGraph plain = TestGraphs.layerAlone(new Crf.Builder().nOut(K).build(), 6);
        TestGraphs.randomizeParams(dropped, 3, 0.8);
        plain.params().assign(dropped.params());
        dropped.initGradientsView();
        plain.initGradientsView();
        INDArray x = TestGraphs.uniform(8, 4, 6, 7);
        INDArray y = oneHot(9, 4, 7);
        INDArray mask = Arrays3.prefixMask(7, 7, 5, 2, 4);
        CrfLayer d = (CrfLayer) dropped.getLayer("layer");
        CrfLayer p = (CrfLayer) plain.getLayer("layer");
        Nd4j.getRandom().setSeed(11);
        d.setInput(x.dup(), ws);
        d.setLabels(y);
        d.setMaskArray(mask);
        double score = d.computeScore(0, true, ws);
        org.nd4j.common.primitives.Pair<org.deeplearning4j.nn.gradient.Gradient, INDArray> gd = d.backpropGradient(null, ws);
        // the kept units: where the gradient sent down is not zero on a valid step
        INDArray kept = gd.getSecond().neq(0).castTo(DataType.DOUBLE);
        double keptValid = kept.mul(mask.reshape(4, 1, 7)).sumNumber().doubleValue();
        assertThat(keptValid / (mask.sumNumber().doubleValue() * 6)).isBetween(0.3, 0.7);
        INDArray droppedInput = x.mul(kept).muli(2.0);   // inverted dropout: kept units scaled by 1/0.5
        p.setInput(droppedInput, ws);
        p.setLabels(y);
        p.setMaskArray(mask);
        assertThat(p.computeScore(0, true, ws)).isCloseTo(score, within(1e-12));
        org.nd4j.common.primitives.Pair<org.deeplearning4j.nn.gradient.Gradient, INDArray> gp = p.backpropGradient(null, ws);
        for (String key : List.of(CrfParams.W, CrfParams.B, CrfParams.TRANSITIONS)) {
            assertThat(gd.getFirst().getGradientFor(key).sub(gp.getFirst().getGradientFor(key)).amaxNumber()
                    .doubleValue()).as(key).isLessThan(1e-12);
        }
        // on valid steps: dropped units get no gradient, kept ones the plain CRF's times 1/0.5
        INDArray valid = Nd4j.ones(DataType.DOUBLE, 4, 6, 7).muli(mask.reshape(4, 1, 7));
        assertThat(gd.getSecond().mul(valid).sub(gp.getSecond().mul(kept).muli(2.0).muli(valid)).amaxNumber()
                .doubleValue()).isLessThan(1e-12);
        // prediction: no dropout
        INDArray[] masks = {mask};
        assertThat(dropped.output(false, new INDArray[] {x}, masks)[0]
                .equalsWithEps(plain.output(false, new INDArray[] {x}, masks)[0], 1e-12)).isTrue();
    }

    @Test
    void rejectsBadLabelsAndConfiguration() {
        ComputationGraph g = graph();
        INDArray x = TestGraphs.uniform(7, 2, 3, 4);
        assertThatThrownBy(() -> g.fit(new INDArray[] {x}, new INDArray[] {Nd4j.zeros(DataType.DOUBLE, 2, K + 1, 4)}))
                .hasMessageContaining("Crf layer 'crf': expected one-hot labels [minibatch, 3, 4], got [2, 4, 4]");
        assertThatThrownBy(() -> new Crf.Builder().name("tags").nOut(1).build())
                .hasMessageContaining("Crf layer 'tags': nOut (the number of tags) must be > 1, got 1");
    }
}
