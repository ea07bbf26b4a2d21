package org.seq4j.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code seq4j} command: {@code demo}, {@code bench}, {@code jmh} and the task commands. */
@Command(name = "seq4j", mixinStandardHelpOptions = true, version = "seq4j 0.1.0",
        description = "Recurrent sequence models on Deeplearning4j.",
        subcommands = {DemoCommand.class, BenchCommand.class, ForecastCommand.class, M3Command.class, M4Command.class, TagCommand.class, LmCommand.class, TranslateCommand.class, MemoryCommand.class,
            JmhCommand.class})
public final class Seq4jCli {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line with seq4j's error handling: bad input or configuration (an {@link IllegalArgumentException},
     * which every seq4j check throws with a complete message) and diverged training print their message and exit with
     * 2, without a stack trace; anything else is a bug and prints the stack trace.
     */
    public static CommandLine commandLine() {
        return handlingErrors(new CommandLine(new Seq4jCli()));
    }

    /** {@code cli} with seq4j's error handling (as {@link #commandLine}); also used by {@code seq4j-spark}. */
    public static CommandLine handlingErrors(CommandLine cli) {
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof java.io.UncheckedIOException
                    || e instanceof org.seq4j.train.TrainingDivergedException) {
                cmd.getErr().println("error: " + e.getMessage());
                cmd.getErr().flush();
                return 2;
            }
            throw e;
        });
        return cli;
    }
}
