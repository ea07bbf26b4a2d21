/** Decoding: picking tokens from a models distributions (greedy, temperature, top-k, top-p). */
package org.seq4j.decode;
