package org.seq4j.train;

import java.util.Arrays;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.LossUtil;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.seq4j.util.Checks;

/**
 * Pinball (quantile) loss for quantile forecasts: for a target y, a prediction ŷ and a quantile level τ,
 * {@code L = max(τ·(y − ŷ), (τ − 1)·(y − ŷ))}, summed over the outputs of an example. Each output column has its own
 * level ({@link #getLevels()}), so one output layer predicts several quantiles of several horizon steps; labels
 * repeat the target in every column of its step. Minimising it makes each column the τ-quantile of the target.
 */
public class PinballLoss implements ILossFunction {

    private double[] levels;

    /** For Jackson (model files). */
    public PinballLoss() {
    }

    /** @param levels the quantile level of each output column, each in (0, 1) */
    public PinballLoss(double[] levels) {
        Checks.require(levels != null && levels.length > 0, "PinballLoss: give one level per output column");
        for (double l : levels) {
            Checks.require(l > 0 && l < 1, "PinballLoss: quantile levels must be in (0, 1), got %s", l);
        }
        this.levels = levels.clone();
    }

    public double[] getLevels() {
        return levels.clone();
    }

    public void setLevels(double[] levels) {
        this.levels = levels.clone();
    }

    private INDArray tau(INDArray like) {
        Checks.require(like.size(1) == levels.length, "PinballLoss: %d output columns but %d quantile levels",
                like.size(1), levels.length);
        return Nd4j.createFromArray(levels).castTo(like.dataType()).reshape(1, levels.length);
    }

    private INDArray scoreArray(INDArray labels, INDArray preOutput, IActivation fn, INDArray mask) {
        INDArray out = fn.getActivation(preOutput.dup(), true);
        INDArray e = labels.castTo(out.dataType()).sub(out);
        INDArray tau = tau(out);
        INDArray score = Transforms.max(e.mulRowVector(tau), e.mulRowVector(tau.sub(1.0)), false);
        if (mask != null) {
            LossUtil.applyMask(score, mask);
        }
        return score;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation fn, INDArray mask, boolean average) {
        INDArray s = scoreArray(labels, preOutput, fn, mask);
        double score = s.sumNumber().doubleValue();
        return average ? score / s.size(0) : score;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation fn, INDArray mask) {
        return scoreArray(labels, preOutput, fn, mask).sum(true, 1);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation fn, INDArray mask) {
        INDArray out = fn.getActivation(preOutput.dup(), true);
        INDArray e = labels.castTo(out.dataType()).sub(out);
        // dL/dŷ = −τ where y > ŷ, 1 − τ where y < ŷ
        INDArray dLda = e.lt(0.0).castTo(out.dataType()).subRowVector(tau(out));
        INDArray grad = fn.backprop(preOutput.dup(), dLda).getFirst();
        if (mask != null) {
            LossUtil.applyMask(grad, mask);
        }
        return grad;
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation fn,
                                                          INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, fn, mask, average),
                computeGradient(labels, preOutput, fn, mask));
    }

    @Override
    public String name() {
        return toString();
    }

    @Override
    public String toString() {
        return "PinballLoss(" + Arrays.toString(levels) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PinballLoss && Arrays.equals(levels, ((PinballLoss) o).levels);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(levels);
    }
}
