package org.seq4j.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.seq4j.cells.RecurrentSpec;
import org.seq4j.tasks.TaskResult;
import org.seq4j.train.RunInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seq4j demo}: trains every cell on the adding problem and prints a comparison table. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train every cell (LSTM, GRU, SRN, SCRN, BiLSTM, BiGRU) on the adding problem and compare them.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--smoke", description = "Tiny data and one epoch: a seconds-long check that everything runs.")
    boolean smoke;

    @Option(names = "--out", description = "Directory for comparison.md and comparison.json (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("out", "demo");

    @Option(names = "--seed", description = "Seed for data, initialisation and shuffling (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--epochs", description = "Training epochs (default: 8, smoke: 1).")
    Integer epochs;

    @Option(names = "--steps", description = "Sequence length T (default: 20, smoke: 8).")
    Integer steps;

    @Option(names = "--cells", split = ",", description = "Cells to compare, e.g. gru,lstm,scrn (default: all).")
    List<String> cells;

    @Override
    public Integer call() {
        CellComparison.Options d = CellComparison.Options.defaults(smoke);
        List<RecurrentSpec> specs = d.cells();
        if (cells != null) {
            specs = new ArrayList<>();
            for (String c : cells) {
                specs.add(RecurrentSpec.of(c, d.units()));
            }
        }
        CellComparison.Options o = new CellComparison.Options(d.units(), steps != null ? steps : d.steps(),
                d.trainSize(), d.testSize(), d.batch(), epochs != null ? epochs : d.epochs(), d.learningRate(), seed,
                specs);
        CellComparison.Result r = CellComparison.run(o);
        Report report = report(r, RunInfo.current(seed));
        System.out.println(report.markdown());
        for (Path p : report.write(out, "comparison")) {
            System.out.println("wrote " + p);
        }
        return 0;
    }

    static Report report(CellComparison.Result r, RunInfo info) {
        CellComparison.Options o = r.options();
        Report report = new Report("seq4j demo: recurrent cells on the adding problem", info);
        report.paragraph(Report.fmt("Adding problem (Hochreiter & Schmidhuber 1997): T = %d, %d training and %d test "
                + "sequences; the target is the sum of the two marked values. %d units per direction, Adam %.3g, batch "
                + "%d, %d epochs. Predicting the training mean gives test MSE **%.4f**; a cell that beats it has learned "
                + "to remember.", o.steps(), o.trainSize(), o.testSize(), o.units(), o.learningRate(), o.batch(),
                o.epochs(), r.baselineMse()));
        List<List<String>> rows = new ArrayList<>();
        for (CellComparison.Row row : r.rows()) {
            rows.add(List.of(row.cell(), Long.toString(row.params()), Report.fmt("%.4f", row.testMse()),
                    Report.fmt("%.3f", row.testMse() / r.baselineMse()), Report.fmt("%.1f", row.trainSeconds()),
                    Report.fmt("%.1f", row.msPerIteration()), Report.fmt("%.3f", row.inferenceMsPerSequence())));
        }
        report.table(List.of("cell", "params", "test MSE", "MSE / baseline", "train s", "ms / iteration",
                "inference ms / sequence"), rows);
        report.data("options", o).data("baselineMse", r.baselineMse()).data("rows", r.rows())
                .data("results", r.results().stream().map(TaskResult::toMap).toList());
        return report;
    }
}
