package org.seq4j.spark;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.input.PortableDataStream;
import org.seq4j.data.ConllReader;
import org.seq4j.data.CsvTable;
import org.seq4j.data.DataFormatException;
import org.seq4j.data.Series;
import org.seq4j.data.SeriesCsv;
import scala.Tuple2;

/**
 * seq4j's file formats read on Spark's executors, never on the driver: every file under a path (a file or a
 * directory, on any Hadoop filesystem: {@code /local/dir}, {@code file:///...}, {@code hdfs://...}, {@code s3a://...};
 * gzip is detected by its magic bytes), each file parsed by one task with seq4j's own readers, so a malformed record
 * is the same error as on one machine, naming the file and line. Records (sentences, series) are then spread over
 * the partitions; a file is the unit one task reads, so split a large corpus into several files.
 */
public final class SparkInput {

    private SparkInput() {
    }

    /** The CoNLL sentences of every file under {@code path}, as (file, sentence); empty files have none. */
    public static JavaPairRDD<String, ConllReader.Block> conll(JavaSparkContext sc, String path, int minColumns,
                                                              int partitions) {
        String root = requireFiles(sc, path);
        return spread(files(sc, path, partitions).flatMapToPair(f -> {
            List<Tuple2<String, Tuple2<String, ConllReader.Block>>> out = new ArrayList<>();
            try (InputStream in = open(f._2)) {
                if (in == null) {
                    return out.iterator();
                }
                for (ConllReader.Block b : ConllReader.readBlocks(in, name(f._1), minColumns)) {
                    out.add(new Tuple2<>(key(root, f._1, String.format("%012d", b.firstLine())),
                            new Tuple2<>(f._1, b)));
                }
            }
            return out.iterator();
        }), partitions);
    }

    /**
     * The series of every long-format CSV file under {@code path} (columns {@code idColumn}, {@code timeColumn},
     * {@code valueColumn}; rows of a series in increasing time order, as {@link SeriesCsv#readLong}), as
     * (file, series). The rows of one series must be in one file.
     */
    public static JavaPairRDD<String, Series> longSeries(JavaSparkContext sc, String path, String idColumn,
                                                        String timeColumn, String valueColumn, int partitions) {
        String root = requireFiles(sc, path);
        return spread(files(sc, path, partitions).flatMapToPair(f -> {
            List<Tuple2<String, Tuple2<String, Series>>> out = new ArrayList<>();
            try (InputStream in = open(f._2)) {
                if (in == null) {
                    return out.iterator();
                }
                CsvTable t = CsvTable.read(in, name(f._1));
                for (Series s : SeriesCsv.readLong(t, idColumn, timeColumn, valueColumn)) {
                    out.add(new Tuple2<>(key(root, f._1, s.id()), new Tuple2<>(f._1, s)));
                }
            }
            return out.iterator();
        }), partitions);
    }

    /**
     * A record's place: its file relative to the input {@code root} (so the data partitions the same wherever it is
     * stored) and its position or name there.
     */
    private static String key(String root, String file, String within) {
        String relative = file.startsWith(root) ? file.substring(root.length()) : file;
        return relative + '\u0000' + within;
    }

    /**
     * Spreads keyed records over {@code partitions} by the hash of their key, each partition in key order: the same
     * partitions in the same order on every run (Spark's {@code repartition} orders a partition by which shuffle
     * blocks arrive first, so vocabularies' ties and batch order would change from run to run).
     */
    private static <T> JavaPairRDD<String, T> spread(JavaPairRDD<String, Tuple2<String, T>> keyed, int partitions) {
        return keyed.repartitionAndSortWithinPartitions(new HashPartitioner(partitions)).values()
                .mapToPair(t -> t);
    }

    private static JavaPairRDD<String, PortableDataStream> files(JavaSparkContext sc, String path, int partitions) {
        return sc.binaryFiles(path, Math.max(1, partitions));
    }

    /** The file's bytes (decompressed if gzip), or null for an empty file. */
    private static InputStream open(PortableDataStream file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(file.open(), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == -1) {
            in.close();
            return null;
        }
        return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    }

    /** A file's name for errors: the local path for {@code file:} URIs, else the URI. */
    static Path name(String uri) {
        return Path.of(uri.startsWith("file:") ? java.net.URI.create(uri).getPath() : uri);
    }

    /**
     * An error naming {@code path} unless it is a file or a directory with at least one file; the path's fully
     * qualified form (as Spark names the files under it).
     */
    static String requireFiles(JavaSparkContext sc, String path) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
            FileSystem fs = p.getFileSystem(sc.hadoopConfiguration());
            if (!fs.exists(p)) {
                throw new IllegalArgumentException(path + ": no such file or directory");
            }
            String qualified = fs.makeQualified(p).toString();
            if (fs.getFileStatus(p).isDirectory()) {
                for (FileStatus s : fs.listStatus(p)) {
                    if (s.isFile()) {
                        return qualified;
                    }
                }
                throw new IllegalArgumentException(path + ": the directory has no files");
            }
            return qualified;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs a Spark action; a seq4j error raised on an executor (a malformed record: {@link DataFormatException} or
     * another {@link IllegalArgumentException}, naming the file and line) is thrown again here as itself, not inside
     * Spark's "Job aborted due to stage failure" with the executor's stack trace.
     */
    public static <T> T action(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (Exception e) {   // Spark throws its checked SparkException from Scala code
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof IllegalArgumentException || c instanceof UncheckedIOException) {
                    throw (RuntimeException) c;
                }
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("Spark job failed: " + e.getMessage(), e);
        }
    }
}
