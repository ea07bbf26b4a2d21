/**
 * Sequence data: readers with file:line errors (CSV series, CoNLL, parallel text, corpora), vocabularies, padding,
 * masks and length bucketing, sliding windows, scalers and chronological splits, and seeded synthetic tasks.
 */
package org.seq4j.data;
