package org.seq4j.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.core.GradientLag;
import org.seq4j.tasks.TaskResult;
import org.seq4j.tasks.memory.CopyMemory;
import org.seq4j.train.RunInfo;
import org.seq4j.util.AtomicFiles;
import org.seq4j.util.Checks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code seq4j memory lag|copy}: long-memory diagnostics. {@code lag} plots the gradient norm against the lag
 * (‖∂L_T/∂s_{T−k}‖, vanishing gradients at initialisation); {@code copy} trains every cell on the copy-memory task
 * and reports cross-entropy against chance.
 */
@Command(name = "memory", mixinStandardHelpOptions = true, description = "Long-memory diagnostics: gradient norm "
        + "versus lag (PNG), copy-memory task.", subcommands = {MemoryCommand.Lag.class, MemoryCommand.Copy.class})
public final class MemoryCommand {

    /** The options both diagnostics share (a picocli mixin). */
    static final class Common {
        @Option(names = "--cells", split = ",", description = "Cells (default: ${DEFAULT-VALUE}).")
        List<String> cells = List.of("srn", "lstm", "gru", "scrn");

        @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed = 42;

        @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).")
        Path out = Path.of("out", "memory");
    }

    static List<RecurrentSpec> specs(List<String> cells, int units) {
        List<RecurrentSpec> out = new ArrayList<>();
        for (String c : cells) {
            out.add(RecurrentSpec.of(c, units));
        }
        return out;
    }

    /** A log-scale PNG of relative gradient norm by lag, one line per cell. */
    static void writeLagPng(Path file, Map<String, double[]> relative, int steps, String when) {
        XYSeriesCollection lines = new XYSeriesCollection();
        for (Map.Entry<String, double[]> e : relative.entrySet()) {
            XYSeries s = new XYSeries(e.getKey());
            double[] r = e.getValue();
            for (int k = 0; k < r.length; k++) {
                if (r[k] > 0) {
                    s.add(k, r[k]);
                }
            }
            lines.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Gradient norm vs lag " + when + " (T = " + steps + ")", "lag k (steps back from the loss)", "‖∂L/∂s(T−k)‖ / ‖∂L/∂s(T)‖", lines);
        XYPlot plot = chart.getXYPlot();
        LogAxis y = new LogAxis(plot.getRangeAxis().getLabel());
        y.setSmallestValue(1e-12);
        plot.setRangeAxis(y);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        for (int i = 0; i < relative.size(); i++) {
            plot.getRenderer().setSeriesStroke(i, new BasicStroke(2f));
        }
        AtomicFiles.write(file, out -> ChartUtils.writeChartAsPNG(out, chart, 900, 500));
    }

    /** {@code memory lag}. */
    @Command(name = "lag", mixinStandardHelpOptions = true, description = "Plot ‖∂L_T/∂s_{T−k}‖ against k for each "
            + "cell at initialisation (loss at the last step only).")
    static final class Lag implements Callable<Integer> {
        @Mixin
        Common common = new Common();

        @Option(names = "--units", description = "Units (default: ${DEFAULT-VALUE}).")
        int units = 32;

        @Option(names = "--steps", description = "Sequence length T (default: ${DEFAULT-VALUE}).")
        int steps = 50;

        @Option(names = "--batch", description = "Sequences averaged (default: ${DEFAULT-VALUE}).")
        int batch = 32;

        @Option(names = "--trained", description = "Measure after training each cell on the copy-memory task "
                + "(delay --steps − 20, 10 epochs; --smoke-training for a seconds-long version) instead of at "
                + "initialisation: the loss is the last recalled symbol's.")
        boolean trained;

        @Option(names = "--smoke-training", hidden = true)
        boolean smokeTraining;


        @Override
        public Integer call() {
            Checks.require(steps >= 2 && steps <= 10_000, "--steps must be in [2, 10000], got %d", steps);
            Checks.require(units >= 1 && batch >= 1, "--units and --batch must be >= 1");
            Map<String, double[]> rel = new LinkedHashMap<>();
            Report report = new Report("seq4j: gradient norm versus lag", RunInfo.current(common.seed));
            List<List<String>> rows = new ArrayList<>();
            int[] lags = java.util.stream.IntStream.of(1, 5, 10, 20, 40, steps - 10, steps - 1).filter(k -> k >= 1
                    && k < steps).distinct().sorted().toArray();
            Checks.require(!trained || steps > 20, "--trained: --steps must be > 20 (the copy task's delay is steps − "
                    + "20), got %d", steps);
            for (RecurrentSpec spec : specs(common.cells, units)) {
                double[] r;
                if (trained) {
                    CopyMemory.Options d = CopyMemory.Options.defaults(smokeTraining);
                    CopyMemory.Trained t = CopyMemory.train(spec, new CopyMemory.Options(steps - 20, d.trainSize(),
                            d.epochs(), d.batch(), d.learningRate(), common.seed));
                    int n = (int) Math.min(batch, t.test().numExamples());
                    org.nd4j.linalg.dataset.api.DataSet probe = t.test().getRange(0, n);
                    r = GradientLag.of(t.graph(), "rnn", probe.getFeatures(), probe.getLabels()).relative();
                } else {
                    r = GradientLag.of(spec, 8, steps, batch, common.seed).relative();
                }
                rel.put(spec.label(), r);
                List<String> row = new ArrayList<>(List.of(spec.label()));
                for (int k : lags) {
                    row.add(Report.fmt("%.2e", r[k]));
                }
                rows.add(row);
            }
            List<String> header = new ArrayList<>(List.of("cell"));
            for (int k : lags) {
                header.add("k = " + k);
            }
            report.paragraph(trained
                    ? Report.fmt("One layer of %d units trained on the copy-memory task (delay %d, T = %d; seed %d), "
                    + "measured on %d test sequences with the loss of the last recalled symbol only: the norm of the "
                    + "gradient that reaches the state k steps back, relative to k = 0. The symbol it must recall was "
                    + "read %d steps back.", units, steps - 20, steps, common.seed, batch, steps - 10)
                    : Report.fmt("One layer of %d units, 8 standard-normal inputs per step, T = %d, a loss at "
                    + "the last step only, %d sequences, Xavier weights (seed %d): the norm of the gradient that "
                    + "reaches the state k steps back, relative to k = 0.", units, steps, batch, common.seed));
            report.table(header, rows);
            report.data("relativeByLag", rel);
            Path png = common.out.resolve("gradient-lag.png");
            writeLagPng(png, rel, steps, trained ? "after training on the copy task" : "at initialisation");
            System.out.println(report.markdown());
            report.write(common.out, "gradient-lag").forEach(p -> System.out.println("wrote " + p));
            System.out.println("wrote " + png);
            return 0;
        }
    }

    /** {@code memory copy}. */
    @Command(name = "copy", mixinStandardHelpOptions = true, description = "Train each cell on the copy-memory task "
            + "and compare its cross-entropy with chance (10·ln 8 / (delay + 20)).")
    static final class Copy implements Callable<Integer> {
        @Mixin
        Common common = new Common();

        @Option(names = "--units", description = "Units (default: ${DEFAULT-VALUE}).")
        int units = 64;

        @Option(names = "--delay", description = "Blank steps to remember across (default: ${DEFAULT-VALUE}).")
        int delay = 20;

        @Option(names = "--epochs", description = "Epochs over 4000 sequences (default: ${DEFAULT-VALUE}).")
        int epochs = 10;

        @Option(names = "--smoke", description = "A seconds-long version (delay 5, 64 sequences, 2 epochs).")
        boolean smoke;


        @Override
        public Integer call() {
            CopyMemory.Options d = CopyMemory.Options.defaults(smoke);
            CopyMemory.Options o = smoke ? new CopyMemory.Options(d.delay(), d.trainSize(), d.epochs(), d.batch(),
                    d.learningRate(), common.seed) : new CopyMemory.Options(delay, d.trainSize(), epochs, d.batch(),
                    d.learningRate(), common.seed);
            Report report = new Report("seq4j: copy-memory task", RunInfo.current(common.seed));
            List<List<String>> rows = new ArrayList<>();
            List<CopyMemory.Result> results = new ArrayList<>();
            List<Map<String, Object>> taskResults = new ArrayList<>();
            for (RecurrentSpec spec : specs(common.cells, smoke ? 8 : units)) {
                TaskResult<CopyMemory.Result> run = CopyMemory.run(spec, o);
                CopyMemory.Result r = run.detail();
                results.add(r);
                taskResults.add(run.toMap());
                rows.add(List.of(r.cell(), Long.toString(r.params()), Report.fmt("%.4f", r.testCrossEntropy()),
                        Report.fmt("%.2f", r.relativeToChance()), Report.fmt("%.1f%%", 100 * r.recallAccuracy()),
                        Report.fmt("%.1f", r.seconds())));
            }
            report.paragraph(Report.fmt("Delay %d (sequences of %d steps), %d training sequences, %d epochs of Adam "
                            + "%s, batch %d, clip 1; 500 test sequences. Chance cross-entropy 10·ln 8 / (delay + 20) = "
                            + "%.4f nats per step; recall chance 12.5%%.", o.delay(), o.delay() + 20, o.trainSize(),
                    o.epochs(), o.learningRate(), o.batch(), results.get(0).chance()));
            report.table(List.of("cell", "parameters", "test cross-entropy", "÷ chance", "recall accuracy",
                    "train s"), rows);
            report.data("results", results).data("taskResults", taskResults);
            System.out.println(report.markdown());
            report.write(common.out, "copy-memory").forEach(p -> System.out.println("wrote " + p));
            return 0;
        }
    }
}
