/**
 * Attention over encoder states as a DL4J graph vertex ({@link org.seq4j.attention.Attention}: Bahdanau, Luong dot,
 * Luong general) and its plain-ND4J form for weights and step-wise decoding ({@link org.seq4j.attention.AttentionStep}).
 */
package org.seq4j.attention;
