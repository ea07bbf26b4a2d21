package org.seq4j.samediff;

import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The one place that corrects DL4J 1.0.0-M2.1's doubled SameDiff gradients (bug B1 in {@code notes/dl4j-m2.1.md}).
 *
 * <p>In M2.1, {@code ExternalErrorsFunction.doDiff} both registers the incoming gradient placeholder with
 * {@code setGradientForVariableName} and returns it, so SameDiff sums it twice: every SameDiff layer and vertex reports
 * {@code 2·dL/dθ} for its parameters and {@code 2·dL/dx} for its inputs. With Adam the factor is invisible (Adam is
 * scale-invariant), but SGD, clipping thresholds, L2 balance and mixed stacks are all wrong. Every seq4j SameDiff
 * runtime ({@link PerLengthSameDiffLayer}, {@link DynamicSameDiffVertex}) multiplies both by {@link #FACTOR}.
 *
 * <p>{@code SameDiffGradientFixTest} fails if a DL4J upgrade fixes the bug (the stock runtime would then pass its
 * gradient check), at which point this class must go.
 */
public final class SameDiffGradientFix {

    /** The correction applied to SameDiff parameter gradients and input gradients in DL4J 1.0.0-M2.1. */
    public static final double FACTOR = 0.5;

    private SameDiffGradientFix() {
    }

    /** Scales the parameter gradients in place (they are views of the network's flat gradient). */
    public static void correctParameterGradients(Gradient gradient) {
        for (INDArray g : gradient.gradientForVariable().values()) {
            g.muli(FACTOR);
        }
    }

    /** Scales an input gradient dL/dx in place and returns it. */
    public static INDArray correctInputGradient(INDArray dLdIn) {
        return dLdIn.muli(FACTOR);
    }
}
