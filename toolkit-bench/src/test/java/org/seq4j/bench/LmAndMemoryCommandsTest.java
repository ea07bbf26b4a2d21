package org.seq4j.bench;

import static org.seq4j.bench.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke runs of {@code seq4j lm} and {@code seq4j memory} on a few hundred tokens; bad input gets clear errors. */
class LmAndMemoryCommandsTest {

    private static Path text(Path dir, String name, int sentences, long seed) throws Exception {
        String[] w = {"the cat", "a dog", "sees", "likes", "the ball", "a tree"};
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            sb.append(w[r.nextInt(2)]).append(' ').append(w[2 + r.nextInt(2)]).append(' ').append(w[4 + r.nextInt(2)])
                    .append(" .\n");
        }
        Path f = dir.resolve(name);
        Files.writeString(f, sb.toString());
        return f;
    }

    @Test
    void lmTrainEvalSampleOnAFewHundredTokens(@TempDir Path dir) throws Exception {
        Path train = text(dir, "train.txt", 60, 1);
        Path valid = text(dir, "valid.txt", 15, 2);
        Path out = dir.resolve("lm");
        CliRun t = run("lm", "train", "--train", train.toString(), "--valid", valid.toString(), "--cell", "scrn",
                "--units", "12", "--layers", "1", "--scrn-context", "4", "--embedding", "16", "--tied-embeddings",
                "--bptt", "6", "--batch", "4", "--epochs", "3", "--optimizer", "adam", "--lr", "0.02", "--decay", "1", "--quiet", "--out", out.toString());
        assertThat(t.code()).as(t.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.resolve("valid-metrics.json").toFile());
        double ppl = json.get("perplexity").asDouble();
        assertThat(ppl).isBetween(1.0, 12.0);   // 11 word types + reserved: a trained model beats uniform
        assertThat(json.at("/result/training/validation")).hasSize(3);
        assertThat(json.at("/result/training/losses")).hasSize(3);
        assertThat(json.at("/result/score/metric").asText()).isEqualTo("perplexity");
        assertThat(json.at("/result/score/value").asDouble()).isEqualTo(ppl);
        assertThat(json.at("/result/score/higherIsBetter").asBoolean()).isFalse();
        assertThat(json.get("bitsPerToken").asDouble()).isCloseTo(Math.log(ppl) / Math.log(2),
                org.assertj.core.api.Assertions.within(1e-9));
        assertThat(json.get("runInfo").get("seed").asLong()).isEqualTo(42);
        assertThat(json.at("/result/config/tiedEmbeddings").asBoolean()).isTrue();   // SCRN output 12 + 4 = embedding

        Path logprobs = dir.resolve("lp.tsv");
        CliRun e = run("lm", "eval", "--model", out.resolve("model.zip").toString(), "--text", valid.toString(),
                "--token-logprobs", logprobs.toString(), "--out", dir.resolve("eval").toString());
        assertThat(e.code()).as(e.err()).isZero();
        JsonNode ej = new ObjectMapper().readTree(dir.resolve("eval").resolve("eval-metrics.json").toFile());
        assertThat(ej.get("perplexity").asDouble()).isCloseTo(ppl, org.assertj.core.api.Assertions.within(1e-9));
        List<String> lines = Files.readAllLines(logprobs);
        assertThat(lines.get(0)).isEqualTo("index\ttoken\tlogprob");
        assertThat(lines).hasSize(ej.get("tokens").asInt() + 1);
        double sum = 0;
        for (String l : lines.subList(1, lines.size())) {
            sum -= Double.parseDouble(l.split("\t")[2]);
        }
        assertThat(Math.exp(sum / (lines.size() - 1))).isCloseTo(ppl, org.assertj.core.api.Assertions.within(1e-3));

        CliRun s = run("lm", "sample", "--model", out.resolve("model.zip").toString(), "--prompt", "the cat",
                "--length", "8", "--temperature", "0");
        assertThat(s.code()).as(s.err()).isZero();
        assertThat(s.out().strip()).startsWith("the cat ");
        assertThat(s.out().strip().split("\\s+").length).isGreaterThanOrEqualTo(8);
        CliRun again = run("lm", "sample", "--model", out.resolve("model.zip").toString(), "--prompt", "the cat",
                "--length", "8", "--temperature", "0");
        assertThat(again.out()).isEqualTo(s.out());

        CliRun unknown = run("lm", "sample", "--model", out.resolve("model.zip").toString(), "--prompt", "the zebra");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("'zebra'").contains("closed vocabulary").doesNotContain("Exception");
    }

    @Test
    void lmRejectsBadInputWithTheFileAndValue(@TempDir Path dir) throws Exception {
        Path empty = dir.resolve("empty.txt");
        Files.writeString(empty, "");
        CliRun a = run("lm", "train", "--train", empty.toString(), "--out", dir.resolve("a").toString());
        assertThat(a.code()).isEqualTo(2);
        assertThat(a.err()).contains("empty.txt").contains("empty or blank");

        Path bin = dir.resolve("model.bin");
        Files.write(bin, new byte[] {1, 2, 0, 3, 10});
        CliRun b = run("lm", "train", "--train", bin.toString(), "--level", "char", "--out", dir.resolve("b").toString());
        assertThat(b.code()).isEqualTo(2);
        assertThat(b.err()).contains("model.bin:1").contains("NUL byte");

        CliRun c = run("lm", "train", "--train", "nope.txt", "--out", dir.resolve("c").toString());
        assertThat(c.err()).contains("nope.txt: no such file");

        CliRun d = run("lm", "train", "--train", empty.toString(), "--level", "syllable");
        assertThat(d.err()).contains("--level must be word or char, got 'syllable'");

        CliRun e = run("lm", "eval", "--model", empty.toString(), "--text", empty.toString());
        assertThat(e.code()).isEqualTo(2);
        assertThat(e.err()).contains("language-model file").contains("empty.txt").doesNotContain("Exception");

        Path train = text(dir, "train.txt", 60, 1);
        CliRun f = run("lm", "sample", "--model", dir.resolve("missing.zip").toString());
        assertThat(f.err()).contains("missing.zip does not exist");
        CliRun g = run("lm", "train", "--train", train.toString(), "--resume", "--out", dir.resolve("g").toString());
        assertThat(g.err()).contains("--resume: no checkpoint at");

        CliRun h = run("lm", "train", "--train", train.toString(), "--cell", "lstm", "--activation", "sigmoid");
        assertThat(h.code()).isEqualTo(2);
        assertThat(h.err()).contains("activation sigmoid applies to the srn and jordan cells only")
                .doesNotContain("Exception");
        CliRun i = run("lm", "train", "--train", train.toString(), "--cell", "srn", "--activation", "swish");
        assertThat(i.err()).contains("Unknown activation 'swish'").doesNotContain("Exception");
        CliRun j = run("lm", "train", "--train", train.toString(), "--plateau-restore");
        assertThat(j.code()).isEqualTo(2);
        assertThat(j.err()).contains("--plateau-restore needs --plateau-decay").doesNotContain("Exception");
    }

    @Test
    void lmTrainsMikolovsSigmoidSrnAndStoresItsActivation(@TempDir Path dir) throws Exception {
        Path train = text(dir, "train.txt", 40, 1);
        Path out = dir.resolve("srn");
        CliRun t = run("lm", "train", "--train", train.toString(), "--cell", "srn", "--activation", "sigmoid",
                "--units", "8", "--embedding", "8", "--bptt", "5", "--batch", "2", "--epochs", "2", "--quiet",
                "--plateau-decay", "0.5", "--plateau-restore", "--out", out.toString());
        assertThat(t.code()).as(t.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.resolve("valid-metrics.json").toFile());
        assertThat(json.at("/train/plateauRestore").asBoolean()).isTrue();
        assertThat(json.at("/train/plateauDecay").asDouble()).isEqualTo(0.5);
        assertThat(json.at("/result/config/recurrent/activation").asText()).isEqualTo("sigmoid");
        assertThat(json.at("/result/config/recurrent/cell").asText()).isEqualTo("srn");
    }

    @Test
    void memoryLagWritesAPlotWhoseNumbersShowVanishingGradients(@TempDir Path dir) throws Exception {
        CliRun r = run("memory", "lag", "--cells", "srn,scrn", "--units", "16", "--steps", "30", "--out",
                dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("gradient-lag.png"))).startsWith(0x89, 'P', 'N', 'G');
        JsonNode rel = new ObjectMapper().readTree(dir.resolve("gradient-lag.json").toFile()).get("relativeByLag");
        JsonNode srn = rel.get("srn-16");
        JsonNode scrn = rel.get("scrn-16");
        assertThat(srn).hasSize(30);
        assertThat(srn.get(0).asDouble()).isEqualTo(1.0);
        assertThat(scrn.get(29).asDouble()).isGreaterThan(100 * srn.get(29).asDouble());

        CliRun trained = run("memory", "lag", "--trained", "--smoke-training", "--cells", "lstm", "--units", "8",
                "--steps", "25", "--batch", "8", "--out", dir.resolve("trained").toString());
        assertThat(trained.code()).as(trained.err()).isZero();
        assertThat(trained.out()).contains("trained on the copy-memory task (delay 5, T = 25")
                .contains("| k = 15 |");
        JsonNode lstm = new ObjectMapper().readTree(dir.resolve("trained").resolve("gradient-lag.json").toFile())
                .get("relativeByLag").get("lstm-8");
        assertThat(lstm).hasSize(25);
        assertThat(lstm.get(0).asDouble()).isEqualTo(1.0);

        CliRun copy = run("memory", "copy", "--smoke", "--cells", "lstm", "--out", dir.toString());
        assertThat(copy.code()).as(copy.err()).isZero();
        JsonNode res = new ObjectMapper().readTree(dir.resolve("copy-memory.json").toFile()).get("results").get(0);
        assertThat(res.get("chance").asDouble()).isCloseTo(10 * Math.log(8) / 25,
                org.assertj.core.api.Assertions.within(1e-12));
        assertThat(res.get("testCrossEntropy").asDouble()).isFinite().isPositive();
    }
}
