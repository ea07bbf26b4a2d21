package org.seq4j.train;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Properties;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Provenance printed at the top of every report and stored with every checkpoint: the seed and what produced the
 * numbers (seq4j, DL4J and Java versions, the ND4J backend, the OS, the CPU and the OpenMP settings that decide DL4J's
 * speed, and the OpenBLAS core type with a measured sgemm rate, which decide the speed of every matrix product).
 */
public record RunInfo(long seed, String seq4jVersion, String dl4jVersion, String javaVersion, String backend,
                      String os, String cpu, int cores, String ompNumThreads, String ompWaitPolicy,
                      String openblasCoreType, double sgemmGflops) {

    /** This process's provenance for a run with {@code seed}. */
    public static RunInfo current(long seed) {
        return new RunInfo(seed, version("org/seq4j/version.properties", "seq4j.version"), detectDl4jVersion(),
                System.getProperty("java.version") + " (" + System.getProperty("java.vm.name")
                        + (org.seq4j.core.SoftmaxOutput.vectorised() ? ", Vector API on" : ", Vector API off") + ")",
                Nd4j.getBackend().getClass().getSimpleName(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                detectCpuModel(), Runtime.getRuntime().availableProcessors(),
                envOr("OMP_NUM_THREADS", "unset"), envOr("OMP_WAIT_POLICY", "unset"),
                envOr("OPENBLAS_CORETYPE", "unset"), measureSgemm());
    }

    private static volatile double measuredGflops = Double.NaN;

    /**
     * A short sgemm timing (512³, best of 8, on ND4J's OpenBLAS and this process's thread settings): tells an
     * OpenBLAS that fell back to its generic kernels (about 24 GFLOP/s on one core of the machines seq4j is measured
     * on) from one that runs its tuned kernels (65-120); see docs/backends.md. Measured once per process.
     */
    public static double measureSgemm() {
        double g = measuredGflops;
        if (Double.isNaN(g)) {
            try {
                INDArray a = Nd4j.rand(DataType.FLOAT, 512, 512);
                INDArray b = Nd4j.rand(DataType.FLOAT, 512, 512);
                INDArray c = Nd4j.create(DataType.FLOAT, 512, 512);
                long best = Long.MAX_VALUE;
                for (int i = 0; i < 8; i++) {
                    long t = System.nanoTime();
                    a.mmuli(b, c);
                    best = Math.min(best, System.nanoTime() - t);
                }
                g = Math.round(2.0 * 512 * 512 * 512 / best * 10) / 10.0;
            } catch (RuntimeException e) {
                g = -1;
            }
            measuredGflops = g;
        }
        return g;
    }

    /** Markdown lines, one fact per line. */
    public String toMarkdown() {
        return String.format(Locale.ROOT, """
                - seed: %d
                - seq4j %s, DL4J %s, backend %s
                - Java %s
                - %s, %s, %d cores; OMP_NUM_THREADS=%s, OMP_WAIT_POLICY=%s
                - OpenBLAS: OPENBLAS_CORETYPE=%s, sgemm 512³ %.1f GFLOP/s
                """, seed, seq4jVersion, dl4jVersion, backend, javaVersion, os, cpu, cores, ompNumThreads,
                ompWaitPolicy, openblasCoreType, sgemmGflops);
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null ? fallback : v;
    }

    private static String detectDl4jVersion() {
        Package p = org.deeplearning4j.nn.graph.ComputationGraph.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v != null ? v : version("META-INF/maven/org.deeplearning4j/deeplearning4j-nn/pom.properties", "version");
    }

    private static String version(String resource, String key) {
        try (InputStream in = RunInfo.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty(key, "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String detectCpuModel() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }
}
