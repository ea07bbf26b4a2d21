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
        // the typed result: the network's row (first), OWA against the naive2 row, 3 epochs of training
        JsonNode net = json.get("rows").get(0);
        JsonNode naive2 = java.util.stream.StreamSupport.stream(json.get("rows").spliterator(), false)
                .filter(r -> r.get("method").asText().equals("naive2")).findFirst().orElseThrow();
        assertThat(json.at("/result/model").asText()).isEqualTo(net.get("method").asText()).isEqualTo("gru-8");
        assertThat(json.at("/result/score/metric").asText()).isEqualTo("smape");
        assertThat(json.at("/result/score/value").asDouble()).isEqualTo(net.get("smape").asDouble());
        assertThat(json.at("/result/score/metrics/owa").asDouble()).isCloseTo(0.5 * (net.get("smape").asDouble()
                / naive2.get("smape").asDouble() + net.get("mase").asDouble() / naive2.get("mase").asDouble()),
                org.assertj.core.api.Assertions.within(1e-12));
        assertThat(json.at("/result/training/losses")).hasSize(3);
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
        org.seq4j.tasks.tagging.TaggerConfig pos = org.seq4j.tasks.tagging.Tagger.load(model.resolve("model.zip"))
                .config();
        assertThat(pos.charCnn()).as("plain tags: no char CNN by default").isFalse();
        assertThat(pos.casing()).as("... and the casing class instead").isTrue();

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

    /** Synthetic chunking data, {@code word POS chunk}: noun phrases with optional adjectives, verbs between. */
    private static String chunkData(int sentences, long seed, boolean iobes) {
        java.util.Random r = new java.util.Random(seed);
        String[][] words = {{"the", "a"}, {"big", "red"}, {"cat", "dog"}, {"sees", "likes"}};
        StringBuilder sb = new StringBuilder();
        for (int s = 0; s < sentences; s++) {
            for (int p = 0, n = 1 + r.nextInt(3); p < n; p++) {
                boolean adjective = r.nextBoolean();
                sb.append(words[0][r.nextInt(2)]).append(" DT B-NP\n");
                if (adjective) {
                    sb.append(words[1][r.nextInt(2)]).append(" JJ I-NP\n");
                }
                sb.append(words[2][r.nextInt(2)]).append(iobes ? " NN E-NP\n" : " NN I-NP\n");
                if (p < n - 1) {
                    sb.append(words[3][r.nextInt(2)]).append(iobes ? " VB S-VP\n" : " VB B-VP\n");
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * Chunking end to end: a chunker on IOBES data writes conlleval's BIO (and its F1 from that file equals the
     * reported one); raw text is split into tokens and its POS column filled by a POS tagger; raw text for a model that
     * needs a feature column, without a feature tagger, is refused with the reason.
     */
    @Test
    void tagChunkingIobesEvalAndRawTextWithAFeatureTagger(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("chunks.txt");
        Files.writeString(data, chunkData(120, 1, true));
        Path chunker = dir.resolve("chunker");
        assertThat(Seq4jCli.commandLine().execute("tag", "train", "--train", data.toString(), "--scheme", "iobes",
                "--feature-columns", "1", "--units", "8", "--word-dim", "8", "--epochs", "2", "--lr", "0.02",
                "--quiet", "--out", chunker.toString())).isZero();
        org.seq4j.tasks.tagging.TaggerConfig chunks = org.seq4j.tasks.tagging.Tagger.load(
                chunker.resolve("model.zip")).config();
        assertThat(chunks.charCnn()).as("chunk tags: the char CNN by default").isTrue();
        assertThat(chunks.casing()).as("... which sees the case itself").isFalse();
        Path eval = dir.resolve("eval");
        assertThat(Seq4jCli.commandLine().execute("tag", "eval", "--model", chunker.resolve("model.zip").toString(),
                "--data", data.toString(), "--out", eval.toString())).isZero();
        List<String> conll = Files.readAllLines(eval.resolve("predictions.conll"));
        assertThat(String.join("\n", conll)).doesNotContain(" S-").doesNotContain(" E-").contains(" B-VP ");
        // the file, scored in BIO, gives the reported F1 (conlleval reads the same file)
        java.util.List<java.util.List<String>> gold = new java.util.ArrayList<>();
        java.util.List<java.util.List<String>> guess = new java.util.ArrayList<>();
        java.util.List<String> g = new java.util.ArrayList<>();
        java.util.List<String> p = new java.util.ArrayList<>();
        for (String line : conll) {
            if (line.isEmpty()) {
                gold.add(g);
                guess.add(p);
                g = new java.util.ArrayList<>();
                p = new java.util.ArrayList<>();
            } else {
                String[] f = line.split(" ");
                g.add(f[1]);
                p.add(f[2]);
            }
        }
        double f1 = org.seq4j.metrics.ChunkEvaluation.evaluate(gold, guess, org.seq4j.metrics.ChunkEvaluation.Scheme.BIO)
                .overall().f1();
        assertThat(new ObjectMapper().readTree(eval.resolve("metrics.json").toFile()).get("f1").asDouble())
                .isCloseTo(f1, org.assertj.core.api.Assertions.within(1e-12));

        Path pos = dir.resolve("pos");
        assertThat(Seq4jCli.commandLine().execute("tag", "train", "--train", data.toString(), "--label-column", "1",
                "--scheme", "none", "--units", "8", "--word-dim", "8", "--epochs", "2", "--lr", "0.02", "--quiet",
                "--out", pos.toString())).isZero();
        Path text = dir.resolve("raw.txt");
        Files.writeString(text, "The big cat sees a dog.\n\nA red dog likes the cat\n");
        Path tagged = dir.resolve("tagged.conll");
        assertThat(Seq4jCli.commandLine().execute("tag", "predict", "--model", chunker.resolve("model.zip").toString(),
                "--input", text.toString(), "--format", "text", "--feature-tagger", pos.resolve("model.zip").toString(),
                "--output", tagged.toString())).isZero();
        List<String> lines = Files.readAllLines(tagged);
        assertThat(lines).hasSize(7 + 1 + 6 + 1);
        assertThat(lines).extracting(l -> l.isEmpty() ? "" : l.split(" ")[0]).containsExactly("The", "big", "cat",
                "sees", "a", "dog", ".", "", "A", "red", "dog", "likes", "the", "cat", "");
        assertThat(lines.get(0).split(" ")).hasSize(3);

        CommandLine cli = Seq4jCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("tag", "predict", "--model", chunker.resolve("model.zip").toString(), "--input",
                text.toString(), "--format", "text")).isEqualTo(2);
        assertThat(err.toString()).contains("raw.txt has only words, and this model reads 1 feature column(s) [1]");
    }

    /**
     * The options tag-ablation.sh turns (the bench scenario's smoke version): word2vec vectors of --word-dim values
     * start the embeddings, BIO encoding, no char CNN, no dropout, constant Nesterov SGD, a random dev split, words in
     * lower case with their casing classes; the report states them and the model file keeps them.
     */
    @Test
    void tagTrainWithTheAblationOptions(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("chunks.txt");
        Files.writeString(data, chunkData(150, 2, false));
        Path unlabelled = dir.resolve("raw.txt");
        Files.writeString(unlabelled, "The giraffe sees the cat .\nA giraffe likes the dog .\n");
        Path out = dir.resolve("ablation");
        assertThat(Seq4jCli.commandLine().execute("tag", "train", "--train", data.toString(), "--feature-columns", "1",
                "--units", "8", "--word-dim", "6", "--epochs", "1", "--word2vec", "--word2vec-epochs", "2",
                "--unlabelled-text", unlabelled.toString(),
                "--tag-encoding", "bio", "--no-char-cnn", "--dropout", "0", "--output-dropout", "0", "--word-dropout",
                "0", "--optimizer", "nesterov", "--lr", "0.01", "--lr-decay", "0", "--shuffle-split", "--lowercase",
                "--casing", "--locked-dropout", "--quiet", "--out", out.toString())).isZero();
        List<String> vectors = Files.readAllLines(out.resolve("word2vec.txt"));
        assertThat(vectors).isNotEmpty().allSatisfy(l -> assertThat(l.split(" ")).hasSize(1 + 6));
        assertThat(vectors).extracting(l -> l.split(" ")[0]).contains("the", "cat", "sees");
        String report = Files.readString(out.resolve("dev-metrics.md"));
        assertThat(report).contains("crf output, words in lower case, casing classes, tags learned in BIO, word "
                + "vectors from " + out.resolve("word2vec.txt")
                + ";").doesNotContain("char CNN")
                .contains("dropout 0.0 (input, locked), 0.0 (output), 0.0 (words); NESTEROV lr 0.01, decay 0.0");
        org.seq4j.tasks.tagging.Tagger model = org.seq4j.tasks.tagging.Tagger.load(out.resolve("model.zip"));
        org.seq4j.tasks.tagging.TaggerConfig saved = model.config();
        assertThat(model.vocabularies().get("words").split("\n")).as("a word of the unlabelled text only, with a "
                + "vector").contains("giraffe");
        assertThat(saved.encoding()).isEqualTo(org.seq4j.metrics.ChunkEvaluation.Scheme.BIO);
        assertThat(saved.charCnn()).isFalse();
        assertThat(saved.lowercase()).isTrue();
        assertThat(saved.casing()).isTrue();
        assertThat(saved.encoder().lockedDropout()).isTrue();
        assertThat(saved.dropout()).isEqualTo(org.seq4j.tasks.tagging.TaggerConfig.Dropout.NONE);
        assertThat(saved.embeddings()).isEqualTo(out.resolve("word2vec.txt"));
        assertThat(saved.train().optimizer()).isEqualTo(org.seq4j.train.TrainConfig.Optimizer.NESTEROV);
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

        Path d = dir.resolve("deseasonalized");
        assertThat(Seq4jCli.commandLine().execute("m3", "--dir", m3.toString(), "--frequency", "quarterly",
                "--epochs", "2", "--units", "8", "--deseasonalize", "--combine", "theta,m4-damped", "--quiet",
                "--out", d.toString())).isZero();
        JsonNode dj = new ObjectMapper().readTree(d.resolve("m3-quarterly.json").toFile());
        assertThat(dj.get("smapeMase").fieldNames().next())
                .isEqualTo("mean of gru-8 (deseasonalised), theta, m4-damped");
        assertThat(dj.at("/result/config/deseasonalized/season").asInt()).isEqualTo(4);
        assertThat(dj.at("/result/config/combination/methods/1").asText()).isEqualTo("m4-damped");
        assertThat(Seq4jCli.commandLine().execute("m3", "--dir", m3.toString(), "--frequency", "quarterly",
                "--combine", "prophet", "--quiet", "--out", d.toString())).isNotZero();
    }

    @Test
    void m4OnMiniatureM4FilesWritesTheTableAndM4FormatForecasts(@TempDir Path dir) throws Exception {
        StringBuilder train = new StringBuilder("\"V1\"");
        for (int i = 2; i <= 81; i++) {
            train.append(",\"V").append(i).append('"');
        }
        StringBuilder test = new StringBuilder("\"V1\"");
        for (int i = 2; i <= 14; i++) {
            test.append(",\"V").append(i).append('"');
        }
        java.util.Random r = new java.util.Random(3);
        for (int s = 1; s <= 4; s++) {
            int n = 60 + 5 * s;   // ragged rows, padded with empty cells to 80 values
            train.append("\n\"W").append(s).append('"');
            test.append("\n\"W").append(s).append('"');
            double level = 100 * s;
            for (int t = 0; t < n + 13; t++) {
                level += r.nextGaussian() + 0.5;
                (t < n ? train : test).append(",\"").append(String.format(java.util.Locale.ROOT, "%.3f", level))
                        .append('"');
            }
            train.append(",\"\"".repeat(80 - n));
        }
        Path tr = Files.writeString(dir.resolve("Weekly-train.csv"), train + "\n");
        Path te = Files.writeString(dir.resolve("Weekly-test.csv"), test + "\n");
        Path out = dir.resolve("o");
        int code = Seq4jCli.commandLine().execute("m4", "--train", tr.toString(), "--test", te.toString(),
                "--frequency", "weekly", "--epochs", "1", "--units", "4", "--ensemble", "3", "--quiet", "--out",
                out.toString());
        assertThat(code).isZero();
        JsonNode json = new ObjectMapper().readTree(out.resolve("m4-weekly.json").toFile());
        assertThat(json.at("/result/config/members")).hasSize(3);   // seeds 42, 43, 44, the median forecast
        assertThat(json.at("/result/config/members/2/train/seed").asLong()).isEqualTo(44);
        assertThat(json.get("smapeMase").fieldNames()).toIterable().containsExactly("median of 3 × gru-4", "naive",
                "snaive",
                "naive2", "m4-ses", "m4-holt", "m4-damped", "theta", "m4-comb");
        assertThat(json.at("/result/score/metrics/owa").isNumber()).isTrue();
        java.util.List<String> csv = Files.readAllLines(out.resolve("m4-weekly-forecasts.csv"));
        assertThat(csv).hasSize(5);
        assertThat(csv.get(0)).startsWith("id,F1,F2").endsWith(",F13");
        assertThat(csv.get(1).split(",")).hasSize(14);
        assertThat(csv.get(1)).startsWith("W1,");
    }
}
