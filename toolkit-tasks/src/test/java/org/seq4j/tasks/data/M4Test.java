package org.seq4j.tasks.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.data.DataFormatException;

class M4Test {

    private static final String TRAIN = """
            "V1","V2","V3","V4","V5"
            "W1","1.5","2","3","4"
            "W2","10","11","",""
            """;

    @Test
    void readsRaggedRowsAndPairsThemWithTheirTestValues(@TempDir Path dir) throws Exception {
        Path train = Files.writeString(dir.resolve("Weekly-train.csv"), TRAIN);
        StringBuilder test = new StringBuilder("\"V1\"");
        for (int i = 2; i <= 14; i++) {
            test.append(",\"V").append(i).append('"');
        }
        test.append("\n\"W1\"").append(",\"5\"".repeat(13)).append("\n\"W2\"").append(",\"12\"".repeat(13))
                .append('\n');
        Path t = Files.writeString(dir.resolve("Weekly-test.csv"), test);
        List<M3.Entry> e = M4.load(train, t, M4.Frequency.parse("weekly"));
        assertThat(e).hasSize(2);
        assertThat(e.get(0).train().id()).isEqualTo("W1");
        assertThat(e.get(0).train().values()).containsExactly(1.5, 2, 3, 4);
        assertThat(e.get(1).train().values()).containsExactly(10, 11);
        assertThat(e.get(1).test()).hasSize(13).containsOnly(12);
        assertThat(e.get(0).horizon()).isEqualTo(13);
        assertThat(e.get(0).period()).isEqualTo(1);
        assertThat(M4.Frequency.MONTHLY.horizon()).isEqualTo(18);
        assertThat(M4.Frequency.HOURLY.period()).isEqualTo(24);
        // the test file must hold the M4 horizon
        assertThatThrownBy(() -> M4.load(train, train, M4.Frequency.WEEKLY)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("series W1 has 4 test values; the M4 horizon of weekly data is 13");
    }

    @Test
    void gapsNonNumbersAndRepeatsNameTheLine(@TempDir Path dir) throws Exception {
        Path gap = Files.writeString(dir.resolve("gap.csv"), "\"V1\",\"V2\",\"V3\"\n\"W1\",\"\",\"3\"\n");
        assertThatThrownBy(() -> M4.read(gap)).hasMessageContaining("gap.csv").hasMessageContaining(":2")
                .hasMessageContaining("series W1: a value in column 3 after an empty cell in column 2");
        Path text = Files.writeString(dir.resolve("text.csv"), "\"V1\",\"V2\"\n\"W1\",\"x\"\n");
        assertThatThrownBy(() -> M4.read(text)).hasMessageContaining("text.csv").hasMessageContaining("expected a "
                + "number");
        Path twice = Files.writeString(dir.resolve("twice.csv"), "\"V1\",\"V2\"\n\"W1\",\"1\"\n\"W1\",\"2\"\n");
        assertThatThrownBy(() -> M4.read(twice)).hasMessageContaining("series W1 appears twice");
        assertThatThrownBy(() -> M4.Frequency.parse("fortnightly")).hasMessageContaining("[yearly, quarterly, "
                + "monthly, weekly, daily, hourly], got 'fortnightly'");
    }
}
