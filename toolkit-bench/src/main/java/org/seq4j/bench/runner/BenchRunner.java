package org.seq4j.bench.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import org.seq4j.bench.Report;
import org.seq4j.train.RunInfo;
import org.seq4j.util.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Suite}: every run's result is written to {@code runs/<hash>.json} under the output directory as soon
 * as it finishes (atomically), keyed by the hash of what decides its numbers ({@link Suite.Run#key}). A run whose
 * file exists is not run again, so a suite killed half-way resumes where it stopped (the run that was interrupted
 * starts over), and a suite that grows runs only what is new.
 */
public final class BenchRunner {

    private static final Logger LOG = LoggerFactory.getLogger(BenchRunner.class);

    /** What happened to one run: done (now or cached), skipped (no data), or failed (the error). */
    public record Entry(Suite.Run run, String status, JsonNode record, String message) {
        public boolean done() {
            return record != null;
        }
    }

    private final Path out;
    private final ScenarioRunner runner;
    private final String version;

    /**
     * @param out     where results, the report and charts are written
     * @param dataDir what {@code ${data}} in a suite's datasets means (null: scenarios that need it are skipped)
     */
    public BenchRunner(Path out, Path dataDir) {
        this.out = out;
        this.runner = new ScenarioRunner(dataDir);
        this.version = RunInfo.current(0).seq4jVersion();
    }

    /** The cached result file of {@code run}. */
    public Path resultFile(Suite.Run run) {
        return out.resolve("runs").resolve(run.hash(version) + ".json");
    }

    /**
     * Reads every option of every run of {@code suite} without running anything: a misspelt option or a bad value is
     * an error now, not hours into the suite.
     */
    public void check(Suite suite) {
        for (Suite.Run r : suite.runs()) {
            runner.plan(r);
        }
    }

    /**
     * Checks the suite ({@link #check}), then runs what is not cached yet, reporting each entry to {@code progress}
     * as it is settled.
     */
    public List<Entry> run(Suite suite, Consumer<Entry> progress) {
        check(suite);
        List<Entry> entries = new ArrayList<>();
        List<Suite.Run> runs = suite.runs();
        int i = 0;
        for (Suite.Run r : runs) {
            i++;
            Entry e = settle(r, i, runs.size());
            entries.add(e);
            progress.accept(e);
        }
        return entries;
    }

    /** The suite's runs as the cache has them: done, or not run yet. */
    public List<Entry> cached(Suite suite) {
        List<Entry> entries = new ArrayList<>();
        for (Suite.Run r : suite.runs()) {
            JsonNode record = readCached(resultFile(r));
            entries.add(record != null ? new Entry(r, "cached", record, null)
                    : new Entry(r, "missing", null, "not run yet"));
        }
        return entries;
    }

    /** A cached run's record, or null when there is none or it cannot be read (the run then runs again). */
    private static JsonNode readCached(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Report.JSON.readTree(file.toFile());
        } catch (IOException e) {
            LOG.warn("{}: unreadable cached result ({}); it will run again", file, e.getMessage());
            return null;
        }
    }

    private Entry settle(Suite.Run r, int index, int total) {
        Path file = resultFile(r);
        JsonNode cached = readCached(file);
        if (cached != null) {
            return new Entry(r, "cached", cached, null);
        }
        if (runner.resolve(r.scenario().dataset()) == null) {
            return new Entry(r, "skipped", null, "data " + r.scenario().dataset() + " is not there"
                    + " (give --data-dir)");
        }
        LOG.info("[{}/{}] {} · {} · seed {}", index, total, r.scenario().name(), r.label(), r.seed());
        ScenarioRunner.Outcome o;
        try {
            o = runner.run(r);
        } catch (RuntimeException e) {
            LOG.error("{} · {} · seed {} failed: {}", r.scenario().name(), r.label(), r.seed(), e.getMessage());
            return new Entry(r, "failed", null, e.getMessage());
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("scenario", r.scenario().name());
        record.put("variant", r.label());
        record.put("seed", r.seed());
        record.put("key", r.key(version));
        record.put("result", o.result().toMap());
        record.put("extras", o.extras());
        JsonNode tree = Report.JSON.valueToTree(record);
        try {
            AtomicFiles.writeString(file, Report.JSON.writeValueAsString(tree));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write " + file, e);
        }
        return new Entry(r, "done", tree, null);
    }
}
