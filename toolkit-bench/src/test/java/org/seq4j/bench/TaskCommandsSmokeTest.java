package org.seq4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Smoke runs of the task commands: tiny models, few epochs; outputs exist and metrics are finite. */
class TaskCommandsSmokeTest {

    @Test
    void forecastOnABundledSeriesWritesMetricsCsvAndPlot(@TempDir Path dir) throws Exception {
        int code = Seq4jCli.commandLine().execute("forecast", "--data", "classic:AirPassengers", "--horizon", "12",
                "--epochs", "3", "--units", "8", "--quiet", "--out", dir.toString());
        assertThat(code).isZero();
        JsonNode json = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
        assertThat(json.get("season").asInt()).isEqualTo(12);
        for (JsonNode row : json.get("rows")) {
            assertThat(row.get("smape").asDouble()).isFinite().isPositive();
            assertThat(row.get("mase").asDouble()).isFinite().isPositive();
        }
        assertThat(Files.readAllLines(dir.resolve("forecast.csv"))).hasSize(13)
                .first().isEqualTo("time,actual,forecast,lower,upper");
        byte[] png = Files.readAllBytes(dir.resolve("forecast.png"));
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    void forecastReportsABadFileClearly(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "date,value\n2020-01,1\n2020-02,x\n");
        CommandLine cli = Seq4jCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("forecast", "--data", bad.toString(), "--horizon", "1", "--out", dir.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("bad.csv:3: column 'value': expected a number, got 'x'");
    }

    @Test
    void tagTrainEvalPredictOnTheBrownSample(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("tagger");
        int code = Seq4jCli.commandLine().execute("tag", "train", "--train", "brown:sample", "--scheme", "none",
                "--output", "crf", "--units", "8", "--word-dim", "8", "--epochs", "1", "--quiet", "--out",
                model.toString());
        assertThat(code).isZero();
        JsonNode dev = new ObjectMapper().readTree(model.resolve("dev-metrics.json").toFile());
        assertThat(dev.get("tokenAccuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(dev.get("sizes").get("tags").asInt()).isGreaterThan(50);
        assertThat(dev.has("f1")).as("no chunk F1 for plain POS tags").isFalse();

        Path eval = dir.resolve("eval");
        assertThat(Seq4jCli.commandLine().execute("tag", "eval", "--model", model.resolve("model.zip").toString(),
                "--data", "brown:sample", "--out", eval.toString())).isZero();
        String first = Files.readAllLines(eval.resolve("predictions.conll")).get(0);
        assertThat(first.split(" ")).hasSize(3).startsWith("The", "at");

        Path input = dir.resolve("input.conll");
        Files.writeString(input, "The\njury\nsaid\n\nIt\nrained\n");
        Path tagged = dir.resolve("tagged.conll");
        assertThat(Seq4jCli.commandLine().execute("tag", "predict", "--model", model.resolve("model.zip").toString(),
                "--input", input.toString(), "--output", tagged.toString())).isZero();
        List<String> lines = Files.readAllLines(tagged);
        assertThat(lines).hasSize(7);
        assertThat(lines.get(0).split(" ")).hasSize(2).startsWith("The");
        assertThat(lines.get(3)).isEmpty();
    }

    @Test
    void m3OnAMiniatureOfTheM3Files(@TempDir Path dir) throws Exception {
        Path m3 = Path.of(getClass().getResource("/m3-mini/m3_series.csv").toURI()).getParent();
        int code = Seq4jCli.commandLine().execute("m3", "--dir", m3.toString(), "--frequency", "quarterly",
                "--epochs", "2", "--units", "8", "--quiet", "--out", dir.toString());
        assertThat(code).isZero();
        JsonNode json = new ObjectMapper().readTree(dir.resolve("m3-quarterly.json").toFile());
        assertThat(json.get("series").asInt()).isEqualTo(3);
        assertThat(json.get("smapeMase").fieldNames()).toIterable()
                .containsExactly("gru-8", "naive2", "theta", "M3 NAIVE2", "M3 THETA");
        // seq4j's Naive2 is M3's: the same sMAPE and MASE through the same scoring
        JsonNode ours = json.get("smapeMase").get("naive2");
        JsonNode theirs = json.get("smapeMase").get("M3 NAIVE2");
        assertThat(ours.get(0).asDouble()).isCloseTo(theirs.get(0).asDouble(),
                org.assertj.core.api.Assertions.within(1e-3));
        assertThat(ours.get(1).asDouble()).isCloseTo(theirs.get(1).asDouble(),
                org.assertj.core.api.Assertions.within(1e-4));
    }
}
