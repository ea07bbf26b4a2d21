package org.seq4j.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.seq4j.bench.runner.BenchReport;
import org.seq4j.bench.runner.BenchRunner;
import org.seq4j.bench.runner.Suite;
import org.seq4j.train.RunInfo;
import org.seq4j.util.Checks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seq4j bench}: runs a suite of scenarios (task × dataset × variant × seed), caching every finished run, and
 * writes one report (Markdown, self-contained HTML, JSON).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Compare cells and attention on the task families: runs a suite (cached and resumable) and "
                + "writes report.md, report.html and report.json.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--suite", description = "A bundled suite (smoke, default, full) or a suite JSON file "
            + "(default: ${DEFAULT-VALUE}).")
    String suite = "default";

    @Option(names = "--data-dir", description = "What ${data} means in the suite's datasets: a directory with the "
            + "datasets that are not bundled (docs/data.md). Without it those scenarios are skipped.")
    Path dataDir;

    @Option(names = "--seeds", split = ",", description = "Seeds to run instead of the suite's, e.g. 1,2,3.")
    List<Long> seeds;

    @Option(names = "--scenarios", split = ",", description = "Run only these scenarios (by name).")
    List<String> scenarios;

    @Option(names = "--report-only", description = "Write the report from the cached runs; run nothing.")
    boolean reportOnly;

    @Option(names = "--out", description = "Output directory: runs/ (the cache), charts/, report.* (default: "
            + "${DEFAULT-VALUE}).")
    Path out = Path.of("out", "bench");

    @Override
    public Integer call() {
        Suite s = Suite.load(suite);
        if (seeds != null) {
            Checks.require(!seeds.isEmpty(), "--seeds: give at least one seed");
            s = s.withSeeds(seeds);
        }
        if (scenarios != null) {
            s = s.only(scenarios);
        }
        BenchRunner runner = new BenchRunner(out, dataDir);
        int total = s.runs().size();
        int[] counts = new int[4];
        List<BenchRunner.Entry> entries;
        if (reportOnly) {
            entries = runner.cached(s);
        } else {
            System.err.printf("seq4j bench: suite %s, %d runs (%d scenarios); finished runs are cached in %s%n",
                    s.name(), total, s.scenarios().size(), out.resolve("runs"));
            entries = runner.run(s, e -> {
                switch (e.status()) {
                    case "done" -> counts[0]++;
                    case "cached" -> counts[1]++;
                    case "skipped" -> counts[2]++;
                    default -> counts[3]++;
                }
                if (!e.status().equals("cached")) {
                    System.err.printf("  %-8s %s · %s · seed %d%s%n", e.status(), e.run().scenario().name(),
                            e.run().label(), e.run().seed(), e.done() ? Report.fmt(" · %s %s",
                                    e.record().at("/result/score/metric").asText(),
                                    BenchReport.format(e.record().at("/result/score/value").asDouble()))
                                    : " · " + e.message());
                }
            });
        }
        BenchReport report = new BenchReport(s, entries, RunInfo.current(s.seeds().get(0)));
        report.write(out).stream().filter(p -> !p.getParent().getFileName().toString().equals("charts"))
                .forEach(p -> System.out.println("wrote " + p));
        if (!reportOnly) {
            System.out.printf("%d runs: %d run now, %d cached, %d skipped (no data), %d failed%n", total, counts[0],
                    counts[1], counts[2], counts[3]);
        }
        return counts[3] > 0 ? 1 : 0;
    }
}
