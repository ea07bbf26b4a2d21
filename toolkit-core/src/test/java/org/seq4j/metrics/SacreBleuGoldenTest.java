package org.seq4j.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * BLEU, sentence BLEU, chrF and chrF++ equal sacreBLEU's own values on edge cases (one-word sentences, no 4-gram
 * match, Unicode spaces, several and missing references, lowercasing, the intl and char tokenizers, every smoothing).
 * The values and the script that made them: {@code src/test/resources/metrics/}.
 */
class SacreBleuGoldenTest {

    private static JsonNode golden() throws Exception {
        try (InputStream in = SacreBleuGoldenTest.class.getResourceAsStream("/metrics/golden.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static List<List<String>> streams(JsonNode a) {
        List<List<String>> out = new ArrayList<>();
        a.forEach(x -> out.add(strings(x)));
        return out;
    }

    private static String withoutVersion(String signature) {
        return signature.substring(0, signature.lastIndexOf("|version:"));
    }

    @Test
    void corpusBleuEqualsSacreBleu() throws Exception {
        JsonNode g = golden();
        assertThat(g.path("sacrebleu").asText()).startsWith("2.");
        int n = 0;
        for (JsonNode c : g.path("bleu")) {
            JsonNode kw = c.path("kwargs");
            Bleu.Options o = Bleu.Options.DEFAULT
                    .smooth(Bleu.Smoothing.parse(kw.path("smooth_method").asText("exp")),
                            kw.has("smooth_value") ? kw.path("smooth_value").asDouble() : Double.NaN)
                    .lowercase(kw.path("lowercase").asBoolean(false))
                    .tokenize(Bleu.Tokenizer.parse(kw.path("tokenize").asText("13a")))
                    .effective(kw.path("effective_order").asBoolean(false));
            List<List<String>> refs = streams(c.path("refs"));
            Bleu.Result r = Bleu.corpus(strings(c.path("hyps")), refs, o);
            String what = c.path("case").asText() + " / " + c.path("options").asText();
            assertThat(r.score()).as(what).isCloseTo(c.path("score").asDouble(), within(1e-9));
            assertThat(r.brevityPenalty()).as(what).isCloseTo(c.path("bp").asDouble(), within(1e-12));
            assertThat(r.systemLength()).as(what).isEqualTo(c.path("sys_len").asLong());
            assertThat(r.referenceLength()).as(what).isEqualTo(c.path("ref_len").asLong());
            double[] p = new double[4];
            for (int i = 0; i < 4; i++) {
                p[i] = c.path("precisions").get(i).asDouble();
            }
            assertThat(r.precisions()).as(what).containsExactly(p, within(1e-9));
            String sig = c.path("signature").asText();
            if (sig.startsWith("nrefs:") && !sig.startsWith("nrefs:var")) {
                assertThat(withoutVersion(o.signature(refs.size()))).as(what).isEqualTo(withoutVersion(sig));
            }
            n++;
        }
        assertThat(n).isEqualTo(170);
    }

    @Test
    void chrFEqualsSacreBleu() throws Exception {
        int n = 0;
        for (JsonNode c : golden().path("chrf")) {
            JsonNode kw = c.path("kwargs");
            ChrF.Options o = new ChrF.Options(ChrF.CHAR_ORDER, kw.path("word_order").asInt(0),
                    kw.path("beta").asInt(ChrF.BETA), kw.path("lowercase").asBoolean(false),
                    kw.path("whitespace").asBoolean(false), kw.path("eps_smoothing").asBoolean(false));
            List<List<String>> refs = streams(c.path("refs"));
            double score = ChrF.corpus(strings(c.path("hyps")), refs, o);
            String what = c.path("case").asText() + " / " + c.path("options").asText();
            assertThat(score).as(what).isCloseTo(c.path("score").asDouble(), within(1e-9));
            String sig = c.path("signature").asText();
            if (!sig.startsWith("nrefs:var")) {
                assertThat(withoutVersion(o.signature(refs.size()))).as(what).isEqualTo(withoutVersion(sig));
            }
            n++;
        }
        assertThat(n).isEqualTo(102);
    }

    @Test
    void sentenceBleuEqualsSacreBleu() throws Exception {
        int n = 0;
        for (JsonNode c : golden().path("sentence_bleu")) {
            double s = Bleu.sentence(c.path("hyp").asText(), strings(c.path("refs"))).score();
            assertThat(s).as(c.path("case").asText() + " #" + c.path("index").asInt())
                    .isCloseTo(c.path("score").asDouble(), within(1e-9));
            n++;
        }
        assertThat(n).isEqualTo(26);
    }

    @Test
    void badInputIsAClearError() {
        assertThatThrownBy(() -> Bleu.corpus(List.of(), List.of())).hasMessageContaining("BLEU: no hypotheses");
        assertThatThrownBy(() -> Bleu.corpus(Arrays.asList("a", null), List.of("a", "b")))
                .hasMessageContaining("BLEU: hypothesis 2 (1-based) is null");
        assertThatThrownBy(() -> ChrF.corpus(List.of("a", "b"), List.of("a")))
                .hasMessageContaining("chrF: reference stream 1 has 1 lines but there are 2 hypotheses");
        assertThatThrownBy(() -> Bleu.corpus(List.of("a", "b"), List.of("a", "")))
                .hasMessageContaining("sentence 2 (1-based) has no reference");
        assertThatThrownBy(() -> Bleu.Smoothing.parse("laplace")).hasMessageContaining("expected none, floor, add-k");
        assertThatThrownBy(() -> Bleu.Tokenizer.parse("moses")).hasMessageContaining("expected 13a, intl, char");
    }
}
