package org.seq4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.train.RunInfo;

/** Reports: provenance first; numbers that are not defined are JSON nulls, never the string "NaN". */
class ReportTest {

    @Test
    void undefinedNumbersAreNullInJson(@TempDir Path dir) throws Exception {
        Report r = new Report("t", RunInfo.current(7)).data("mase", Double.NaN).data("coverage", 0.8)
                .data("rows", List.of(Map.of("x", Double.POSITIVE_INFINITY)));
        r.write(dir, "m");
        JsonNode json = new ObjectMapper().readTree(dir.resolve("m.json").toFile());
        assertThat(json.get("mase").isNull()).isTrue();
        assertThat(json.get("coverage").asDouble()).isEqualTo(0.8);
        assertThat(json.get("rows").get(0).get("x").isNull()).isTrue();
        assertThat(json.get("runInfo").get("seed").asLong()).isEqualTo(7);
        assertThat(json.get("runInfo").get("openblasCoreType").asText()).isNotEmpty();
    }
}
