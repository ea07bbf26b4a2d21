package org.seq4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.io.ModelArchive;
import org.seq4j.tasks.tagging.Tagger;

/**
 * A real process kill during {@code tag train}: the checkpoint left behind is loadable, {@code --resume} finishes the
 * run, and the final model and dev metrics equal those of an uninterrupted run with the same options.
 */
class KillAndResumeTest {

    private static List<String> options(Path out) {
        return List.of("tag", "train", "--train", "brown:sample", "--scheme", "none", "--output", "softmax",
                "--units", "8", "--word-dim", "8", "--epochs", "3", "--patience", "0", "--checkpoint-every", "4",
                "--quiet", "--out", out.toString());
    }

    @Test
    void killedTrainingResumesToTheUninterruptedResult(@TempDir Path dir) throws Exception {
        Path killed = dir.resolve("killed");
        List<String> cmd = javaCommand();
        cmd.addAll(options(killed));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile())
                .start();
        Path ckpt = killed.resolve("checkpoints").resolve("checkpoint.zip");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!Files.exists(ckpt) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Files.exists(ckpt)).as(Files.readString(dir.resolve("log.txt"))).isTrue();
        assertThat(p.isAlive()).as("the run must still be training when it is killed").isTrue();
        p.destroyForcibly();                       // SIGKILL: no shutdown hooks, no cleanup
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(killed.resolve("model.zip")).doesNotExist();

        List<String> resumeArgs = new ArrayList<>(options(killed));
        resumeArgs.add("--resume");
        assertThat(Seq4jCli.commandLine().execute(resumeArgs.toArray(String[]::new))).isZero();
        Path whole = dir.resolve("whole");
        assertThat(Seq4jCli.commandLine().execute(options(whole).toArray(String[]::new))).isZero();

        ObjectMapper json = new ObjectMapper();
        JsonNode a = json.readTree(killed.resolve("dev-metrics.json").toFile());
        JsonNode b = json.readTree(whole.resolve("dev-metrics.json").toFile());
        assertThat(a.get("tokenAccuracy")).isEqualTo(b.get("tokenAccuracy"));
        assertThat(a.at("/result/training/validation")).isEqualTo(b.at("/result/training/validation"));
        assertThat(a.at("/result/training/losses")).isEqualTo(b.at("/result/training/losses"));
        assertThat(a.at("/result/training/epochs")).isEqualTo(b.at("/result/training/epochs"));
        assertThat(a.at("/result/score/value").asDouble()).isEqualTo(100 * a.get("tokenAccuracy").asDouble());
        Set<String> entries = Set.of("tagger", "tagger-config", "run-info");
        assertThat(ModelArchive.read(killed.resolve("model.zip"), Tagger.KIND, entries, Set.of(), false).graph()
                .params()).isEqualTo(ModelArchive.read(whole.resolve("model.zip"), Tagger.KIND, entries, Set.of(),
                false).graph().params());
        try (var files = Files.list(killed.resolve("checkpoints"))) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".tmp")).count())
                    .as("no temporary files left after the resumed run").isZero();
        }
    }

    /**
     * {@code seq4j bench} killed (SIGKILL) after a few runs: run again, it reads the finished runs from its cache,
     * runs the rest, and every result equals an uninterrupted run's.
     */
    @Test
    void killedBenchResumesFromItsCacheToTheUninterruptedResults(@TempDir Path dir) throws Exception {
        List<String> args = List.of("bench", "--suite", "smoke", "--scenarios", "adding,copy-memory");
        Path killed = dir.resolve("killed");
        List<String> cmd = javaCommand();
        cmd.addAll(args);
        cmd.addAll(List.of("--out", killed.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile())
                .start();
        Path runs = killed.resolve("runs");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (count(runs) < 3 && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int before = count(runs);
        assertThat(before).as(Files.readString(dir.resolve("log.txt"))).isBetween(3, 11);
        assertThat(killed.resolve("report.json")).doesNotExist();

        List<String> again = new ArrayList<>(args);
        again.addAll(List.of("--out", killed.toString()));
        CliRun resumed = CliRun.run(again.toArray(String[]::new));
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains(Report.fmt("12 runs: %d run now, %d cached", 12 - before, before));
        Path whole = dir.resolve("whole");
        List<String> fresh = new ArrayList<>(args);
        fresh.addAll(List.of("--out", whole.toString()));
        assertThat(CliRun.run(fresh.toArray(String[]::new)).code()).isZero();
        ObjectMapper json = new ObjectMapper();
        try (var files = Files.list(whole.resolve("runs"))) {
            for (Path f : files.toList()) {
                assertThat(json.readTree(killed.resolve("runs").resolve(f.getFileName()).toFile())
                        .at("/result/score/metrics")).isEqualTo(json.readTree(f.toFile()).at("/result/score/metrics"));
            }
        }
        try (var files = Files.list(runs)) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".tmp")).count()).isZero();
        }
    }

    /**
     * The killed run's JVM, with this JVM's module flags: the resumed half runs in this JVM, and single-precision
     * step products with and without the Vector API module differ in the last bits (docs/layers.md, "Speed").
     */
    private static List<String> javaCommand() {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g"));
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Seq4jCli.class.getName()));
        return cmd;
    }

    private static int count(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = Files.list(dir)) {
            return (int) files.filter(f -> f.getFileName().toString().endsWith(".json")).count();
        }
    }

    @Test
    void resumeWithoutACheckpointIsAClearError(@TempDir Path dir) {
        List<String> args = new ArrayList<>(options(dir.resolve("none")));
        args.add("--resume");
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = Seq4jCli.commandLine();
        cli.setErr(new java.io.PrintWriter(err));
        assertThat(cli.execute(args.toArray(String[]::new))).isEqualTo(2);
        assertThat(err.toString()).contains("--resume: no checkpoint at").contains("checkpoint.zip");
    }

    /**
     * forecast: a run stopped after epoch 1 (here: a 1-epoch run) resumed with the full epoch count gives the
     * uninterrupted 4-epoch run's forecast exactly (the kill itself is tested on tag train above).
     */
    @Test
    void forecastResumesFromItsCheckpoint(@TempDir Path dir) throws Exception {
        List<String> common = List.of("forecast", "--data", "classic:AirPassengers", "--horizon", "12", "--epochs", "4",
                "--units", "6", "--checkpoint-every", "3", "--quiet");
        Path whole = dir.resolve("whole");
        List<String> a = new ArrayList<>(common);
        a.addAll(List.of("--out", whole.toString()));
        assertThat(Seq4jCli.commandLine().execute(a.toArray(String[]::new))).isZero();
        assertThat(whole.resolve("checkpoints").resolve("checkpoint.zip")).exists();
        Path part = dir.resolve("part");
        List<String> b = new ArrayList<>(common);
        b.set(b.indexOf("4"), "1");
        b.addAll(List.of("--out", part.toString()));
        assertThat(Seq4jCli.commandLine().execute(b.toArray(String[]::new))).isZero();
        List<String> c = new ArrayList<>(common);
        c.addAll(List.of("--out", part.toString(), "--resume"));
        assertThat(Seq4jCli.commandLine().execute(c.toArray(String[]::new))).isZero();
        assertThat(Files.readString(part.resolve("forecast.csv")))
                .isEqualTo(Files.readString(whole.resolve("forecast.csv")));
    }
}
