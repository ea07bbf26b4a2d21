package org.seq4j.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.seq4j.util.AtomicFiles;
import org.seq4j.util.Checks;

/**
 * seq4j's model and checkpoint files: a zip of plain data only, so that loading a file is parsing, never execution.
 *
 * <pre>
 *   seq4j.json          manifest: {"format": "seq4j", "version": 1, "kind": "tagger" | "checkpoint" | ...}
 *   configuration.json  the ComputationGraph configuration (DL4J's JSON)
 *   params.npy          all parameters, [1, n] (NumPy format, parsed by {@link Npy})
 *   updater.npy         the updater state, when saved
 *   NAME.json, NAME.npy what the kind adds (a tagger's vocabularies, a checkpoint's trainer state, provenance)
 * </pre>
 * The reader refuses, with a message naming the file and entry: a missing or unreadable manifest, another kind, a
 * newer format version, an entry it does not expect (including the Java-serialized {@code objects/…} entries of
 * DL4J's {@code ModelSerializer.addObjectToFile}, which seq4j development builds wrote before this format: such
 * files are refused, not read — re-save them with the build that wrote them is not possible either, so retrain), a
 * path-like entry name, an entry larger than its bound (zip bombs), a truncated array and parameters whose count does
 * not match the configuration. Nothing is deserialized with {@code ObjectInputStream}.
 */
public final class ModelArchive {

    public static final String FORMAT = "seq4j";
    public static final int VERSION = 1;
    public static final String MANIFEST = "seq4j.json";
    public static final String CONFIGURATION = "configuration.json";
    public static final String PARAMS = "params.npy";
    public static final String UPDATER = "updater.npy";
    /** Bound on a JSON entry (configurations and vocabularies are far smaller). */
    public static final long MAX_JSON_BYTES = 256L << 20;
    /** Bound on an array entry (2 GiB: a Java array's limit). */
    public static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 64;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelArchive() {
    }

    /** What a file holds, read and checked. */
    public record Contents(String kind, ComputationGraph graph, Map<String, JsonNode> json,
                           Map<String, INDArray> arrays) {
        /** A JSON entry (by name, without {@code .json}), or an error naming it. */
        public JsonNode json(String name) {
            JsonNode n = json.get(name);
            Checks.require(n != null, "model file has no entry '%s.json'", name);
            return n;
        }
    }

    /**
     * Writes {@code graph} (with its updater state when {@code withUpdater}) and the extra entries to {@code file},
     * atomically. {@code json} values are anything Jackson writes (maps, lists, strings, numbers, records);
     * names are plain ({@code [A-Za-z0-9_-]+}).
     */
    public static void write(Path file, String kind, ComputationGraph graph, boolean withUpdater,
                             Map<String, ?> json, Map<String, INDArray> arrays) {
        Checks.require(graph != null, "ModelArchive.write: graph must not be null");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        ObjectNode manifest = JSON.createObjectNode().put("format", FORMAT).put("version", VERSION).put("kind", kind);
        try {
            entries.put(MANIFEST, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            entries.put(CONFIGURATION, graph.getConfiguration().toJson().getBytes(StandardCharsets.UTF_8));
            entries.put(PARAMS, Npy.write(graph.params().reshape(1, graph.params().length())));
            if (withUpdater && graph.getUpdater() != null && graph.getUpdater().getStateViewArray() != null) {
                INDArray u = graph.getUpdater().getStateViewArray();
                entries.put(UPDATER, Npy.write(u.reshape(1, u.length())));
            }
            for (Map.Entry<String, ?> e : json.entrySet()) {
                entries.put(plain(e.getKey()) + ".json",
                        JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(e.getValue()));
            }
            for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
                entries.put(plain(e.getKey()) + ".npy", Npy.write(e.getValue()));
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot encode model file " + file + ": " + e.getMessage(), e);
        }
        AtomicFiles.write(file, out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    zip.putNextEntry(new ZipEntry(e.getKey()));
                    zip.write(e.getValue());
                    zip.closeEntry();
                }
            }
        });
    }

    private static String plain(String name) {
        Checks.require(name != null && name.matches("[A-Za-z0-9_-]+"),
                "ModelArchive: entry name '%s' must be plain ([A-Za-z0-9_-]+)", name);
        return name;
    }

    /**
     * Reads a file written by {@link #write} of the given {@code kind}, accepting exactly the listed extra entries
     * ({@code jsonEntries} as {@code NAME.json}, {@code arrayEntries} as {@code NAME.npy}; each optional).
     */
    public static Contents read(Path file, String kind, Set<String> jsonEntries, Set<String> arrayEntries,
                                boolean loadUpdater) {
        String what = kind + " file " + file;
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(what + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(what + " is not a file");
        }
        Set<String> allowed = new LinkedHashSet<>(Set.of(MANIFEST, CONFIGURATION, PARAMS, UPDATER));
        jsonEntries.forEach(n -> allowed.add(n + ".json"));
        arrayEntries.forEach(n -> allowed.add(n + ".npy"));
        Map<String, byte[]> raw = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> en = zip.entries();
            boolean legacy = false;
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                String name = e.getName();
                if (name.startsWith("objects/") || name.equals("coefficients.bin")) {
                    legacy = true;
                    continue;
                }
                if (name.contains("/") || name.contains("\\") || name.contains("..") || name.startsWith(".")) {
                    throw new IllegalArgumentException(what + ": entry " + Checks.quote(name)
                            + " is a path; a seq4j file holds plain names only");
                }
                if (!allowed.contains(name)) {
                    throw new IllegalArgumentException(what + ": unexpected entry " + Checks.quote(name) + "; a " + kind
                            + " file holds " + allowed);
                }
                long bound = name.endsWith(".json") ? MAX_JSON_BYTES : MAX_ARRAY_BYTES;
                try (InputStream in = zip.getInputStream(e)) {
                    raw.put(name, Npz.readBounded(in, bound, () -> new IllegalArgumentException(what + ": entry "
                            + Checks.quote(name) + " is larger than " + bound + " bytes; refused")));
                }
            }
            if (!raw.containsKey(MANIFEST)) {
                throw new IllegalArgumentException(legacy
                        ? what + " was written by a seq4j development build before model files became plain data "
                        + "(Java-serialized entries); this version refuses such files: retrain and save again"
                        : what + " is not a seq4j file (no " + MANIFEST + ")");
            }
            if (legacy) {
                throw new IllegalArgumentException(what + ": unexpected Java-serialized entries (objects/…)");
            }
        } catch (ZipException e) {
            throw new IllegalArgumentException(what + " is not a readable zip file (truncated or damaged: "
                    + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " cannot be read: " + e.getMessage(), e);
        }

        JsonNode manifest = parse(raw.get(MANIFEST), what, MANIFEST);
        Checks.require(FORMAT.equals(manifest.path("format").asText()), "%s: %s is not a seq4j manifest", what,
                MANIFEST);
        int version = manifest.path("version").asInt(-1);
        Checks.require(version >= 1, "%s: %s has no valid format version", what, MANIFEST);
        Checks.require(version <= VERSION, "%s: format version %d was written by a newer seq4j; this one reads "
                + "version %d", what, version, VERSION);
        String fileKind = manifest.path("kind").asText();
        Checks.require(kind.equals(fileKind), "%s holds a %s, not a %s", what, fileKind.isEmpty() ? "?" : fileKind,
                kind);

        Checks.require(raw.containsKey(CONFIGURATION) && raw.containsKey(PARAMS), "%s: %s or %s is missing", what,
                CONFIGURATION, PARAMS);
        ComputationGraphConfiguration conf;
        try {
            conf = ComputationGraphConfiguration.fromJson(new String(raw.get(CONFIGURATION),
                    StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(what + ": entry '" + CONFIGURATION + "' is not a valid graph "
                    + "configuration (" + Checks.quote(e.getMessage()) + ")", e);
        }
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        INDArray params = array(raw.get(PARAMS), what, PARAMS);
        long expected = graph.params().length();
        Checks.require(params.length() == expected, "%s: entry '%s' holds %d parameters, the configuration needs %d",
                what, PARAMS, params.length(), expected);
        graph.setParams(params.reshape(1, expected).castTo(graph.params().dataType()));
        if (loadUpdater && raw.containsKey(UPDATER)) {
            INDArray u = array(raw.get(UPDATER), what, UPDATER);
            INDArray view = graph.getUpdater().getStateViewArray();
            Checks.require(view != null && u.length() == view.length(),
                    "%s: entry '%s' holds %d updater values, the configuration needs %d", what, UPDATER, u.length(),
                    view == null ? 0 : view.length());
            view.assign(u.reshape(view.shape()).castTo(view.dataType()));
        }
        Map<String, JsonNode> json = new LinkedHashMap<>();
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (String n : jsonEntries) {
            if (raw.containsKey(n + ".json")) {
                json.put(n, parse(raw.get(n + ".json"), what, n + ".json"));
            }
        }
        for (String n : arrayEntries) {
            if (raw.containsKey(n + ".npy")) {
                arrays.put(n, array(raw.get(n + ".npy"), what, n + ".npy"));
            }
        }
        return new Contents(fileKind, graph, json, arrays);
    }

    private static JsonNode parse(byte[] bytes, String what, String entry) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + ": entry '" + entry + "' is not valid JSON ("
                    + Checks.quote(e.getMessage()) + ")");
        }
    }

    private static INDArray array(byte[] bytes, String what, String entry) {
        try {
            return Npy.read(bytes, what + ": entry '" + entry + "'");
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(what + ": entry '" + entry + "' declares an impossible shape");
        }
    }
}
