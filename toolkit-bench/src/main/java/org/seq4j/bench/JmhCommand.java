package org.seq4j.bench;

import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code seq4j jmh [JMH options]}: runs the JMH benchmarks in this jar (see docs/benchmarks.md). */
@Command(name = "jmh", description = "Run the JMH cell benchmarks; arguments go to JMH (try -h).")
public final class JmhCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", description = "JMH arguments, e.g. CellBenchmark -p cell=gru,lstm -p units=128")
    List<String> args = List.of();

    @Override
    public Integer call() throws Exception {
        org.openjdk.jmh.Main.main(args.toArray(new String[0]));
        return 0;
    }
}
