package org.seq4j.train;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Properties;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Provenance printed at the top of every report and stored with every checkpoint: the seed and what produced the
 * numbers (seq4j, DL4J and Java versions, the ND4J backend, the OS, the CPU and the OpenMP settings that decide DL4J's
 * speed).
 */
public record RunInfo(long seed, String seq4jVersion, String dl4jVersion, String javaVersion, String backend,
                      String os, String cpu, int cores, String ompNumThreads, String ompWaitPolicy) {

    /** This process's provenance for a run with {@code seed}. */
    public static RunInfo current(long seed) {
        return new RunInfo(seed, version("org/seq4j/version.properties", "seq4j.version"), detectDl4jVersion(),
                System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
                Nd4j.getBackend().getClass().getSimpleName(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                detectCpuModel(), Runtime.getRuntime().availableProcessors(),
                envOr("OMP_NUM_THREADS", "unset"), envOr("OMP_WAIT_POLICY", "unset"));
    }

    /** Markdown lines, one fact per line. */
    public String toMarkdown() {
        return String.format(Locale.ROOT, """
                - seed: %d
                - seq4j %s, DL4J %s, backend %s
                - Java %s
                - %s, %s, %d cores; OMP_NUM_THREADS=%s, OMP_WAIT_POLICY=%s
                """, seed, seq4jVersion, dl4jVersion, backend, javaVersion, os, cpu, cores, ompNumThreads,
                ompWaitPolicy);
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
