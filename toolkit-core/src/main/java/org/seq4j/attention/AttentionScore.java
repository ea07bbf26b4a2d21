package org.seq4j.attention;

/**
 * How an {@link Attention} vertex scores decoder state {@code d_t} (size nDec) against encoder state {@code e_s}
 * (size nEnc).
 */
public enum AttentionScore {
    /** Bahdanau et al. (2015), additive: {@code score = vᵀ·tanh(Wqᵀ·d_t + Wkᵀ·e_s)}; params Wq, Wk, v. */
    BAHDANAU,
    /** Luong et al. (2015), dot: {@code score = d_tᵀ·e_s}; no params, needs nDec = nEnc. */
    LUONG_DOT,
    /** Luong et al. (2015), general: {@code score = d_tᵀ·Wa·e_s}; param Wa. */
    LUONG_GENERAL
}
