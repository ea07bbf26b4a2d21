package org.seq4j.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.seq4j.core.CellState;
import org.seq4j.io.ModelArchive;

/**
 * A training checkpoint: the model (configuration, parameters, updater state) plus seq4j's trainer state (where in
 * which epoch training stopped, early-stopping state), the best parameters so far (and, for
 * {@link TrainConfig#plateauRestore}, the optimizer state that went with them) and the run's provenance
 * ({@link RunInfo}), all plain data in a {@link ModelArchive} of kind {@code checkpoint}. Written atomically, so a
 * crash leaves the previous checkpoint intact; {@link Trainer#resume} continues from it.
 */
public record Checkpoint(ComputationGraph graph, TrainerState state, INDArray bestParams,
                         INDArray bestUpdaterState, Map<String, CellState> carriedState) {

    public static final String KIND = "checkpoint";
    private static final String STATE = "trainer-state";
    private static final String RUN_INFO = "run-info";
    private static final String BEST = "best-params";
    private static final String BEST_UPDATER = "best-updater-state";
    /** The recurrent state carried across batches (continuous streams), by layer and state part; see CellState. */
    private static final String CARRIED = "carried-state";

    /** Writes the checkpoint to {@code file}, atomically; {@code bestUpdaterState} may be null. */
    public static void write(Path file, ComputationGraph graph, TrainerState state, INDArray bestParams,
                             INDArray bestUpdaterState) {
        Map<String, Object> json = new LinkedHashMap<>();
        Map<String, String> s = new LinkedHashMap<>();
        state.toProperties().forEach((k, v) -> s.put((String) k, (String) v));
        json.put(STATE, s);
        json.put(RUN_INFO, RunInfo.current(graph.getConfiguration().getDefaultConfiguration().getSeed()));
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        if (bestParams != null) {
            arrays.put(BEST, bestParams);
        }
        if (bestUpdaterState != null) {
            arrays.put(BEST_UPDATER, bestUpdaterState);
        }
        Map<String, CellState> carried = CellState.capture(graph);
        if (!carried.isEmpty()) {
            // shapes in JSON, values as one flat array in the same order
            Map<String, Map<String, long[]>> shapes = new LinkedHashMap<>();
            List<INDArray> flat = new ArrayList<>();
            carried.forEach((layer, st) -> {
                Map<String, long[]> parts = new LinkedHashMap<>();
                for (String k : st.keys()) {
                    parts.put(k, st.get(k).shape());
                    flat.add(st.get(k).castTo(DataType.DOUBLE).reshape(-1));
                }
                shapes.put(layer, parts);
            });
            json.put(CARRIED, shapes);
            arrays.put(CARRIED, Nd4j.concat(0, flat.toArray(new INDArray[0])));
        }
        ModelArchive.write(file, KIND, graph, true, json, arrays);
    }

    private static Map<String, CellState> carried(ModelArchive.Contents c, Path file) {
        JsonNode shapes = c.json().get(CARRIED);
        INDArray flat = c.arrays().get(CARRIED);
        if (shapes == null || flat == null) {
            return null;
        }
        DataType type = c.graph().params().dataType();
        Map<String, CellState> out = new LinkedHashMap<>();
        long off = 0;
        for (Iterator<String> layers = shapes.fieldNames(); layers.hasNext(); ) {
            String layer = layers.next();
            Map<String, INDArray> parts = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = shapes.get(layer).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                long rows = e.getValue().get(0).asLong();
                long cols = e.getValue().get(1).asLong();
                if (rows <= 0 || cols <= 0 || off + rows * cols > flat.length()) {
                    throw new IllegalArgumentException("carried state of layer '" + layer + "' does not fit the "
                            + "stored values");
                }
                parts.put(e.getKey(), flat.get(NDArrayIndex.interval(off, off + rows * cols)).dup()
                        .reshape('c', rows, cols).castTo(type));
                off += rows * cols;
            }
            out.put(layer, CellState.of(parts));
        }
        return out;
    }

    /** Reads a checkpoint; a missing, truncated or foreign file is an error that says so. */
    public static Checkpoint read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("Checkpoint " + file + " does not exist");
        }
        try {
            ModelArchive.Contents c = ModelArchive.read(file, KIND, Set.of(STATE, RUN_INFO, CARRIED),
                    Set.of(BEST, BEST_UPDATER, CARRIED), true);
            Properties p = new Properties();
            JsonNode s = c.json(STATE);
            s.fieldNames().forEachRemaining(k -> p.setProperty(k, s.get(k).asText()));
            INDArray best = c.arrays().get(BEST);
            INDArray bestUpdater = c.arrays().get(BEST_UPDATER);
            return new Checkpoint(c.graph(), TrainerState.fromProperties(p, file),
                    best == null ? null : best.reshape(1, best.length()),
                    bestUpdater == null ? null : bestUpdater.reshape(1, bestUpdater.length()), carried(c, file));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Checkpoint " + file + " cannot be read: it is truncated, damaged or "
                    + "not a seq4j checkpoint (" + e.getMessage() + ")", e);
        }
    }
}
