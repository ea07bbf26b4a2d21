package org.seq4j.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line console progress bar on stderr, redrawn at most every 200 ms:
 * {@code epoch 2/10 [=========>          ] 450/1000  loss 1.2345  3,210 tok/s  ETA 0:42}, where ETA is the
 * whole run's remaining time and the rate's unit is what the task's batches count (tokens, windows, ...).
 */
final class ProgressBar {

    private static final int WIDTH = 24;
    private final PrintStream out;
    private long lastDraw;

    private final String unit;

    ProgressBar(PrintStream out, String unit) {
        this.out = out;
        this.unit = unit;
    }

    void update(int epoch, int epochs, int batch, int batches, double loss, double tokensPerSecond,
                double secondsLeft) {
        update(epoch, epochs, batch, batches, loss, tokensPerSecond, secondsLeft, "");
    }

    /** As above, with {@code extra} (e.g. {@code ppl 123.4}) after the loss. */
    void update(int epoch, int epochs, int batch, int batches, double loss, double tokensPerSecond,
                double secondsLeft, String extra) {
        long now = System.nanoTime();
        if (batch < batches && now - lastDraw < 200_000_000L) {
            return;
        }
        lastDraw = now;
        int filled = batches == 0 ? WIDTH : (int) ((long) WIDTH * batch / batches);
        String bar = "=".repeat(Math.max(0, filled - 1)) + (filled > 0 ? ">" : "") + " ".repeat(WIDTH - filled);
        out.print(String.format(Locale.ROOT, "\repoch %d/%d [%s] %d/%d  loss %.4f%s  %,.0f %s/s  ETA %s   ",
                epoch, epochs, bar, batch, batches, loss, extra, tokensPerSecond, unit, clock(secondsLeft)));
        if (batch >= batches) {
            out.println();
        }
        out.flush();
    }

    static String clock(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
