package org.seq4j.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Where training is: the next epoch and batch to train, iterations done, and the early-stopping state. Mutable, owned
 * by one {@link Trainer} run; saved in every {@link Checkpoint}.
 */
public final class TrainerState {

    int epoch;
    int batch;
    long iteration;
    double bestMetric = Double.NaN;
    int bestEpoch = -1;
    int epochsWithoutImprovement;
    /** The loss sum and count of the epoch in progress, so a mid-epoch resume reports the whole epoch's mean. */
    double partialLossSum;
    int partialLossCount;
    /** The factor {@link TrainConfig#plateauDecay} has applied to the learning rate so far. */
    double learningRateScale = 1.0;
    final List<Double> epochLosses = new ArrayList<>();
    final List<Double> validationHistory = new ArrayList<>();

    public int epoch() {
        return epoch;
    }

    public int batch() {
        return batch;
    }

    public long iteration() {
        return iteration;
    }

    Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("epoch", Integer.toString(epoch));
        p.setProperty("batch", Integer.toString(batch));
        p.setProperty("iteration", Long.toString(iteration));
        p.setProperty("bestMetric", Double.toString(bestMetric));
        p.setProperty("bestEpoch", Integer.toString(bestEpoch));
        p.setProperty("epochsWithoutImprovement", Integer.toString(epochsWithoutImprovement));
        p.setProperty("partialLossSum", Double.toString(partialLossSum));
        p.setProperty("partialLossCount", Integer.toString(partialLossCount));
        p.setProperty("learningRateScale", Double.toString(learningRateScale));
        p.setProperty("epochLosses", join(epochLosses));
        p.setProperty("validationHistory", join(validationHistory));
        return p;
    }

    static TrainerState fromProperties(Properties p, Path file) {
        if (p == null) {
            throw new IllegalArgumentException("Checkpoint " + file + " has no seq4j trainer state");
        }
        TrainerState s = new TrainerState();
        s.epoch = Integer.parseInt(p.getProperty("epoch"));
        s.batch = Integer.parseInt(p.getProperty("batch"));
        s.iteration = Long.parseLong(p.getProperty("iteration"));
        s.bestMetric = Double.parseDouble(p.getProperty("bestMetric"));
        s.bestEpoch = Integer.parseInt(p.getProperty("bestEpoch"));
        s.epochsWithoutImprovement = Integer.parseInt(p.getProperty("epochsWithoutImprovement"));
        s.partialLossSum = Double.parseDouble(p.getProperty("partialLossSum", "0"));
        s.partialLossCount = Integer.parseInt(p.getProperty("partialLossCount", "0"));
        s.learningRateScale = Double.parseDouble(p.getProperty("learningRateScale", "1"));
        s.epochLosses.addAll(split(p.getProperty("epochLosses")));
        s.validationHistory.addAll(split(p.getProperty("validationHistory")));
        return s;
    }

    private static String join(List<Double> v) {
        StringBuilder sb = new StringBuilder();
        for (double d : v) {
            sb.append(sb.length() == 0 ? "" : ",").append(d);
        }
        return sb.toString();
    }

    private static List<Double> split(String s) {
        List<Double> out = new ArrayList<>();
        if (s != null && !s.isEmpty()) {
            for (String x : s.split(",")) {
                out.add(Double.parseDouble(x));
            }
        }
        return out;
    }
}
