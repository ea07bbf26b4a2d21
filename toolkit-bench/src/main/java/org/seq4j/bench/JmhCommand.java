package org.seq4j.bench;

import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code seq4j jmh [JMH options]}: runs the JMH benchmarks in this jar (see docs/benchmarks.md). */
@Command(name = "jmh", description = "Run the JMH cell benchmarks; all arguments go to JMH, e.g. "
        + "CellBenchmark -p cell=gru,lstm -p units=128 (JMH help: -h).")
public final class JmhCommand implements Callable<Integer> {

    @Unmatched
    List<String> args = new java.util.ArrayList<>();

    @Override
    public Integer call() throws Exception {
        org.openjdk.jmh.Main.main(args.toArray(new String[0]));
        return 0;
    }
}
