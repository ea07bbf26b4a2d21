package org.seq4j.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

class PtbTokenizerTest {

    /** NLTK 3.10.3's TreebankWordTokenizer (convert_parentheses=True) on 36 sentences: text/make_ptb_golden.py. */
    @Test
    void equalsNltksTreebankTokenizer() throws Exception {
        JsonNode golden;
        try (InputStream in = PtbTokenizerTest.class.getResourceAsStream("/text/ptb_golden.json")) {
            golden = new ObjectMapper().readTree(in);
        }
        assertThat(golden.get("cases").size()).isEqualTo(36);
        for (JsonNode c : golden.get("cases")) {
            List<String> want = new ArrayList<>();
            c.get("tokens").forEach(t -> want.add(t.asText()));
            assertThat(PtbTokenizer.tokenize(c.get("text").asText())).as(c.get("text").asText())
                    .containsExactlyElementsOf(want);
        }
    }

    @Test
    void treebankConventions() {
        assertThat(PtbTokenizer.tokenize("He can't pay $5 (or 4.50 euros) for \"U.S.\" stocks."))
                .containsExactly("He", "ca", "n't", "pay", "$", "5", "-LRB-", "or", "4.50", "euros", "-RRB-", "for",
                        "``", "U.S.", "''", "stocks", ".");
        assertThat(PtbTokenizer.tokenize("  \t ")).isEmpty();
    }
}
