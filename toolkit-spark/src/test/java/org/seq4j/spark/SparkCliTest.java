package org.seq4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.seq4j.bench.Seq4jCli;
import org.seq4j.data.ConllReader.Block;
import org.seq4j.tasks.data.BrownCorpus;
import org.seq4j.tasks.forecast.Forecaster;
import org.seq4j.tasks.tagging.Tagger;
import picocli.CommandLine;

/**
 * {@code seq4j-spark} end to end in local mode: the tagger and the forecaster train from files, write their model
 * (which loads in plain seq4j) and Markdown + JSON reports; a run resumes from its epoch-end checkpoint; bad input
 * exits with code 2, a one-line error naming the file and line, and no model file.
 */
class SparkCliTest {

    /** Runs the command line; {@code err[0]} receives what it printed to stderr. */
    private static int run(String[] err, String... args) {
        StringWriter sw = new StringWriter();
        CommandLine cli = Seq4jCli.handlingErrors(new CommandLine(new SparkCli()));
        cli.setErr(new PrintWriter(sw, true));
        int rc = cli.execute(args);
        err[0] = sw.toString();
        return rc;
    }

    private static String[] tagArgs(Path train, Path dev, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("tag", "train", "--master", "local[2]", "--train", train.toString(),
                "--dev", dev.toString(), "--scheme", "none", "--units", "16", "--word-dim", "16", "--out",
                out.toString(), "--partitions", "3"));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    @Test
    void tagTrainWritesAModelThatLoadsInSeq4jAndResumesFromItsCheckpoint(@TempDir Path dir) throws IOException {
        List<Block> all = BrownCorpus.sample();
        Path train = Files.createDirectory(dir.resolve("train"));
        TestFiles.writeConll(train.resolve("a.conll"), all.subList(0, 150));
        TestFiles.writeConll(train.resolve("b.conll"), all.subList(150, 300));
        Path dev = dir.resolve("dev.conll");
        TestFiles.writeConll(dev, all.subList(900, 950));
        Path out = dir.resolve("out");
        String[] err = new String[1];
        assertThat(run(err, tagArgs(train, dev, out, "--epochs", "2"))).as(err[0]).isZero();
        JsonNode first = new ObjectMapper().readTree(out.resolve("dev-metrics.json").toFile()).get("result");
        assertThat(first.at("/training/epochs").asInt()).isEqualTo(2);
        assertThat(first.at("/score/metrics/accuracy").asDouble()).isBetween(0.0, 100.0);
        assertThat(first.at("/score/items").asInt()).isEqualTo(50);
        Tagger loaded = Tagger.load(out.resolve("model.zip"));
        assertThat(loaded.predict(all.subList(900, 950))).hasSize(50);
        assertThat(Files.isRegularFile(out.resolve("checkpoints/checkpoint.zip"))).isTrue();

        // one more epoch from the checkpoint: the first two epochs' losses are kept, not retrained
        assertThat(run(err, tagArgs(train, dev, out, "--epochs", "3", "--resume"))).as(err[0]).isZero();
        JsonNode resumed = new ObjectMapper().readTree(out.resolve("dev-metrics.json").toFile()).get("result");
        assertThat(resumed.at("/training/epochs").asInt()).isEqualTo(3);
        assertThat(resumed.at("/training/losses").size()).isEqualTo(3);
        assertThat(resumed.at("/training/losses/0").asDouble()).isEqualTo(first.at("/training/losses/0").asDouble());
        assertThat(resumed.at("/training/losses/1").asDouble()).isEqualTo(first.at("/training/losses/1").asDouble());
    }

    @Test
    void aMalformedRecordExitsWithItsFileAndLineAndWritesNoModel(@TempDir Path dir) throws IOException {
        List<Block> all = BrownCorpus.sample();
        Path train = Files.createDirectory(dir.resolve("train"));
        TestFiles.writeConll(train.resolve("a.conll"), all.subList(0, 30));
        Path bad = train.resolve("b.conll");
        Files.writeString(bad, "The at\ndog nn\n\nA at\ncat nn extra\n");
        Path dev = dir.resolve("dev.conll");
        TestFiles.writeConll(dev, all.subList(900, 910));
        Path out = dir.resolve("out");
        String[] err = new String[1];
        assertThat(run(err, tagArgs(train, dev, out, "--epochs", "1"))).isEqualTo(2);
        assertThat(err[0].strip()).isEqualTo("error: " + bad + ":5: expected 2 columns like the first token line, "
                + "got 3: 'cat nn extra'");
        assertThat(out.resolve("model.zip")).doesNotExist();

        assertThat(run(err, tagArgs(dir.resolve("missing"), dev, out, "--epochs", "1"))).isEqualTo(2);
        assertThat(err[0].strip()).isEqualTo("error: " + dir.resolve("missing") + ": no such file or directory");
    }

    @Test
    void forecastTrainsScoresAndWritesAModelThatLoadsInSeq4j(@TempDir Path dir) throws IOException {
        StringBuilder csv = new StringBuilder("series,month,sales\n");
        java.util.Random r = new java.util.Random(4);
        for (int i = 0; i < 12; i++) {
            double level = 20 + 10 * i;
            for (int t = 0; t < 48; t++) {
                double v = level * (1 + 0.2 * Math.sin(2 * Math.PI * t / 12 + i)) * (1 + 0.02 * r.nextGaussian());
                csv.append("s").append(i).append(',').append(t).append(',').append(v).append('\n');
            }
        }
        Files.writeString(dir.resolve("sales.csv"), csv);
        Path out = dir.resolve("out");
        String[] err = new String[1];
        int rc = run(err, "forecast", "--master", "local[2]", "--data", dir.resolve("sales.csv").toString(),
                "--id-column", "series", "--time-column", "month", "--value-column", "sales", "--horizon", "6",
                "--season", "12", "--units", "8", "--epochs", "2", "--out", out.toString());
        assertThat(rc).as(err[0]).isZero();
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertThat(m.get("series").asInt()).isEqualTo(12);
        assertThat(m.get("smape").asDouble()).isBetween(0.0, 200.0);
        assertThat(m.get("epochs").asInt()).isEqualTo(2);
        Forecaster f = Forecaster.load(out.resolve("model.zip"));
        assertThat(f.config().horizon()).isEqualTo(6);
        assertThat(f.config().lookback()).isEqualTo(24);
    }
}
