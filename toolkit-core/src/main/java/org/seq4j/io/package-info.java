/** File formats for exchanging weights with other frameworks: NumPy {@code .npz} ({@link org.seq4j.io.Npz}). */
package org.seq4j.io;
