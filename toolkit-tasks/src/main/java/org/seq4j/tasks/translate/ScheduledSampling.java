package org.seq4j.tasks.translate;

import java.util.Locale;

import org.seq4j.util.Checks;

/**
 * Scheduled sampling (Bengio et al. 2015): during training, each decoder input token after {@code <s>} is the
 * reference token with probability ε_e (teacher forcing) and otherwise the model's own prediction of it, with ε
 * decaying over epochs e = 0, 1, …:
 * <ul>
 *   <li>{@code LINEAR}: {@code ε = max(min, k − c·e)}</li>
 *   <li>{@code EXPONENTIAL}: {@code ε = max(min, k^e)} (k &lt; 1)</li>
 *   <li>{@code INVERSE_SIGMOID}: {@code ε = max(min, k / (k + exp(e / k)))} (k ≥ 1)</li>
 * </ul>
 * The predictions come from one teacher-forced pass of the model as it is when the epoch's batches are made (its
 * start), in parallel over all positions (as Duckworth et al. 2019's parallel scheduled sampling does), not from a
 * step-by-step decode. Because the batches then depend on the model, a run resumed mid-epoch from a checkpoint sees
 * the predictions of the resumed model, not those of the interrupted run: resume is exact only at epoch starts.
 */
public record ScheduledSampling(Decay decay, double k, double c, double min) {

    /** How the teacher-forcing probability decays. */
    public enum Decay {
        LINEAR, EXPONENTIAL, INVERSE_SIGMOID;

        public static Decay parse(String s) {
            return switch (s == null ? "" : s.trim().toLowerCase(Locale.ROOT)) {
                case "linear" -> LINEAR;
                case "exp", "exponential" -> EXPONENTIAL;
                case "sigmoid", "inverse-sigmoid", "inverse_sigmoid" -> INVERSE_SIGMOID;
                default -> throw new IllegalArgumentException("unknown scheduled-sampling decay '" + s
                        + "'; expected linear, exp or sigmoid");
            };
        }
    }

    public ScheduledSampling {
        Checks.require(decay != null, "ScheduledSampling: decay must be set");
        Checks.require(min >= 0 && min <= 1, "ScheduledSampling: min must be in [0, 1], got %s", min);
        switch (decay) {
            case LINEAR -> Checks.require(k > 0 && k <= 1 && c >= 0, "ScheduledSampling: linear decay needs "
                    + "0 < k <= 1 and c >= 0, got k = %s, c = %s", k, c);
            case EXPONENTIAL -> Checks.require(k > 0 && k < 1, "ScheduledSampling: exponential decay needs "
                    + "0 < k < 1, got %s", k);
            case INVERSE_SIGMOID -> Checks.require(k >= 1, "ScheduledSampling: inverse-sigmoid decay needs k >= 1, "
                    + "got %s", k);
            default -> throw new IllegalStateException();
        }
    }

    /** ε at epoch {@code epoch} (0-based): the probability of feeding the reference token. */
    public double teacherForcing(int epoch) {
        double e = switch (decay) {
            case LINEAR -> k - c * epoch;
            case EXPONENTIAL -> Math.pow(k, epoch);
            case INVERSE_SIGMOID -> k / (k + Math.exp(epoch / k));
        };
        return Math.max(min, Math.min(1, e));
    }
}
