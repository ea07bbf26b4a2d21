package org.seq4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seq4j.testkit.RestoresDataType;
import org.seq4j.cells.CellType;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.cells.RecurrentStack;
import org.seq4j.data.DataFormatException;
import org.seq4j.layers.GruVariant;

/**
 * PyTorch weights and outputs (fixtures made by {@code src/test/resources/torch/make_fixtures.py} with PyTorch 1.13,
 * float64) reproduced by seq4j stacks after {@link WeightImport#pyTorch}: to 1e-12 in double and 1e-6 in float, uni-
 * and bidirectional, 2 layers; export round trips; Keras layouts against plain-Java loops of Keras's own equations.
 */
@ExtendWith(RestoresDataType.class)
class WeightImportTest {


    private static Map<String, INDArray> fixture(String name) throws URISyntaxException {
        return Npz.read(Path.of(WeightImportTest.class.getResource("/torch/" + name + ".npz").toURI()));
    }

    private static ComputationGraph stack(RecurrentSpec spec, DataType type, int nIn) {
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder().seed(1).dataType(type)
                .graphBuilder().addInputs("in");
        String top = RecurrentStack.add(b, "enc", "in", spec);
        ComputationGraph g = new ComputationGraph(b.setOutputs(top).setInputTypes(InputType.recurrent(nIn)).build());
        g.init();
        return g;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"lstm_uni2, lstm, 2, false", "lstm_bi2, lstm, 2, true", "gru_uni2, gru, 2, false",
            "gru_bi2, gru, 2, true", "rnn_bi1, srn, 1, true"})
    void reproducesPyTorchOutputs(String file, String cell, int layers, boolean bi) throws Exception {
        Map<String, INDArray> f = fixture(file);
        RecurrentSpec spec = RecurrentSpec.of(cell, 4).withLayers(layers)
                .withBidirectional(bi ? Bidirectional.Mode.CONCAT : null);
        INDArray x = f.get("x").permute(0, 2, 1);     // [B, T, nIn] -> [B, nIn, T]
        INDArray y = f.get("y").permute(0, 2, 1);
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            ComputationGraph g = stack(spec, type, 3);
            WeightImport.pyTorch(g, "enc", layers, f);
            INDArray out = g.outputSingle(x.castTo(type)).castTo(DataType.DOUBLE);
            double tol = type == DataType.DOUBLE ? 1e-12 : 1e-6;
            assertThat(out.sub(y).amaxNumber().doubleValue()).as("%s %s", file, type).isLessThan(tol);

            // export -> import into a fresh stack gives the same outputs; GRU weights come back exactly
            Map<String, INDArray> exported = WeightExport.pyTorch(g, "enc", layers);
            ComputationGraph again = stack(spec, type, 3);
            WeightImport.pyTorch(again, "enc", layers, exported);
            assertThat(again.outputSingle(x.castTo(type)).castTo(DataType.DOUBLE).sub(out).amaxNumber()
                    .doubleValue()).isEqualTo(0.0);
            if (type == DataType.DOUBLE) {
                for (Map.Entry<String, INDArray> e : exported.entrySet()) {
                    INDArray orig = f.get(e.getKey());
                    if (cell.equals("gru") || e.getKey().startsWith("weight")) {
                        assertThat(e.getValue().sub(orig).amaxNumber().doubleValue()).as(e.getKey()).isEqualTo(0.0);
                    }
                }
            }
        }
    }

    @Test
    void rejectsMismatchedStateDictsWithTheKeyAndShape() throws Exception {
        Map<String, INDArray> f = fixture("gru_uni2");
        ComputationGraph wide = stack(RecurrentSpec.of("gru", 5).withLayers(2), DataType.DOUBLE, 3);
        assertThatThrownBy(() -> WeightImport.pyTorch(wide, "enc", 2, f))
                .hasMessageContaining("layer 'enc_1'").hasMessageContaining("'weight_ih_l0' has shape [12, 3], "
                        + "expected [15, 3]");
        ComputationGraph before = stack(RecurrentSpec.of("gru", 4).withLayers(2).withGruVariant(
                GruVariant.RESET_BEFORE), DataType.DOUBLE, 3);
        assertThatThrownBy(() -> WeightImport.pyTorch(before, "enc", 2, f)).hasMessageContaining("RESET_AFTER");
        ComputationGraph lstm = stack(RecurrentSpec.of("lstm", 4), DataType.DOUBLE, 3);
        assertThatThrownBy(() -> WeightImport.pyTorch(lstm, "enc", 1, Map.of()))
                .hasMessageContaining("no array 'weight_ih_l0'");
        assertThatThrownBy(() -> WeightImport.pyTorch(lstm, "nope", 1, f)).hasMessageContaining("no layer 'nope'");
    }

    @Test
    void npzErrorsNameTheFileAndEntry(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.npz");
        Files.write(bad, new byte[] {1, 2, 3, 4});
        assertThatThrownBy(() -> Npz.read(bad)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining(bad.toString());
        Path notNpy = dir.resolve("other.npz");
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(notNpy))) {
            z.putNextEntry(new java.util.zip.ZipEntry("../evil.npy"));
            z.write(new byte[] {0});
            z.closeEntry();
        }
        assertThatThrownBy(() -> Npz.read(notNpy)).hasMessageContaining("entry '../evil.npy' is not a top-level");
        assertThatThrownBy(() -> Npz.read(dir)).hasMessageContaining("is a directory");
        Path ok = dir.resolve("w.npz");
        Npz.write(ok, Map.of("a", Nd4j.arange(6).reshape(2, 3).castTo(DataType.DOUBLE)));
        assertThat(Npz.read(ok).get("a").getDouble(1, 2)).isEqualTo(5.0);
    }

    // ---- Keras: the layouts against plain loops of Keras's documented equations ------------------------------

    private static double[][] rand(Random r, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = 1.6 * r.nextDouble() - 0.8;
            }
        }
        return m;
    }

    private static double sig(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    /** {@code sum_k v[k]·m[k][col]} */
    private static double dot(double[] v, double[][] m, int col) {
        double s = 0;
        for (int k = 0; k < v.length; k++) {
            s += v[k] * m[k][col];
        }
        return s;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"lstm", "gru_reset_after", "gru_reset_before"})
    void kerasLayoutsMatchKerasEquations(String kind) {
        int nIn = 3;
        int h = 4;
        int steps = 5;
        Random r = new Random(kind.hashCode());
        boolean lstm = kind.equals("lstm");
        boolean after = kind.equals("gru_reset_after");
        int g = lstm ? 4 : 3;
        double[][] kernel = rand(r, nIn, g * h);
        double[][] rec = rand(r, h, g * h);
        double[][] bias = rand(r, after ? 2 : 1, g * h);
        double[][] x = rand(r, steps, nIn);
        // Keras: LSTM gates [i f c o]; GRU gates [z r h]
        double[] hp = new double[h];
        double[] cp = new double[h];
        double[][] expected = new double[steps][h];
        for (int t = 0; t < steps; t++) {
            double[] hn = new double[h];
            for (int j = 0; j < h; j++) {
                if (lstm) {
                    double i = sig(dot(x[t], kernel, j) + dot(hp, rec, j) + bias[0][j]);
                    double f = sig(dot(x[t], kernel, h + j) + dot(hp, rec, h + j) + bias[0][h + j]);
                    double c = Math.tanh(dot(x[t], kernel, 2 * h + j) + dot(hp, rec, 2 * h + j) + bias[0][2 * h + j]);
                    double o = sig(dot(x[t], kernel, 3 * h + j) + dot(hp, rec, 3 * h + j) + bias[0][3 * h + j]);
                    cp[j] = f * cp[j] + i * c;
                    hn[j] = o * Math.tanh(cp[j]);
                } else {
                    double z = sig(dot(x[t], kernel, j) + bias[0][j] + dot(hp, rec, j) + (after ? bias[1][j] : 0));
                    double rr = sig(dot(x[t], kernel, h + j) + bias[0][h + j] + dot(hp, rec, h + j)
                            + (after ? bias[1][h + j] : 0));
                    double cand;
                    if (after) {
                        cand = Math.tanh(dot(x[t], kernel, 2 * h + j) + bias[0][2 * h + j]
                                + rr * (dot(hp, rec, 2 * h + j) + bias[1][2 * h + j]));
                    } else {
                        // (r ⊙ h)·U_h needs every r: computed below
                        cand = Double.NaN;
                    }
                    hn[j] = after ? z * hp[j] + (1 - z) * cand : z;   // reset-before finished below
                }
            }
            if (!lstm && !after) {
                double[] rh = new double[h];
                double[] z = new double[h];
                for (int k = 0; k < h; k++) {
                    z[k] = hn[k];
                    rh[k] = sig(dot(x[t], kernel, h + k) + bias[0][h + k] + dot(hp, rec, h + k)) * hp[k];
                }
                for (int j = 0; j < h; j++) {
                    double cand = Math.tanh(dot(x[t], kernel, 2 * h + j) + bias[0][2 * h + j] + dot(rh, rec, 2 * h + j));
                    hn[j] = z[j] * hp[j] + (1 - z[j]) * cand;
                }
            }
            hp = hn;
            expected[t] = hn.clone();
        }
        RecurrentSpec spec = lstm ? RecurrentSpec.of(CellType.LSTM, h)
                : RecurrentSpec.of(CellType.GRU, h).withGruVariant(after ? GruVariant.RESET_AFTER
                : GruVariant.RESET_BEFORE);
        ComputationGraph net = stack(spec, DataType.DOUBLE, nIn);
        INDArray b = after ? Nd4j.createFromArray(bias) : Nd4j.createFromArray(bias[0]);
        Map<String, INDArray> keras = Map.of("kernel", Nd4j.createFromArray(kernel),
                "recurrent_kernel", Nd4j.createFromArray(rec), "bias", b);
        WeightImport.keras(net, "enc", keras);
        INDArray in = Nd4j.create(DataType.DOUBLE, 1, nIn, steps);
        for (int t = 0; t < steps; t++) {
            for (int k = 0; k < nIn; k++) {
                in.putScalar(new long[] {0, k, t}, x[t][k]);
            }
        }
        INDArray out = net.outputSingle(in);
        for (int t = 0; t < steps; t++) {
            for (int j = 0; j < h; j++) {
                assertThat(out.getDouble(0, j, t)).as("%s t=%d j=%d", kind, t, j)
                        .isCloseTo(expected[t][j], org.assertj.core.data.Offset.offset(1e-12));
            }
        }
        Map<String, INDArray> back = WeightExport.keras(net, "enc");
        keras.forEach((k, v) -> assertThat(back.get(k).reshape(v.shape()).sub(v).amaxNumber().doubleValue())
                .as(k).isEqualTo(0.0));
    }
}
