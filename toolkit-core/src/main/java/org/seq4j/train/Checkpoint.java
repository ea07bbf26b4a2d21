package org.seq4j.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.seq4j.io.ModelArchive;

/**
 * A training checkpoint: the model (configuration, parameters, updater state) plus seq4j's trainer state (where in
 * which epoch training stopped, early-stopping state), the best parameters so far and the run's provenance
 * ({@link RunInfo}), all plain data in a {@link ModelArchive} of kind {@code checkpoint}. Written atomically, so a
 * crash leaves the previous checkpoint intact; {@link Trainer#resume} continues from it.
 */
public record Checkpoint(ComputationGraph graph, TrainerState state, INDArray bestParams) {

    public static final String KIND = "checkpoint";
    private static final String STATE = "trainer-state";
    private static final String RUN_INFO = "run-info";
    private static final String BEST = "best-params";

    /** Writes the checkpoint to {@code file}, atomically. */
    public static void write(Path file, ComputationGraph graph, TrainerState state, INDArray bestParams) {
        Map<String, Object> json = new LinkedHashMap<>();
        Map<String, String> s = new LinkedHashMap<>();
        state.toProperties().forEach((k, v) -> s.put((String) k, (String) v));
        json.put(STATE, s);
        json.put(RUN_INFO, RunInfo.current(graph.getConfiguration().getDefaultConfiguration().getSeed()));
        ModelArchive.write(file, KIND, graph, true, json, bestParams == null ? Map.of() : Map.of(BEST, bestParams));
    }

    /** Reads a checkpoint; a missing, truncated or foreign file is an error that says so. */
    public static Checkpoint read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("Checkpoint " + file + " does not exist");
        }
        try {
            ModelArchive.Contents c = ModelArchive.read(file, KIND, Set.of(STATE, RUN_INFO), Set.of(BEST), true);
            Properties p = new Properties();
            JsonNode s = c.json(STATE);
            s.fieldNames().forEachRemaining(k -> p.setProperty(k, s.get(k).asText()));
            INDArray best = c.arrays().get(BEST);
            return new Checkpoint(c.graph(), TrainerState.fromProperties(p, file),
                    best == null ? null : best.reshape(1, best.length()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Checkpoint " + file + " cannot be read: it is truncated, damaged or "
                    + "not a seq4j checkpoint (" + e.getMessage() + ")", e);
        }
    }
}
