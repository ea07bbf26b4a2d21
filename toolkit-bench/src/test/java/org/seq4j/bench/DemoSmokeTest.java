package org.seq4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The README's first command in smoke mode: every cell trains, the report is written and its numbers are finite. */
class DemoSmokeTest {

    @Test
    void demoSmokeWritesAComparisonOfEveryCell(@TempDir Path dir) throws Exception {
        int code = Seq4jCli.commandLine().execute("demo", "--smoke", "--out", dir.toString());
        assertThat(code).isZero();
        String md = Files.readString(dir.resolve("comparison.md"));
        assertThat(md).contains("seed: 42").contains("DL4J 1.0.0-M2.1").contains("| cell | params | test MSE");
        JsonNode json = new ObjectMapper().readTree(dir.resolve("comparison.json").toFile());
        assertThat(json.get("runInfo").get("seed").asLong()).isEqualTo(42);
        List<String> cells = new java.util.ArrayList<>();
        for (JsonNode row : json.get("rows")) {
            cells.add(row.get("cell").asText());
            assertThat(row.get("testMse").asDouble()).isFinite().isGreaterThanOrEqualTo(0);
            assertThat(row.get("params").asLong()).isPositive();
            assertThat(row.get("msPerIteration").asDouble()).isFinite().isPositive();
        }
        assertThat(cells).containsExactly("lstm-8", "gru-8", "srn-8", "scrn-8", "jordan-8", "bilstm-8", "bigru-8");
        assertThat(json.get("baselineMse").asDouble()).isBetween(0.05, 0.3);
    }

    @Test
    void unknownCellIsAClearError(@TempDir Path dir) {
        CommandLine cli = Seq4jCli.commandLine();
        java.io.StringWriter err = new java.io.StringWriter();
        cli.setErr(new java.io.PrintWriter(err));
        int code = cli.execute("demo", "--smoke", "--cells", "gru,transformer", "--out", dir.toString());
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("Unknown cell 'transformer'; expected one of lstm, gru, srn, scrn");
    }
}
