package org.seq4j.train;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seq4j.util.AtomicFiles;

/**
 * A training checkpoint: DL4J's model zip (configuration, parameters, updater state) plus seq4j's trainer state
 * (where in which epoch training stopped, early-stopping state, the best parameters so far). Written atomically, so a
 * crash leaves the previous checkpoint intact; {@link Trainer#resume} continues from it.
 */
public record Checkpoint(ComputationGraph graph, TrainerState state, INDArray bestParams) {

    private static final String STATE_KEY = "seq4j-trainer-state";
    private static final String BEST_KEY = "seq4j-best-params";

    /** Writes the checkpoint to {@code file}, atomically. */
    public static void write(Path file, ComputationGraph graph, TrainerState state, INDArray bestParams) {
        AtomicFiles.writeFile(file, tmp -> {
            File f = tmp.toFile();
            ModelSerializer.writeModel(graph, f, true);
            ModelSerializer.addObjectToFile(f, STATE_KEY, state.toProperties());
            if (bestParams != null) {
                ModelSerializer.addObjectToFile(f, BEST_KEY, bestParams);
            }
        });
    }

    /** Reads a checkpoint; a missing, truncated or foreign file is an error that says so. */
    public static Checkpoint read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("Checkpoint " + file + " does not exist");
        }
        try {
            File f = file.toFile();
            ComputationGraph graph = ModelSerializer.restoreComputationGraph(f, true);
            Properties p = ModelSerializer.getObjectFromFile(f, STATE_KEY);
            INDArray best = ModelSerializer.listObjectsInFile(f).contains(BEST_KEY)
                    ? ModelSerializer.getObjectFromFile(f, BEST_KEY) : null;
            return new Checkpoint(graph, TrainerState.fromProperties(p, file), best);
        } catch (Exception e) {
            throw new IllegalArgumentException("Checkpoint " + file + " cannot be read: it is truncated, damaged or "
                    + "not a seq4j checkpoint (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
    }
}
