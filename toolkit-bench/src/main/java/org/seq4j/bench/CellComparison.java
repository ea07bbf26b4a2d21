package org.seq4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.seq4j.cells.CellType;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.tasks.TaskResult;
import org.seq4j.tasks.memory.AddingProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo: every cell trained the same way on the adding problem ({@link AddingProblem}), compared for quality
 * (test MSE against the predict-the-mean baseline of about 1/6) and speed.
 */
public final class CellComparison {

    private static final Logger LOG = LoggerFactory.getLogger(CellComparison.class);

    /** What to run. */
    public record Options(int units, int steps, int trainSize, int testSize, int batch, int epochs, double learningRate,
                          long seed, List<RecurrentSpec> cells) {

        /** The default comparison, or a seconds-long smoke version of it. */
        public static Options defaults(boolean smoke) {
            int units = smoke ? 8 : 32;
            return new Options(units, smoke ? 8 : 20, smoke ? 64 : 2000, smoke ? 32 : 500, smoke ? 32 : 50,
                    smoke ? 1 : 8, 0.01, 42, defaultCells(units));
        }

        static List<RecurrentSpec> defaultCells(int units) {
            List<RecurrentSpec> cells = new ArrayList<>();
            for (CellType c : CellType.values()) {
                cells.add(RecurrentSpec.of(c, units));
            }
            cells.add(RecurrentSpec.of(CellType.LSTM, units).withBidirectional(Bidirectional.Mode.CONCAT));
            cells.add(RecurrentSpec.of(CellType.GRU, units).withBidirectional(Bidirectional.Mode.CONCAT));
            return cells;
        }

        AddingProblem.Options problem() {
            return new AddingProblem.Options(steps, trainSize, testSize, batch, epochs, learningRate, seed);
        }
    }

    /** One cell's results. */
    public record Row(String cell, long params, double testMse, double trainSeconds, double msPerIteration,
                      double inferenceMsPerSequence) {
    }

    /** The results, with the baseline MSE of predicting the training mean; {@code results} in the rows' order. */
    public record Result(Options options, double baselineMse, List<Row> rows,
                         List<TaskResult<AddingProblem.Result>> results) {
    }

    private CellComparison() {
    }

    public static Result run(Options o) {
        List<Row> rows = new ArrayList<>();
        List<TaskResult<AddingProblem.Result>> results = new ArrayList<>();
        for (RecurrentSpec spec : o.cells()) {
            TaskResult<AddingProblem.Result> r = AddingProblem.run(spec, o.problem());
            LOG.info("{}: test MSE {} in {} s", spec.label(), String.format(Locale.ROOT, "%.4f", r.score().value()),
                    String.format(Locale.ROOT, "%.1f", r.training().seconds()));
            results.add(r);
            rows.add(new Row(r.model(), r.parameters(), r.detail().testMse(), r.training().seconds(),
                    r.training().msPerIteration(), r.score().msPerItem()));
        }
        return new Result(o, results.get(0).detail().baselineMse(), rows, results);
    }
}
