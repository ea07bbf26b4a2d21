/**
 * Every workaround for DL4J 1.0.0-M2.1's SameDiff integration, in one place: the doubled-gradient fix ({@link
 * org.seq4j.samediff.SameDiffGradientFix}), one graph per sequence length for layers ({@link
 * org.seq4j.samediff.PerLengthSameDiffLayer}) and length-agnostic vertices ({@link
 * org.seq4j.samediff.DynamicSameDiffVertex}). Layers and vertices use these runtimes; they do not patch DL4J themselves.
 */
package org.seq4j.samediff;
