package org.seq4j.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.metrics.Bleu;
import org.seq4j.metrics.ChrF;

/** Smoke runs of {@code seq4j translate}: train on a synthetic task, evaluate, translate stdin, score files. */
class TranslateCommandTest {

    private static CliRun run(String stdin, String... args) {
        return CliRun.withStdin(stdin, args);
    }

    @Test
    void trainEvalTranslateAndScore(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("tr");
        CliRun t = run("", "translate", "train", "--train", "synthetic:reverse:600", "--valid-size", "40", "--test-size",
                "60", "--encoder-units", "24", "--decoder-units", "48", "--embedding", "16", "--dropout", "0",
                "--batch", "32", "--epochs", "3", "--lr", "0.01", "--beam", "3", "--heatmaps", "1", "--quiet",
                "--attention-flow", "input-feeding", "--out", out.toString());
        assertThat(t.code()).as(t.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.resolve("test-metrics.json").toFile());
        assertThat(json.at("/result/training/losses")).hasSize(3);
        assertThat(json.at("/result/training/validation")).hasSize(3);
        assertThat(json.get("diagnostics")).hasSize(3);
        assertThat(json.get("trainPairs").asInt()).isEqualTo(500);
        assertThat(json.at("/result/config/flow").asText()).isEqualTo("INPUT_FEEDING");
        assertThat(json.get("runInfo").get("seed").asLong()).isEqualTo(42);
        double bleu = json.get("test").get("beam").get("bleu").asDouble();
        assertThat(json.at("/result/score/value").asDouble()).isEqualTo(bleu);   // scored with the beam asked for
        assertThat(json.at("/result/score/items").asInt()).isEqualTo(60);
        assertThat(bleu).isBetween(0.0, 100.0);
        assertThat(json.get("bleuByLength")).hasSize(3);
        List<String> hyps = Files.readAllLines(out.resolve("test.hyp.txt"));
        assertThat(hyps).hasSize(60);
        assertThat(out.resolve("attention-1.png")).isNotEmptyFile();
        assertThat(out.resolve("bleu-by-length.png")).isNotEmptyFile();
        String md = Files.readString(out.resolve("test-metrics.md"));
        assertThat(md).contains("valid teacher-forced accuracy").contains("beam 3, average");

        // eval on the same synthetic test pairs (the split uses the run's seed, eval its own): a fresh set
        CliRun e = run("", "translate", "eval", "--model", out.resolve("model.zip").toString(), "--test",
                "synthetic:reverse:50", "--beam", "1", "--out", dir.resolve("eval").toString());
        assertThat(e.code()).as(e.err()).isZero();
        JsonNode ej = new ObjectMapper().readTree(dir.resolve("eval").resolve("eval-metrics.json").toFile());
        List<String> evalHyps = Files.readAllLines(dir.resolve("eval").resolve("eval.hyp.txt"));
        assertThat(evalHyps).hasSize(50);

        // stdin → stdout, one line per line, an empty line kept empty
        CliRun tr = run("a b c\n\nj i h g\n", "translate", "translate", "--model", out.resolve("model.zip").toString(),
                "--beam", "2");
        assertThat(tr.code()).as(tr.err()).isZero();
        String[] lines = tr.out().split("\n", -1);
        assertThat(lines).hasSize(4);   // three lines and the final newline
        assertThat(lines[1]).isEmpty();
        CliRun nbest = run("a b c\n", "translate", "translate", "--model", out.resolve("model.zip").toString(),
                "--beam", "3", "--n-best", "2");
        assertThat(nbest.code()).as(nbest.err()).isZero();
        assertThat(nbest.out().split("\n")).hasSize(2).allMatch(l -> l.matches("0 \\|\\|\\| .* \\|\\|\\| -?[0-9.]+"));

        // score: the eval outputs against the references, as sacreBLEU would
        Path hyp = dir.resolve("eval").resolve("eval.hyp.txt");
        List<String> refs = org.seq4j.tasks.translate.SyntheticPairs.reverse(50, 10, 3, 12, 7).stream()
                .map(p -> p.target()).toList();
        Path ref = dir.resolve("ref.txt");
        Files.writeString(ref, String.join("\n", refs) + "\n");
        CliRun s = run("", "translate", "score", "--hyp", hyp.toString(), "--ref", ref.toString());
        assertThat(s.code()).as(s.err()).isZero();
        double printed = Double.parseDouble(s.out().lines().findFirst().orElseThrow().split(" = ")[1].split(" ")[0]);
        assertThat(printed).isCloseTo(Bleu.corpus(evalHyps, refs).score(), within(1e-9));
        assertThat(printed).isCloseTo(ej.get("test").get("bleu").asDouble(), within(1e-9));
        assertThat(s.out()).contains("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:seq4j")
                .contains("chrF2|").contains("chrF2++|");
        assertThat(Double.parseDouble(s.out().lines().skip(1).findFirst().orElseThrow().split(" = ")[1]))
                .isCloseTo(ChrF.corpus(evalHyps, refs), within(1e-9));
    }

    @Test
    void badInputGetsClearErrors(@TempDir Path dir) throws Exception {
        Path tsv = dir.resolve("pairs.tsv");
        Files.writeString(tsv, "de\ten\nHallo Welt\tHello world\nEine Zeile ohne Tab\n");
        CliRun r = run("", "translate", "train", "--train", tsv.toString(), "--quiet", "--out", dir.resolve("o").toString());
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("pairs.tsv:3").contains("expected at least 2 tab-separated columns");
        CliRun bad = run("", "translate", "train", "--train", "synthetic:poems", "--out", dir.resolve("o").toString());
        assertThat(bad.err()).contains("unknown synthetic task 'poems'");
        Path hyp = dir.resolve("h.txt");
        Files.writeString(hyp, "a\nb\n");
        Path ref = dir.resolve("r.txt");
        Files.writeString(ref, "a\n");
        CliRun s = run("", "translate", "score", "--hyp", hyp.toString(), "--ref", ref.toString());
        assertThat(s.code()).isNotZero();
        assertThat(s.err()).contains("r.txt has 1 lines but").contains("h.txt has 2");
        CliRun att = run("", "translate", "train", "--train", "synthetic:copy:50", "--attention", "cosine",
                "--out", dir.resolve("o").toString());
        assertThat(att.err()).contains("expected none, bahdanau, dot or general");
        CliRun flow = run("", "translate", "train", "--train", "synthetic:copy:50", "--attention-flow", "sideways",
                "--out", dir.resolve("o").toString());
        assertThat(flow.code()).isNotZero();
        assertThat(flow.err()).contains("expected output, input-feeding or bahdanau");
    }
}
