package org.seq4j.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.seq4j.util.Checks;

/**
 * The Spark settings seq4j's jobs need, in one place: the application name, and for a {@code local[N]} master the
 * loopback address (Spark otherwise binds the driver to the machine's network interface) and no web UI. On a
 * cluster, {@code spark-submit} supplies the master and the rest of the configuration.
 */
public final class SparkSetup {

    private SparkSetup() {
    }

    /**
     * A context for {@code master} ({@code local[2]}, {@code spark://host:7077}, {@code yarn}; null: the one
     * {@code spark-submit} gave through {@code spark.master}).
     */
    public static JavaSparkContext context(String master, String appName) {
        SparkConf conf = new SparkConf().setAppName(appName);
        if (master != null) {
            conf.setMaster(master);
        }
        Checks.require(conf.contains("spark.master"), "no Spark master: give --master (e.g. local[2]) or run the job "
                + "with spark-submit --master ...");
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel("WARN");
        return sc;
    }
}
