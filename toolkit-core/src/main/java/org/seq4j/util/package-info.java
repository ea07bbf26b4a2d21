/**
 * Small helpers shared by every package: argument checks with uniform messages ({@link org.seq4j.util.Checks}) and
 * atomic file writes ({@link org.seq4j.util.AtomicFiles}). Nothing model-specific lives here.
 */
package org.seq4j.util;
