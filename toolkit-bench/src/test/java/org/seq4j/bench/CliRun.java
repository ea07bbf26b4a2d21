package org.seq4j.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import picocli.CommandLine;

/** One {@code seq4j} command run in this JVM, as the tests see it: exit code, standard output, error output. */
record CliRun(int code, String out, String err) {

    static CliRun run(String... args) {
        return withStdin("", args);
    }

    /** {@link #run} reading {@code stdin} as standard input. */
    static CliRun withStdin(String stdin, String... args) {
        CommandLine cli = Seq4jCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        PrintStream old = System.out;
        InputStream oldIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return new CliRun(cli.execute(args), out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(old);
            System.setIn(oldIn);
        }
    }
}
