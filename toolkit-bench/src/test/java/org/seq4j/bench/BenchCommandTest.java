package org.seq4j.bench;

import static org.seq4j.bench.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.bench.runner.BenchReport;
import org.seq4j.bench.runner.BenchRunner;
import org.seq4j.bench.runner.Suite;

/** {@code seq4j bench} on the bundled smoke suite: every task runs, the report's numbers are the runs', caching. */
class BenchCommandTest {

    @TempDir
    static Path out;

    private static CliRun smoke;

    @BeforeAll
    static void runTheSmokeSuite() {
        smoke = run("bench", "--suite", "smoke", "--out", out.toString());
    }

    private static JsonNode json(Path p) throws Exception {
        return new ObjectMapper().readTree(p.toFile());
    }

    private static Map<String, List<JsonNode>> runsByScenarioAndVariant() throws Exception {
        Map<String, List<JsonNode>> m = new HashMap<>();
        try (Stream<Path> files = Files.list(out.resolve("runs"))) {
            for (Path f : files.toList()) {
                JsonNode r = json(f);
                m.computeIfAbsent(r.get("scenario").asText() + "/" + r.get("variant").asText(),
                        k -> new ArrayList<>()).add(r);
            }
        }
        return m;
    }

    @Test
    void everyScenarioRunsAndTheReportHoldsTheRunsMeanAndSpread() throws Exception {
        assertThat(smoke.code()).as(smoke.err()).isZero();
        assertThat(smoke.out()).contains("36 runs: 36 run now, 0 cached, 0 skipped (no data), 0 failed");
        JsonNode report = json(out.resolve("report.json"));
        assertThat(report.get("scenarios")).hasSize(6);
        Map<String, List<JsonNode>> runs = runsByScenarioAndVariant();
        int variants = 0;
        for (JsonNode s : report.get("scenarios")) {
            assertThat(s.get("notDone")).isEmpty();
            for (JsonNode v : s.get("variants")) {
                variants++;
                List<JsonNode> mine = runs.get(s.get("name").asText() + "/" + v.get("label").asText());
                assertThat(mine).as(v.get("label").asText()).hasSize(2);
                double a = mine.get(0).at("/result/score/value").asDouble();
                double b = mine.get(1).at("/result/score/value").asDouble();
                assertThat(v.get("mean").asDouble()).isCloseTo((a + b) / 2, within(1e-12));
                assertThat(v.get("sd").asDouble()).isCloseTo(Math.abs(a - b) / Math.sqrt(2), within(1e-12));
                long p0 = mine.get(0).at("/result/parameters").asLong();
                long p1 = mine.get(1).at("/result/parameters").asLong();
                assertThat(v.get("parameters").asLong()).isEqualTo(Math.min(p0, p1)).isPositive();
                assertThat(v.get("parametersMax").asLong()).isEqualTo(Math.max(p0, p1));
            }
            // the best variant is the one with the best mean in the metric's direction
            boolean higher = s.get("higherIsBetter").asBoolean();
            double best = Double.NaN;
            String bestLabel = null;
            for (JsonNode v : s.get("variants")) {
                double m = v.get("mean").asDouble();
                if (bestLabel == null || (higher ? m > best : m < best)) {
                    best = m;
                    bestLabel = v.get("label").asText();
                }
            }
            assertThat(s.get("best").asText()).isEqualTo(bestLabel);
            for (JsonNode c : s.get("charts")) {
                assertThat(Files.readString(out.resolve(c.asText()))).startsWith("<?xml").contains("<svg")
                        .contains("<path");
            }
        }
        assertThat(variants).isEqualTo(18);
        // exact baselines next to the models: predicting the training mean on the adding problem (about 1/6), chance
        // on the copy task (10·ln 8 / (delay + 20) with delay 3), Naive2 and Theta for the forecasts
        JsonNode adding = report.get("scenarios").get(0);
        assertThat(adding.at("/baselines/predict the training mean").asDouble()).isBetween(0.1, 0.25);
        assertThat(report.get("scenarios").get(1).at("/baselines").elements().next().asDouble())
                .isCloseTo(10 * Math.log(8) / 23, within(1e-12));
        assertThat(report.get("scenarios").get(4).get("baselines").has("naive2")).isTrue();
        String md = Files.readString(out.resolve("report.md"));
        assertThat(md).contains("## Adding problem (T = 8)", "| variant | mse ↓ | per seed |",
                "![Gradient norm", "Baselines (mse, mean over seeds): predict the training mean");
    }

    @Test
    void theSameDiffScrnGivesTheCoreScrnsNumbersAtItsOwnSpeed() throws Exception {
        JsonNode adding = json(out.resolve("report.json")).get("scenarios").get(0);
        JsonNode core = null;
        JsonNode sameDiff = null;
        for (JsonNode v : adding.get("variants")) {
            if (v.get("label").asText().equals("scrn-8 context=4")) {
                core = v;
            } else if (v.get("label").asText().equals("scrn-8 SameDiff")) {
                sameDiff = v;
            }
        }
        assertThat(core).isNotNull();
        assertThat(sameDiff).isNotNull();
        for (int i = 0; i < 2; i++) {
            assertThat(sameDiff.get("values").get(i).asDouble()).isCloseTo(core.get("values").get(i).asDouble(),
                    within(1e-4));
        }
        assertThat(sameDiff.get("parameters").asLong()).isEqualTo(core.get("parameters").asLong());
    }

    @Test
    void aSecondRunReadsTheCacheAndRecomputesOnlyWhatIsMissingBitForBit() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(out.resolve("runs"))) {
            files = s.sorted().toList();
        }
        Map<Path, Double> removed = new HashMap<>();
        for (Path f : List.of(files.get(0), files.get(7), files.get(19))) {
            removed.put(f, json(f).at("/result/score/value").asDouble());
            Files.delete(f);
        }
        CliRun again = run("bench", "--suite", "smoke", "--out", out.toString());
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("36 runs: 3 run now, 33 cached, 0 skipped (no data), 0 failed");
        for (Map.Entry<Path, Double> e : removed.entrySet()) {
            assertThat(json(e.getKey()).at("/result/score/value").asDouble()).isEqualTo(e.getValue());
        }
    }

    @Test
    void missingDataIsSkippedAndNamedAndSuiteMistakesAreClear(@TempDir Path dir) throws Exception {
        Path suite = dir.resolve("s.json");
        Files.writeString(suite, """
                {"name": "t", "seeds": [1], "scenarios": [
                  {"name": "ptb", "task": "lm", "dataset": "${data}/ptb/ptb.train.txt", "options": {"epochs": 1},
                   "variants": [{"cell": "lstm", "units": 4}]}]}""");
        CliRun r = run("bench", "--suite", suite.toString(), "--out", dir.resolve("o").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("1 runs: 0 run now, 0 cached, 1 skipped (no data), 0 failed");
        assertThat(json(dir.resolve("o/report.json")).at("/scenarios/0/notDone/0").asText())
                .contains("lstm-4, seed 1: skipped", "${data}/ptb/ptb.train.txt is not there (give --data-dir)");

        Files.writeString(suite, """
                {"name": "t", "seeds": [1], "scenarios": [
                  {"name": "a", "task": "adding", "dataset": "synthetic", "options": {"epoch": 1},
                   "variants": [{"cell": "lstm", "units": 4}]}]}""");
        CliRun typo = run("bench", "--suite", suite.toString(), "--out", dir.resolve("o2").toString());
        assertThat(typo.code()).isEqualTo(2);   // refused before anything runs
        assertThat(typo.err()).contains("scenario a, options: unknown option(s) [epoch] for task 'adding'", "epochs");
        assertThat(dir.resolve("o2").resolve("runs")).doesNotExist();

        Files.writeString(suite, "{\"name\": \"t\", \"seeds\": [1], \"scenarios\": [{\"name\": \"a\", \"task\": "
                + "\"sort\", \"dataset\": \"x\", \"variants\": [{}]}]}");
        CliRun task = run("bench", "--suite", suite.toString(), "--out", dir.resolve("o3").toString());
        assertThat(task.code()).isEqualTo(2);
        assertThat(task.err()).contains(suite.toString(), "unknown task 'sort'", "translate");

        Files.writeString(suite, "{\"name\": \"t\",\n \"seeds\": [1,]}");
        CliRun broken = run("bench", "--suite", suite.toString(), "--out", dir.resolve("o4").toString());
        assertThat(broken.code()).isEqualTo(2);
        assertThat(broken.err()).contains(suite.toString(), "not a valid suite (line 2");
        assertThat(run("bench", "--suite", "nosuch").err()).contains("--suite nosuch: not a bundled suite "
                + "[default, full, smoke] and no such file");
    }

    @Test
    void theBundledSuitesAreWellFormed() {
        Suite d = Suite.load("default");
        assertThat(d.scenarios()).extracting(Suite.Scenario::task)
                .containsExactly("adding", "adding", "copy-memory", "lm", "tag", "forecast", "translate");
        assertThat(d.runs()).hasSize(90);
        assertThat(d.scenarios()).allSatisfy(s -> assertThat(s.dataset()).doesNotContain("${data}"));
        Suite full = Suite.load("full");
        assertThat(full.scenarios()).filteredOn(s -> s.dataset().contains("${data}")).hasSize(4);
        // every option of every run of every bundled suite is one its task reads (nothing runs)
        for (String name : List.of("smoke", "default", "full")) {
            new BenchRunner(out.resolve("check"), Path.of("..", "..", "shared", "data")).check(Suite.load(name));
        }
        assertThatThrownBy(() -> Suite.load("default").only(List.of("adding", "nope")))
                .hasMessageContaining("no scenario named [nope]");
    }

    // ---- the HTML report, as a person sees it: in a browser ----------------------------------------------------------

    private static final String CHROMIUM = "/usr/bin/chromium";

    /** The DOM after the page's scripts ran, and the browser's log. */
    private static String[] render(Path html) throws Exception {
        Path profile = Files.createTempDirectory("seq4j-chromium");
        Process p = new ProcessBuilder(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", "--dump-dom",
                html.toUri().toString()).redirectError(profile.resolve("log").toFile()).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new String[] {dom, Files.readString(profile.resolve("log"))};
    }

    private static List<String> consoleMessages(String log) {
        return log.lines().filter(l -> l.contains(":CONSOLE")).toList();
    }

    @Test
    void theHtmlReportDrawsEveryChartWithoutErrorsAndShowsTheJsonsNumbers() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(CHROMIUM)), "headless Chromium is needed to check the "
                + "HTML report: install Debian's chromium (sudo apt-get install chromium); .ci/run installs it");
        // the check itself can fail: a page with a script error is caught
        Path bad = out.resolve("bad.html");
        Files.writeString(bad, "<html><body><script>nosuch();</script></body></html>");
        assertThat(consoleMessages(render(bad)[1])).anyMatch(l -> l.contains("nosuch is not defined"));

        String[] page = render(out.resolve("report.html"));
        String dom = page[0];
        assertThat(consoleMessages(page[1])).isEmpty();
        JsonNode report = json(out.resolve("report.json"));
        int charts = 0;
        for (JsonNode s : report.get("scenarios")) {
            charts += s.get("charts").size();
        }
        Matcher svg = Pattern.compile("<svg[^>]*data-drawn=\"(yes|no)\"").matcher(dom);
        int drawn = 0;
        while (svg.find()) {
            assertThat(svg.group(1)).isEqualTo("yes");
            drawn++;
        }
        assertThat(drawn).isEqualTo(charts).isGreaterThanOrEqualTo(18);
        // every number cell: its raw value is the JSON's, its text the report's formatting of it
        Map<String, Double> expected = new HashMap<>();
        for (JsonNode s : report.get("scenarios")) {
            for (JsonNode v : s.get("variants")) {
                String id = s.get("name").asText() + "/" + v.get("label").asText() + "/";
                expected.put(id + "mean", v.get("mean").asDouble());
                expected.put(id + "parameters", v.get("parameters").asDouble());
                expected.put(id + "trainSeconds", v.get("trainSeconds").asDouble());
                expected.put(id + "msPerItem", v.get("msPerItem").asDouble());
                v.get("metrics").fields().forEachRemaining(m -> expected.put(id + "metrics." + m.getKey(),
                        m.getValue().isNull() ? Double.NaN : m.getValue().asDouble()));
            }
        }
        Matcher cell = Pattern.compile("<td class=\"num\" data-metric=\"([^\"]+)\" data-value=\"([^\"]+)\">([^<]*)"
                + "</td>").matcher(dom);
        int checked = 0;
        while (cell.find()) {
            String metric = cell.group(1).replace("&amp;", "&");
            double value = Double.parseDouble(cell.group(2));
            if (expected.containsKey(metric)) {
                assertThat(value).as(metric).isEqualTo(expected.get(metric));
                checked++;
            }
            if (metric.endsWith("/parameters")) {
                assertThat(cell.group(3)).as(metric).startsWith(BenchReport.format(value));
            } else if (!metric.endsWith("/mean")) {
                assertThat(cell.group(3)).as(metric).isEqualTo(BenchReport.format(value));
            } else {
                assertThat(cell.group(3)).as(metric).startsWith(BenchReport.format(value) + " ± ");
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(16 * 5);
    }
}
