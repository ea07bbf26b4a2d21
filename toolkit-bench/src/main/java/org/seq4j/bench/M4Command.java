package org.seq4j.bench;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import org.seq4j.tasks.data.M4;
import org.seq4j.tasks.forecast.Baselines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seq4j m4}: one global recurrent model on an M4 frequency (files in M4's own layout, read from a path), scored
 * as M4 scored (its horizon and season per frequency, sMAPE, MASE, OWA against Naive2) next to M4's statistical
 * benchmarks: Naive, sNaive, Naive2, SES, Holt, Damped, Theta and Comb on the seasonally adjusted series.
 */
@Command(name = "m4", mixinStandardHelpOptions = true,
        description = "Evaluate a global RNN forecaster on an M4 frequency against M4's statistical benchmarks.")
public final class M4Command extends CompetitionCommand {

    @Option(names = "--train", required = true, description = "M4 training file, e.g. Weekly-train.csv(.gz).")
    Path train;

    @Option(names = "--test", required = true, description = "M4 test file, e.g. Weekly-test.csv.")
    Path test;

    @Option(names = "--frequency", required = true, description = "yearly, quarterly, monthly, weekly, daily or "
            + "hourly.")
    String frequency;

    @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("out", "m4");

    @Override
    Path out() {
        return out;
    }

    @Override
    public Integer call() {
        M4.Frequency f = M4.Frequency.parse(frequency);
        String name = "m4-" + f.name().toLowerCase(Locale.ROOT);
        return run("seq4j on M4 " + f.name().toLowerCase(Locale.ROOT), name, M4.load(train, test, f),
                Baselines.m4(f.period()), Map.of());
    }
}
