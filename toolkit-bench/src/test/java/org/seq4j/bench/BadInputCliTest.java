package org.seq4j.bench;

import static org.seq4j.bench.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input through the CLI: exit code 2 and a message naming the option, file and line — never a stack trace. */
class BadInputCliTest {

    private static Path conll(Path dir, String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void tagTrainRejectsBadColumnsAndDevFractions(@TempDir Path dir) throws Exception {
        Path two = conll(dir, "two.conll", "The DT\ncat NN\n\nA DT\ndog NN\n\nIt PRP\nran VBD\n");
        Path one = conll(dir, "one.conll", "The\ncat\n\nA\ndog\n\nIt\nran\n");

        CliRun negative = run("tag", "train", "--train", two.toString(), "--dev-fraction", "-0.5", "--out",
                dir.resolve("o1").toString());
        assertThat(negative.code()).isEqualTo(2);
        assertThat(negative.err()).contains("--dev-fraction must be in (0, 1) (got -0.5)").doesNotContain("Exception");

        CliRun zero = run("tag", "train", "--train", two.toString(), "--dev-fraction", "0", "--out",
                dir.resolve("o2").toString());
        assertThat(zero.code()).isEqualTo(2);
        assertThat(zero.err()).contains("--dev-fraction must be in (0, 1) (got 0.0)");

        CliRun tooFew = run("tag", "train", "--train", two.toString(), "--out", dir.resolve("o5").toString());
        assertThat(tooFew.code()).isEqualTo(2);
        assertThat(tooFew.err()).contains("--dev-fraction 0.1 of 3 sentences leaves no dev sentence");

        CliRun column = run("tag", "train", "--train", two.toString(), "--dev", two.toString(), "--label-column", "7",
                "--scheme", "none", "--out", dir.resolve("o3").toString());
        assertThat(column.code()).isEqualTo(2);
        assertThat(column.err()).contains(two + ":1: the sentence has 2 column(s), but this tagger reads column 7")
                .doesNotContain("ArrayIndexOutOfBounds");

        CliRun words = run("tag", "train", "--train", one.toString(), "--dev", one.toString(), "--scheme", "none",
                "--out", dir.resolve("o4").toString());
        assertThat(words.code()).isEqualTo(2);
        assertThat(words.err()).contains(one + ":1: the sentence has 1 column(s), so the tag column (the last, 0) "
                + "is also the token column");
    }

    @Test
    void aDirectoryOrMissingFileIsSaidAsSuch(@TempDir Path dir) {
        CliRun directory = run("forecast", "--data", dir.toString(), "--horizon", "1", "--out",
                dir.resolve("o").toString());
        assertThat(directory.code()).isEqualTo(2);
        assertThat(directory.err()).contains(dir + ": is a directory, expected a CSV file");
        CliRun missing = run("forecast", "--data", dir.resolve("nope.csv").toString(), "--horizon", "1", "--out",
                dir.resolve("o").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.csv: no such file");
    }

    @Test
    void forecastOptionsThatDoNotParseNameTheOption(@TempDir Path dir) {
        String out = dir.resolve("o").toString();
        CliRun quantiles = run("forecast", "--data", "classic:AirPassengers", "--horizon", "12", "--quantiles", "abc",
                "--out", out);
        assertThat(quantiles.code()).isEqualTo(2);
        assertThat(quantiles.err()).contains("--quantiles takes levels in (0, 1) separated by commas, or 'none'; "
                + "got 'abc'").doesNotContain("For input string");
        CliRun strategy = run("forecast", "--data", "classic:AirPassengers", "--horizon", "12", "--strategy", "foo",
                "--out", out);
        assertThat(strategy.code()).isEqualTo(2);
        assertThat(strategy.err()).contains("--strategy must be one of [direct, recursive], got 'foo'")
                .doesNotContain("No enum constant");
        CliRun season = run("forecast", "--data", "classic:AirPassengers", "--horizon", "12", "--season", "0",
                "--out", out);
        assertThat(season.code()).isEqualTo(2);
        assertThat(season.err()).contains("--season must be >= 1 (1 = no seasonality), got 0");
        CliRun stride = run("forecast", "--data", "classic:AirPassengers", "--horizon", "12", "--origin-stride", "0",
                "--out", out);
        assertThat(stride.code()).isEqualTo(2);
        assertThat(stride.err()).contains("--origin-stride must be >= 1, got 0");
        CliRun lr = run("forecast", "--data", "classic:AirPassengers", "--horizon", "12", "--lr", "Infinity",
                "--out", out);
        assertThat(lr.code()).isEqualTo(2);
        assertThat(lr.err()).contains("learningRate must be a finite number > 0, got Infinity");
        // a huge but finite rate: the loss explodes, training stops with a message, not a stack trace or a model
        CliRun huge = run("tag", "train", "--train", "brown:sample", "--scheme", "none", "--output", "softmax",
                "--units", "4", "--word-dim", "4", "--epochs", "1", "--lr", "1e6", "--quiet", "--out", out + "-tag");
        assertThat(huge.code()).isEqualTo(2);
        assertThat(huge.err()).contains("Training diverged").contains("Lower the learning rate")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aConstantSeriesIsForecastWithMaseReportedAsUndefined(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("const.csv");
        StringBuilder sb = new StringBuilder("value\n");
        for (int i = 0; i < 40; i++) {
            sb.append("5\n");
        }
        Files.writeString(f, sb.toString());
        Path out = dir.resolve("o");
        CliRun r = run("forecast", "--data", f.toString(), "--time-column", "none", "--horizon", "4", "--epochs", "2",
                "--units", "4", "--quiet", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(out.resolve("metrics.md"))).contains("undefined");
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(out.resolve("metrics.json").toFile());
        for (com.fasterxml.jackson.databind.JsonNode row : json.get("rows")) {
            assertThat(row.get("mase").isNull()).as(row.toString()).isTrue();
            assertThat(row.get("smape").asDouble()).isFinite();
        }
    }

    @Test
    void sentenceLengthLimitsAreOptionsAndPredictionTakesAnyLength(@TempDir Path dir) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            text.append("The DT\ncat NN\nsat VBD\n\n");
        }
        text.append("A DT\nvery RB\nlong JJ\nsentence NN\nof IN\nseven CD\ntokens NNS\n\n");
        Path train = conll(dir, "train.conll", text.toString());
        CliRun tooLong = run("tag", "train", "--train", train.toString(), "--dev", train.toString(), "--scheme", "none",
                "--max-length", "5", "--out", dir.resolve("o").toString());
        assertThat(tooLong.code()).isEqualTo(2);
        assertThat(tooLong.err()).contains("training data:49: the sentence has 7 tokens, more than the largest length "
                + "bucket (5); raise it (TaggerConfig.withBatches, tag train --max-length)");

        Path model = dir.resolve("model");
        assertThat(run("tag", "train", "--train", train.toString(), "--dev", train.toString(), "--scheme", "none",
                "--output", "softmax", "--units", "4", "--word-dim", "4", "--epochs", "1", "--quiet", "--out",
                model.toString()).code()).isZero();
        Path input = dir.resolve("long.txt");
        Files.writeString(input, "cat\n".repeat(300));
        Path tagged = dir.resolve("tagged.conll");
        assertThat(run("tag", "predict", "--model", model.resolve("model.zip").toString(), "--input", input.toString(),
                "--output", tagged.toString()).code()).isZero();
        assertThat(Files.readAllLines(tagged).stream().filter(l -> !l.isBlank()).count()).isEqualTo(300);
    }
}
