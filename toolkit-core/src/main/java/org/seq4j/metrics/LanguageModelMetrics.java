package org.seq4j.metrics;

import org.seq4j.util.Checks;

/**
 * Language-model measures from the mean negative log-likelihood per token (cross-entropy, in nats):
 * perplexity {@code exp(CE)}, bits per token {@code CE / ln 2} (bits per character for a character model).
 */
public final class LanguageModelMetrics {

    private LanguageModelMetrics() {
    }

    /** Mean of {@code −ln p} over the probabilities the model gave to the true tokens. */
    public static double crossEntropy(double[] trueTokenProbabilities) {
        Checks.require(trueTokenProbabilities.length > 0, "crossEntropy: no tokens");
        double sum = 0;
        for (int i = 0; i < trueTokenProbabilities.length; i++) {
            double p = trueTokenProbabilities[i];
            Checks.require(p > 0 && p <= 1, "crossEntropy: probability %d is %s, expected (0, 1]", i, p);
            sum -= Math.log(p);
        }
        return sum / trueTokenProbabilities.length;
    }

    public static double perplexity(double crossEntropyNats) {
        return Math.exp(crossEntropyNats);
    }

    public static double bitsPerToken(double crossEntropyNats) {
        return crossEntropyNats / Math.log(2);
    }
}
