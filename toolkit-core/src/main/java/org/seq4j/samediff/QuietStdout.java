package org.seq4j.samediff;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Silences {@code System.out} while SameDiff builds a gradient function: M2.1 prints one
 * "Added differentiated op ..." line per op (thousands for an unrolled layer) with {@code System.out.println}.
 */
final class QuietStdout {

    private static final PrintStream NULL = new PrintStream(OutputStream.nullOutputStream());

    private QuietStdout() {
    }

    static synchronized void run(Runnable action) {
        PrintStream out = System.out;
        System.setOut(NULL);
        try {
            action.run();
        } finally {
            System.setOut(out);
        }
    }
}
