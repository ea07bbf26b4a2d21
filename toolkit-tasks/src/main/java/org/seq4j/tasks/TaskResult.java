package org.seq4j.tasks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.seq4j.train.RunInfo;
import org.seq4j.train.Trainer;
import org.seq4j.util.Checks;

/**
 * What one run of a task produced, in the same shape for every task (forecast, tag, lm, translate, copy memory): the
 * score on held-out data, how training went, what was run and on what machine, and the task's own typed detail
 * (per-item outputs). Every training command writes it as the {@code result} of its JSON report, and the bench
 * runner compares runs through it.
 *
 * @param task       the task: {@code forecast}, {@code tag}, {@code lm}, {@code translate}, {@code copy-memory}
 * @param dataset    what the model was trained and scored on
 * @param model      the model, as a label (cell, units, layers, direction, attention)
 * @param parameters trainable parameters
 * @param score      the metrics on the held-out data
 * @param training   how training went
 * @param config     the task's configuration, as stored in its model file
 * @param runInfo    seed, versions and machine
 * @param detail     the task's own evaluation: predictions per item, confusions, per-method rows
 * @param <D>        the type of the detail
 */
public record TaskResult<D>(String task, String dataset, String model, long parameters, Score score,
                            Training training, Map<String, Object> config, RunInfo runInfo, D detail) {

    public TaskResult {
        Checks.require(task != null && !task.isBlank(), "TaskResult: task must be named");
        Checks.require(score != null && training != null, "TaskResult: score and training must not be null");
        config = java.util.Collections.unmodifiableMap(config == null ? Map.of() : new LinkedHashMap<>(config));
    }

    /**
     * Metrics on held-out data.
     *
     * @param split          which data they were computed on ({@code dev}, {@code valid}, {@code test})
     * @param metric         the primary metric, a key of {@code metrics}
     * @param higherIsBetter whether a larger primary metric is better
     * @param metrics        every metric by name, the primary first; NaN where a metric is undefined (MASE of a
     *                       series constant at its season lag)
     * @param items          items scored (sentences, tokens, series × origins)
     * @param unit           what an item is
     * @param seconds        wall time of the evaluation (inference)
     */
    public record Score(String split, String metric, boolean higherIsBetter, Map<String, Double> metrics, long items,
                        String unit, double seconds) {

        public Score {
            Checks.require(metrics != null && metrics.containsKey(metric), "Score: the primary metric '%s' must be "
                    + "one of the metrics %s", metric, metrics == null ? "[]" : metrics.keySet());
            metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }

        /** The primary metric's value. */
        public double value() {
            return metrics.get(metric);
        }

        /** Inference latency: milliseconds per item. */
        public double msPerItem() {
            return items > 0 ? 1000 * seconds / items : Double.NaN;
        }

        /** Whether {@code a} is a better primary value than {@code b}. */
        public boolean better(double a, double b) {
            return higherIsBetter ? a > b : a < b;
        }
    }

    /**
     * How training went.
     *
     * @param epochs           epochs run
     * @param bestEpoch        the 0-based epoch whose parameters were kept (the best validation score)
     * @param stoppedEarly     whether early stopping ended training
     * @param iterations       parameter updates
     * @param seconds          wall time of training
     * @param tokens           label steps trained on
     * @param losses           mean training loss of each epoch
     * @param validation       the validation score after each epoch (empty without validation data)
     * @param validationMetric what {@code validation} holds
     */
    public record Training(int epochs, int bestEpoch, boolean stoppedEarly, long iterations, double seconds,
                           long tokens, List<Double> losses, List<Double> validation, String validationMetric) {

        public Training {
            losses = List.copyOf(losses);
            validation = List.copyOf(validation);
        }

        /** The trainer's account of a run whose validation score is {@code validationMetric}. */
        public static Training of(Trainer.Result r, String validationMetric) {
            return new Training(r.epochs(), r.bestEpoch(), r.stoppedEarly(), r.iterations(), r.seconds(), r.tokens(),
                    r.epochLosses(), r.validationHistory(), validationMetric);
        }

        /** Milliseconds per parameter update. */
        public double msPerIteration() {
            return iterations > 0 ? 1000 * seconds / iterations : Double.NaN;
        }

        public double tokensPerSecond() {
            return seconds > 0 ? tokens / seconds : 0;
        }
    }

    /**
     * Trainable parameters of {@code graph}, its vertices' included: DL4J M2.1's {@code ComputationGraph.numParams()}
     * counts layers only and leaves out SameDiff vertices (attention, the character CNN).
     */
    public static long parameters(org.deeplearning4j.nn.graph.ComputationGraph graph) {
        return graph.params().length();
    }

    /** Seconds between {@code startNanos} ({@link System#nanoTime()}) and now. */
    public static double since(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Everything but the detail, as nested maps for a JSON report (NaN stays NaN: the writer decides). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", task);
        m.put("dataset", dataset);
        m.put("model", model);
        m.put("parameters", parameters);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("split", score.split());
        s.put("metric", score.metric());
        s.put("higherIsBetter", score.higherIsBetter());
        s.put("value", score.value());
        s.put("metrics", score.metrics());
        s.put("items", score.items());
        s.put("unit", score.unit());
        s.put("seconds", score.seconds());
        s.put("msPerItem", score.msPerItem());
        m.put("score", s);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("epochs", training.epochs());
        t.put("bestEpoch", training.bestEpoch() + 1);
        t.put("stoppedEarly", training.stoppedEarly());
        t.put("iterations", training.iterations());
        t.put("seconds", training.seconds());
        t.put("msPerIteration", training.msPerIteration());
        t.put("tokens", training.tokens());
        t.put("tokensPerSecond", training.tokensPerSecond());
        t.put("losses", training.losses());
        t.put("validationMetric", training.validationMetric());
        t.put("validation", training.validation());
        m.put("training", t);
        m.put("config", config);
        m.put("runInfo", runInfo);
        return m;
    }
}
