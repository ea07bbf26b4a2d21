/**
 * Evaluation measures, each tested against hand-computed values from its published definition: forecasting (MAE,
 * RMSE, MAPE, sMAPE, MASE, OWA), tagging (conlleval chunk F1, token accuracy), translation (BLEU, chrF), language
 * modelling (cross-entropy, perplexity, bits per token).
 */
package org.seq4j.metrics;
