package org.seq4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.cells.RecurrentStack;

/**
 * Model files are data: a round trip keeps outputs and training identical; every malformed or hostile file is a
 * clear error naming the file and entry, the JVM survives, and no class from a file is ever instantiated.
 */
class ModelArchiveTest {

    /** A harmless class that records whether Java deserialization ever created it. */
    static final class Canary implements Serializable {
        private static final long serialVersionUID = 1L;
        static volatile boolean instantiated;

        private void readObject(java.io.ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            instantiated = true;
        }
    }

    @BeforeEach
    void resetCanary() {
        Canary.instantiated = false;
    }

    private static ComputationGraph graph() {
        ComputationGraphConfiguration.GraphBuilder b = new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.FLOAT).updater(new Adam(0.01)).graphBuilder().addInputs("in");
        String top = RecurrentStack.add(b, "enc", "in", RecurrentSpec.of("lstm", 5));
        ComputationGraph g = new ComputationGraph(b.addLayer("out", new RnnOutputLayer.Builder(
                        LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).nOut(2).build(), top)
                .setOutputs("out").setInputTypes(InputType.recurrent(3)).build());
        g.init();
        return g;
    }

    private static DataSet data() {
        Nd4j.getRandom().setSeed(5);
        return new DataSet(Nd4j.rand(DataType.FLOAT, 4, 3, 6), Nd4j.rand(DataType.FLOAT, 4, 2, 6));
    }

    @Test
    void roundTripKeepsOutputsUpdaterAndExtraEntries(@TempDir Path dir) {
        ComputationGraph g = graph();
        g.fit(data());
        Path f = dir.resolve("m.zip");
        ModelArchive.write(f, "test", g, true, Map.of("vocab", Map.of("a", 1)),
                Map.of("extra", Nd4j.arange(4).castTo(DataType.DOUBLE)));
        ModelArchive.Contents c = ModelArchive.read(f, "test", Set.of("vocab"), Set.of("extra"), true);
        INDArray x = data().getFeatures();
        assertThat(c.graph().outputSingle(x)).isEqualTo(g.outputSingle(x));
        assertThat(c.json("vocab").get("a").asInt()).isEqualTo(1);
        assertThat(c.arrays().get("extra").getDouble(3)).isEqualTo(3.0);
        g.fit(data());
        c.graph().fit(data());
        assertThat(c.graph().params()).as("training continues identically from the saved updater state")
                .isEqualTo(g.params());
        try (ZipFile z = new ZipFile(f.toFile())) {
            assertThat(z.stream().map(ZipEntry::getName)).containsExactly("seq4j.json", "configuration.json",
                    "params.npy", "updater.npy", "vocab.json", "extra.npy");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Rewrites a valid archive with one entry replaced (or added) by {@code bytes}. */
    private static Path tamper(Path valid, Path out, String entry, byte[] bytes) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(valid.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                entries.put(e.getName(), z.getInputStream(e).readAllBytes());
            }
        }
        if (bytes == null) {
            entries.remove(entry);
        } else {
            entries.put(entry, bytes);
        }
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out;
    }

    private static byte[] serializedCanary() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(b)) {
            o.writeObject(new Canary());
        }
        return b.toByteArray();
    }

    @Test
    void aSerializedObjectIsRefusedAndNeverInstantiated(@TempDir Path dir) throws IOException {
        Path valid = dir.resolve("valid.zip");
        ModelArchive.write(valid, "test", graph(), false, Map.of("vocab", Map.of("a", 1)), Map.of());
        // the JSON entry replaced by Java-serialized bytes of a class outside any allow-list
        Path hostile = tamper(valid, dir.resolve("hostile.zip"), "vocab.json", serializedCanary());
        assertThatThrownBy(() -> ModelArchive.read(hostile, "test", Set.of("vocab"), Set.of(), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(hostile.toString()).hasMessageContaining("entry 'vocab.json' is not valid JSON");
        // the layout seq4j development builds wrote with ModelSerializer.addObjectToFile
        Path legacy = dir.resolve("legacy.zip");
        ModelSerializer.writeModel(graph(), legacy.toFile(), false);
        ModelSerializer.addObjectToFile(legacy.toFile(), "seq4j-tagger", new Canary());
        assertThatThrownBy(() -> ModelArchive.read(legacy, "test", Set.of(), Set.of(), false))
                .hasMessageContaining("written by a seq4j development build before model files became plain data");
        assertThat(Canary.instantiated).isFalse();
    }

    @Test
    void hostileAndDamagedFilesAreClearErrors(@TempDir Path dir) throws IOException {
        ComputationGraph g = graph();
        Path valid = dir.resolve("valid.zip");
        ModelArchive.write(valid, "test", g, true, Map.of(), Map.of());
        String ok = "test file ";

        // a zip bomb: a JSON entry that inflates past its bound is refused after reading the bound, not whole
        Path bomb = dir.resolve("bomb.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
            for (String n : new String[] {"seq4j.json"}) {
                zip.putNextEntry(new ZipEntry(n));
                byte[] spaces = new byte[1 << 20];
                java.util.Arrays.fill(spaces, (byte) ' ');
                for (long i = 0; i < (ModelArchive.MAX_JSON_BYTES >> 20) + 2; i++) {
                    zip.write(spaces);
                }
                zip.closeEntry();
            }
        }
        assertThat(Files.size(bomb)).isLessThan(2_000_000);
        assertThatThrownBy(() -> ModelArchive.read(bomb, "test", Set.of(), Set.of(), false))
                .hasMessageContaining(ok + bomb).hasMessageContaining("entry 'seq4j.json' is larger than");

        // a truncated parameter array
        byte[] params = Npy.write(g.params());
        Path cut = tamper(valid, dir.resolve("cut.zip"), "params.npy",
                java.util.Arrays.copyOf(params, params.length - 7));
        assertThatThrownBy(() -> ModelArchive.read(cut, "test", Set.of(), Set.of(), false))
                .hasMessageContaining("entry 'params.npy'").hasMessageContaining("(truncated)");

        // parameters that do not fit the configuration
        Path wrong = tamper(valid, dir.resolve("wrong.zip"), "params.npy", Npy.write(Nd4j.zeros(DataType.FLOAT, 1, 7)));
        assertThatThrownBy(() -> ModelArchive.read(wrong, "test", Set.of(), Set.of(), false))
                .hasMessageContaining("entry 'params.npy' holds 7 parameters, the configuration needs "
                        + g.params().length());

        // a header that declares a huge array is refused before anything is allocated
        byte[] huge = new String("\u0093NUMPY\u0001\u0000F\u0000{'descr': '<f4', 'fortran_order': False, "
                + "'shape': (4000000000, 4000000000), }").getBytes(StandardCharsets.ISO_8859_1);
        Path big = tamper(valid, dir.resolve("big.zip"), "params.npy", huge);
        assertThatThrownBy(() -> ModelArchive.read(big, "test", Set.of(), Set.of(), false))
                .hasMessageContaining("entry 'params.npy'");

        // a format version from the future, another kind, no manifest
        Path future = tamper(valid, dir.resolve("future.zip"), "seq4j.json",
                "{\"format\": \"seq4j\", \"version\": 99, \"kind\": \"test\"}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ModelArchive.read(future, "test", Set.of(), Set.of(), false))
                .hasMessageContaining("format version 99 was written by a newer seq4j; this one reads version 1");
        assertThatThrownBy(() -> ModelArchive.read(valid, "tagger", Set.of(), Set.of(), false))
                .hasMessageContaining("holds a test, not a tagger");
        Path none = tamper(valid, dir.resolve("none.zip"), "seq4j.json", null);
        assertThatThrownBy(() -> ModelArchive.read(none, "test", Set.of(), Set.of(), false))
                .hasMessageContaining("is not a seq4j file");

        // path-traversing and unknown entries
        Path traversal = tamper(valid, dir.resolve("traversal.zip"), "../../etc/cron.d/x", new byte[] {1});
        assertThatThrownBy(() -> ModelArchive.read(traversal, "test", Set.of(), Set.of(), false))
                .hasMessageContaining("entry '../../etc/cron.d/x' is a path");
        Path unknown = tamper(valid, dir.resolve("unknown.zip"), "payload.class", new byte[] {1});
        assertThatThrownBy(() -> ModelArchive.read(unknown, "test", Set.of(), Set.of(), false))
                .hasMessageContaining("unexpected entry 'payload.class'");

        // not a zip at all, a truncated zip, a directory
        Path text = dir.resolve("text.zip");
        Files.writeString(text, "hello");
        assertThatThrownBy(() -> ModelArchive.read(text, "test", Set.of(), Set.of(), false))
                .hasMessageContaining("is not a readable zip file");
        byte[] all = Files.readAllBytes(valid);
        Path half = dir.resolve("half.zip");
        Files.write(half, java.util.Arrays.copyOf(all, all.length / 2));
        assertThatThrownBy(() -> ModelArchive.read(half, "test", Set.of(), Set.of(), false))
                .hasMessageContaining(half.toString());
        assertThatThrownBy(() -> ModelArchive.read(dir, "test", Set.of(), Set.of(), false))
                .hasMessageContaining("is not a file");
        // and the JVM is still here to load the valid file
        assertThat(ModelArchive.read(valid, "test", Set.of(), Set.of(), true).graph().params()).isEqualTo(g.params());
    }
}
