package org.seq4j.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code seq4j} command: {@code demo}, {@code jmh} and the task commands. */
@Command(name = "seq4j", mixinStandardHelpOptions = true, version = "seq4j 0.1.0",
        description = "Recurrent sequence models on Deeplearning4j.",
        subcommands = {DemoCommand.class, JmhCommand.class})
public final class Seq4jCli {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Seq4jCli()).execute(args));
    }
}
