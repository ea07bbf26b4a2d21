package org.seq4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;

import org.seq4j.train.TrainConfig;
import org.seq4j.util.Checks;
import picocli.CommandLine.Option;

/**
 * The checkpoint options every training command shares (a picocli mixin): checkpoints are on by default, under
 * {@code OUT/checkpoints}, and {@code --resume} continues a killed run to the result an uninterrupted run would have
 * reached.
 */
public final class CheckpointOptions {

    @Option(names = "--checkpoint-dir", description = "Where checkpoints go (default: OUT/checkpoints).")
    Path dir;

    @Option(names = "--checkpoint-every", description = "Iterations between checkpoints, besides one after every "
            + "epoch (default: ${DEFAULT-VALUE}; 0: none).")
    long every = 100;

    @Option(names = "--resume", description = "Continue from the checkpoint in --checkpoint-dir (same data and "
            + "options as the run that wrote it); the result equals an uninterrupted run's.")
    boolean resume;

    /** The checkpoint file of a run writing to {@code out}. */
    public Path file(Path out) {
        return (dir != null ? dir : out.resolve("checkpoints")).resolve("checkpoint.zip");
    }

    /** {@code train} with these checkpoints. */
    public TrainConfig apply(TrainConfig train, Path out) {
        Checks.require(every >= 0, "--checkpoint-every must be >= 0, got %d", every);
        return train.withCheckpoints(every, file(out));
    }

    /** The checkpoint to resume from, or null for a new run; an error when --resume finds none. */
    public Path resumeFrom(Path out) {
        if (!resume) {
            return null;
        }
        Path f = file(out);
        Checks.require(Files.isRegularFile(f), "--resume: no checkpoint at %s (train without --resume to start a new "
                + "run)", f);
        return f;
    }
}
