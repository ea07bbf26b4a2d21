package org.seq4j.layers;

/**
 * Where a GRU applies its reset gate to the previous state.
 *
 * <p>With {@code r} the reset gate, {@code h} the previous state and {@code Rn, bRn} the recurrent weights and bias of
 * the candidate:
 * <ul>
 *   <li>{@link #RESET_AFTER} (the default): {@code n = act(x·Wn + bn + r ⊙ (h·Rn + bRn))}. The reset gate scales the
 *       recurrent product after the matrix multiplication. This is the form of cuDNN, PyTorch {@code nn.GRU} and Keras
 *       {@code reset_after=True} (Keras' default since 2.3), so weights trained there can be loaded here.</li>
 *   <li>{@link #RESET_BEFORE}: {@code n = act(x·Wn + bn + (r ⊙ h)·Rn)}. The form of Cho et al. (2014) and of most
 *       lecture notes, {@code h~ = tanh(W·[r⊙h, x] + b)}; Keras {@code reset_after=False}. It has no separate
 *       recurrent bias.</li>
 * </ul>
 */
public enum GruVariant {
    /** Reset gate applied to the recurrent product (cuDNN / PyTorch / Keras {@code reset_after=True}). */
    RESET_AFTER,
    /** Reset gate applied to the previous state before the product (Cho et al. 2014). */
    RESET_BEFORE
}
