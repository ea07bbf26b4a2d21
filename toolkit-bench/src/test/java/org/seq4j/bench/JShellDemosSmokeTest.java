package org.seq4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every JShell demo under {@code demos/} runs in smoke mode and prints its checks. */
class JShellDemosSmokeTest {

    static Stream<Path> demos() throws IOException {
        return Files.list(Path.of("..", "demos")).filter(p -> p.toString().endsWith(".jsh")).sorted();
    }

    @ParameterizedTest
    @MethodSource("demos")
    void demoRunsInSmokeMode(Path demo) throws Exception {
        Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
        ProcessBuilder pb = new ProcessBuilder(jshell.toString(), "-R-Xmx2g", "--class-path",
                System.getProperty("java.class.path"), demo.toString());
        pb.environment().put("SEQ4J_SMOKE", "1");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(out).as(out).contains("DEMO OK").doesNotContain("Error:").doesNotContain("Exception");
        // every demo checks what it shows, printing "check <what>: ok" (or FAILED)
        List<String> checks = out.lines().filter(l -> l.startsWith("check ")).toList();
        assertThat(checks).as(out).isNotEmpty().allSatisfy(l -> assertThat(l).endsWith(": ok"));
        assertThat(List.of(p.exitValue())).containsExactly(0);
    }
}
