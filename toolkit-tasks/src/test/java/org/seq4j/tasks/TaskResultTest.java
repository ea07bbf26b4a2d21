package org.seq4j.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TaskResultTest {

    private static TaskResult.Score score(boolean higherIsBetter) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("bleu", 31.5);
        m.put("chrF", 55.0);
        return new TaskResult.Score("test", "bleu", higherIsBetter, m, 200, "sentence", 0.5);
    }

    @Test
    void scoreNamesItsPrimaryMetricAndLatency() {
        TaskResult.Score s = score(true);
        assertThat(s.value()).isEqualTo(31.5);
        assertThat(s.msPerItem()).isEqualTo(2.5);
        assertThat(s.better(32, 31.5)).isTrue();
        assertThat(score(false).better(32, 31.5)).isFalse();
        assertThatThrownBy(() -> new TaskResult.Score("test", "ter", true, Map.of("bleu", 1.0), 1, "sentence", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ter'")
                .hasMessageContaining("[bleu]");
    }

    @Test
    void mapHoldsEverythingButTheDetail() {
        TaskResult.Training t = new TaskResult.Training(3, 1, false, 30, 1.5, 600, List.of(2.0, 1.0, 0.9),
                List.of(10.0, 12.0, 11.0), "BLEU");
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("embeddings", null);   // a config may hold nulls (no pre-trained vectors)
        TaskResult<String> r = new TaskResult<>("translate", "pairs.tsv", "bilstm-32", 1234, score(true), t, config,
                null, "per-item detail");
        Map<String, Object> m = r.toMap();
        assertThat(m).containsKeys("task", "dataset", "model", "parameters", "score", "training", "config", "runInfo")
                .doesNotContainKey("detail");
        @SuppressWarnings("unchecked")
        Map<String, Object> training = (Map<String, Object>) m.get("training");
        assertThat(training).containsEntry("bestEpoch", 2).containsEntry("msPerIteration", 50.0)
                .containsEntry("tokensPerSecond", 400.0);
        assertThat(r.config()).containsEntry("embeddings", null);
    }
}
