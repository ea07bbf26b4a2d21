package org.seq4j.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.seq4j.tasks.data.M3;
import org.seq4j.tasks.forecast.Baselines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seq4j m3}: the quality run on the M3 competition (from a path, never bundled). One global recurrent model is
 * trained on the training part of every series of a frequency and forecasts the official horizon; it is compared
 * with seq4j's Naive2 and Theta and with the NAIVE2 and THETA forecasts submitted to M3.
 */
@Command(name = "m3", mixinStandardHelpOptions = true,
        description = "Evaluate a global RNN forecaster on M3 (yearly, quarterly or monthly) against Naive2 and Theta.")
public final class M3Command extends CompetitionCommand {

    @Option(names = "--dir", required = true, description = "Directory with the M3 files (docs/data.md).")
    Path dir;

    @Option(names = "--frequency", description = "yearly, quarterly or monthly (default: ${DEFAULT-VALUE}).")
    String frequency = "monthly";

    @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("out", "m3");

    @Override
    Path out() {
        return out;
    }

    @Override
    public Integer call() {
        List<M3.Entry> entries = M3.load(dir, frequency);
        int period = entries.get(0).period();
        Map<String, Map<String, double[]>> references = new LinkedHashMap<>();
        references.put("M3 NAIVE2", M3.referenceForecasts(dir, "NAIVE2"));
        references.put("M3 THETA", M3.referenceForecasts(dir, "THETA"));
        return run("seq4j on M3 " + frequency, "m3-" + frequency, entries,
                List.of(Baselines.naive2(period), Baselines.theta(period)), references);
    }
}
