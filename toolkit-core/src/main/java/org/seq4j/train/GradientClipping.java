package org.seq4j.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Clips the gradient after backprop and before the updater: by global L2 norm over all parameters (as PyTorch's
 * {@code clip_grad_norm_}; DL4J only clips per layer) and/or element-wise by value. Thresholds apply to the gradient
 * of the minibatch-mean loss; DL4J hands listeners the sum over the minibatch and divides later, so the thresholds are
 * scaled by the minibatch size here.
 */
public final class GradientClipping extends BaseTrainingListener implements java.io.Serializable {

    private final double maxNorm;
    private final double maxValue;
    private double lastNorm;
    private long clipped;

    /** @param maxNorm global L2 norm limit (0: none); @param maxValue element limit (0: none) */
    public GradientClipping(double maxNorm, double maxValue) {
        this.maxNorm = maxNorm;
        this.maxValue = maxValue;
    }

    @Override
    public void onGradientCalculation(Model model) {
        ComputationGraph g = (ComputationGraph) model;
        INDArray grad = g.getGradientsViewArray();
        int batch = Math.max(1, g.batchSize());
        if (maxValue > 0) {
            double v = maxValue * batch;
            Transforms.min(grad, v, false);
            Transforms.max(grad, -v, false);
        }
        lastNorm = grad.norm2Number().doubleValue() / batch;
        if (maxNorm > 0 && lastNorm > maxNorm) {
            grad.muli(maxNorm / lastNorm);
            clipped++;
        }
    }

    /** Norm of the mean-loss gradient at the last step, before norm clipping. */
    public double lastNorm() {
        return lastNorm;
    }

    /** Steps whose gradient norm was clipped. */
    public long clippedSteps() {
        return clipped;
    }
}
