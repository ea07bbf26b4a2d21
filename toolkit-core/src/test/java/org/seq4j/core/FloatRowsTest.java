package org.seq4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The single-precision row loops (softmax, the cells' activations and state updates): the Vector API form equals the
 * plain loops bit for bit, and both are exact enough.
 */
class FloatRowsTest {

    private static float[] logits(Random r, int n, double spread) {
        float[] z = new float[n];
        for (int k = 0; k < n; k++) {
            z[k] = (float) (r.nextGaussian() * spread);
        }
        return z;
    }

    @Test
    void theTestsRunTheVectorForm() {
        // surefire starts the JVM with --add-modules jdk.incubator.vector (root pom); without it the comparisons
        // below would compare the plain loops with themselves
        assertThat(FloatRows.VECTOR).isTrue();
    }

    @Test
    void vectorAndPlainLoopsGiveBitIdenticalRows() {
        Random r = new Random(3);
        int[] lengths = {0, 1, 7, 8, 9, 15, 16, 17, 31, 100, 1001, 10002};
        for (int n : lengths) {
            for (double spread : new double[] {0.1, 3, 40}) {
                float[] z = logits(r, n, spread);
                float[] b = logits(r, n, spread / 10);
                float[] zv = z.clone();
                float[] zp = z.clone();
                float maxV = VectorRows.addAndMax(zv, b);
                float maxP = FloatRows.addAndMaxPlain(zp, b);
                assertThat(Float.floatToRawIntBits(maxV)).as("max, n=%d", n).isEqualTo(Float.floatToRawIntBits(maxP));
                assertThat(zv).as("z + b, n=%d", n).containsExactly(zp);
                double sumV = VectorRows.expAndSum(zv, maxV);
                double sumP = FloatRows.expAndSumPlain(zp, maxP);
                assertThat(Double.doubleToRawLongBits(sumV)).as("sum, n=%d spread=%s", n, spread)
                        .isEqualTo(Double.doubleToRawLongBits(sumP));
                for (int k = 0; k < n; k++) {
                    assertThat(Float.floatToRawIntBits(zv[k])).as("exp, n=%d k=%d", n, k)
                            .isEqualTo(Float.floatToRawIntBits(zp[k]));
                }
            }
        }
    }

    private static void assertSameBits(float[] got, float[] want, String what) {
        for (int k = 0; k < want.length; k++) {
            assertThat(Float.floatToRawIntBits(got[k])).as("%s [%d]", what, k)
                    .isEqualTo(Float.floatToRawIntBits(want[k]));
        }
    }

    @Test
    void theCellsRowLoopsGiveTheSameBitsInVectorAndPlainForm() {
        Random r = new Random(11);
        // unit counts below, at and between vector widths (8 and 16 lanes), so tails of every length run
        for (int h : new int[] {1, 5, 8, 13, 16, 17, 40, 128}) {
            int g = 4 * h;
            float[] x = logits(r, 3 + g, 4);   // three elements before the row: offsets are not vector-aligned
            float[] rec = logits(r, 3 + g, 2);
            float[] b = logits(r, g, 1);
            float[] hp = logits(r, 2 + h, 1);
            float[] cp = logits(r, 2 + h, 3);
            float[] v;
            float[] p;
            for (boolean sigmoid : new boolean[] {false, true}) {
                v = x.clone();
                p = x.clone();
                VectorRows.gate(v, rec, 3 + h, b, h, 2 * h, sigmoid);
                FloatRows.gatePlain(p, rec, 3 + h, b, h, 2 * h, sigmoid);
                assertSameBits(v, p, "gate h=" + h);
                for (int k = 0; k < 2 * h; k++) {   // and the plain form is the gate's equation
                    float pre = x[3 + h + k] + rec[3 + h + k] + b[h + k];
                    float want = sigmoid ? FloatRows.sigmoid(pre) : FloatRows.tanh(pre);
                    assertThat(p[3 + h + k]).isEqualTo(want);
                }
            }
            // GRU: gates at [0, 2h) activated, the candidate and the new state from them
            float[] gv = x.clone();
            FloatRows.sigmoid(gv, 3, 2 * h);
            float[] gp = gv.clone();
            float[] hnV = new float[2 + h];
            float[] hnP = new float[2 + h];
            VectorRows.gruCandidate(gv, rec, 3, h, b, b, hp, hnV, 2);
            FloatRows.gruCandidatePlain(gp, rec, 3, h, b, b, hp, hnP, 2, 0);
            assertSameBits(gv, gp, "GRU candidate h=" + h);
            assertSameBits(hnV, hnP, "GRU state h=" + h);
            for (int j = 0; j < h; j++) {
                float n = (float) Math.tanh(x[3 + 2 * h + j] + b[2 * h + j]
                        + (double) gp[3 + j] * (rec[3 + 2 * h + j] + b[2 * h + j]));
                assertThat(gp[3 + 2 * h + j]).as("n").isCloseTo(n, within(1e-5f));
                assertThat(hnP[2 + j]).as("h'").isCloseTo(n + gp[3 + h + j] * (hp[2 + j] - n), within(1e-5f));
            }
            // LSTM: [g | f | o | i] activated, the new cell and hidden state
            float[] a = x.clone();
            FloatRows.tanh(a, 3, h);
            FloatRows.sigmoid(a, 3 + h, 3 * h);
            float[][] outV = {new float[2 + h], new float[2 + h], new float[2 + h]};
            float[][] outP = {new float[2 + h], new float[2 + h], new float[2 + h]};
            VectorRows.lstmState(a, 3, h, cp, outV[0], outV[1], outV[2], 2);
            FloatRows.lstmStatePlain(a, 3, h, cp, outP[0], outP[1], outP[2], 2, 0);
            for (int k = 0; k < 3; k++) {
                assertSameBits(outV[k], outP[k], "LSTM state " + k + " h=" + h);
            }
            for (int j = 0; j < h; j++) {
                double c = (double) a[3 + h + j] * cp[2 + j] + (double) a[3 + 3 * h + j] * a[3 + j];
                assertThat((double) outP[0][2 + j]).as("c'").isCloseTo(c, within(1e-5));
                assertThat((double) outP[2][2 + j]).as("h'").isCloseTo(a[3 + 2 * h + j] * Math.tanh(c), within(1e-5));
            }
        }
    }

    @Test
    void floatTanhAndSigmoidAreAccurateOnTheirRange() {
        int n = 40_003;
        float[] x = new float[n];
        for (int k = 0; k < n; k++) {
            x[k] = -20f + 40f * k / (n - 1);
        }
        for (boolean sigmoid : new boolean[] {false, true}) {
            float[] v = x.clone();
            if (sigmoid) {
                FloatRows.sigmoid(v, 1, n - 2);
            } else {
                FloatRows.tanh(v, 1, n - 2);
            }
            assertThat(v[0]).as("outside the range: untouched").isEqualTo(x[0]);
            double worst = 0;
            for (int k = 1; k < n - 1; k++) {
                double exact = sigmoid ? 1 / (1 + Math.exp(-x[k])) : Math.tanh(x[k]);
                worst = Math.max(worst, Math.abs(v[k] - exact));
            }
            // a float holds 2^-24 ≈ 6e-8 relative: a few ulps of the value
            assertThat(worst).as(sigmoid ? "sigmoid" : "tanh").isLessThan(4e-7);
        }
        float[] nan = {Float.NaN};
        FloatRows.tanh(nan, 0, 1);
        assertThat(nan[0]).isNaN();
    }

    @Test
    void theExponentialIsAccurateFlushesBelowItsRangeAndKeepsNaN() {
        for (float v = -87f; v <= 10f; v += 0.0137f) {
            // the polynomial's own error plus the rounding of x·log2(e), which grows with |x|
            double tol = 3e-7 + 1.3e-7 * Math.abs(v);
            assertThat((double) FloatRows.exp(v)).as("exp(%s)", v).isCloseTo(Math.exp(v), within(Math.exp(v) * tol));
        }
        assertThat(FloatRows.exp(0f)).isEqualTo(1f);
        assertThat(FloatRows.exp(-87.5f)).isZero();
        assertThat(FloatRows.exp(Float.NEGATIVE_INFINITY)).isZero();
        assertThat(FloatRows.exp(Float.NaN)).isNaN();
        float[] z = {0f, Float.NaN, -1f, 2f, 0f, 0f, 0f, 0f, 5f};
        float[] zv = z.clone();
        assertThat(VectorRows.expAndSum(zv, 0f)).isNaN();
        assertThat(zv[1]).isNaN();
    }

    @Test
    void aRowsSoftmaxSumsToItsMaskAndItsLossMatchesDoublePrecision() {
        Random r = new Random(5);
        int n = 1003;
        float[] z = logits(r, n, 4);
        float[] b = logits(r, n, 1);
        double[] zd = new double[n];
        double[] bd = new double[n];
        for (int k = 0; k < n; k++) {
            zd[k] = z[k];
            bd[k] = b[k];
        }
        float loss = SoftmaxOutputRuntime.softmaxRow(z, b, 17, 0.5f);
        double lossD = SoftmaxOutputRuntime.softmaxRow(zd, bd, 17, 0.5);
        assertThat((double) loss).isCloseTo(lossD, within(1e-5 * Math.abs(lossD)));
        double sum = 0;
        for (int k = 0; k < n; k++) {
            assertThat((double) z[k]).as("gradient %d", k).isCloseTo(zd[k], within(1e-6));
            sum += z[k];
        }
        // the row is 0.5·(p − onehot): its entries sum to 0
        assertThat(sum).isCloseTo(0.0, within(1e-6));
    }

    @Test
    void shortRowsInBlocksEqualTheRowByRowSoftmaxBitForBit() {
        Random r = new Random(7);
        for (int n : new int[] {1, 7, 8, 10, 17, SoftmaxOutputRuntime.SHORT_ROW}) {
            for (boolean withTargets : new boolean[] {false, true}) {
                int rows = 300;   // more than one block of 256
                int off = 5;
                float[] all = logits(r, off + rows * n, 6);
                float[] b = logits(r, n, 1);
                int[] targets = withTargets ? new int[rows] : null;
                double[] mask = new double[rows];
                for (int i = 0; i < rows; i++) {
                    mask[i] = i % 7 == 0 ? 0.0 : i % 5 == 0 ? 0.3 : 1.0;
                    if (targets != null) {
                        targets[i] = r.nextInt(n);
                    }
                }
                float[] blocked = all.clone();
                float[] columns = new float[n];
                double loss = SoftmaxOutputRuntime.shortRows(java.nio.FloatBuffer.wrap(blocked), off, rows, n, b,
                        targets, mask, columns);
                double lossByRow = 0;
                float[] columnsByRow = new float[n];
                for (int i = 0; i < rows; i++) {
                    float[] row = java.util.Arrays.copyOfRange(all, off + i * n, off + (i + 1) * n);
                    lossByRow += mask[i] * SoftmaxOutputRuntime.softmaxRow(row, b, targets == null ? -1 : targets[i],
                            (float) mask[i]);
                    for (int k = 0; k < n; k++) {
                        assertThat(Float.floatToRawIntBits(blocked[off + i * n + k]))
                                .as("n=%d row %d class %d", n, i, k).isEqualTo(Float.floatToRawIntBits(row[k]));
                        columnsByRow[k] += row[k];
                    }
                }
                assertThat(Double.doubleToRawLongBits(loss)).as("loss, n=%d", n)
                        .isEqualTo(Double.doubleToRawLongBits(lossByRow));
                assertThat(columns).containsExactly(columnsByRow);
                assertThat(blocked[off - 1]).as("before the offset: untouched").isEqualTo(all[off - 1]);
            }
        }
        // the element-wise exponential: the vector form equals the scalar one on every element, tail included
        float[] x = logits(r, 1003, 30);
        float[] v = x.clone();
        VectorRows.exp(v, 2, 1000);
        for (int k = 0; k < x.length; k++) {
            float want = k < 2 || k >= 1002 ? x[k] : FloatRows.exp(x[k]);
            assertThat(Float.floatToRawIntBits(v[k])).as("exp %d", k).isEqualTo(Float.floatToRawIntBits(want));
        }
    }
}
