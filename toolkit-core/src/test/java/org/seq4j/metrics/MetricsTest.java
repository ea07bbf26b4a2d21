package org.seq4j.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Every metric against values worked out by hand from its published definition (the working is in the comments). */
class MetricsTest {

    private static final double[] ACTUAL = {3, 5, 2};
    private static final double[] FORECAST = {2, 5, 4};
    private static final double[] HISTORY = {1, 2, 4, 8, 5, 6};

    @Test
    void forecastMetrics() {
        // errors 1, 0, 2
        assertThat(ForecastMetric.MAE.of(HISTORY, 1, ACTUAL, FORECAST)).isCloseTo(1.0, within(1e-12));
        assertThat(ForecastMetric.RMSE.of(HISTORY, 1, ACTUAL, FORECAST)).isCloseTo(Math.sqrt(5.0 / 3), within(1e-12));
        // 100/3 · (1/3 + 0 + 2/2)
        assertThat(ForecastMetric.MAPE.of(HISTORY, 1, ACTUAL, FORECAST)).isCloseTo(400.0 / 9, within(1e-12));
        // 200/3 · (1/5 + 0 + 2/6)
        assertThat(ForecastMetric.SMAPE.of(HISTORY, 1, ACTUAL, FORECAST))
                .isCloseTo(200.0 / 3 * (0.2 + 1.0 / 3), within(1e-12));
        // m = 2: in-sample |4−1|, |8−2|, |5−4|, |6−8| → mean 3; MASE = 1 / 3
        assertThat(ForecastMetric.MASE.of(HISTORY, 2, ACTUAL, FORECAST)).isCloseTo(1.0 / 3, within(1e-12));
        // m = 1: |1|,|2|,|4|,|3|,|1| → mean 11/5
        assertThat(ForecastMetric.MASE.of(HISTORY, 1, ACTUAL, FORECAST)).isCloseTo(5.0 / 11, within(1e-12));
        assertThat(ForecastMetric.owa(10, 1, 20, 4)).isCloseTo(0.375, within(1e-12));
        // 0/0 terms of sMAPE count 0
        assertThat(ForecastMetric.SMAPE.of(HISTORY, 1, new double[] {0, 2}, new double[] {0, 2})).isEqualTo(0.0);
        assertThatThrownBy(() -> ForecastMetric.MAPE.of(HISTORY, 1, new double[] {0}, new double[] {1}))
                .hasMessageContaining("actual value 0 is 0");
        assertThatThrownBy(() -> ForecastMetric.MASE.of(new double[] {5, 5, 5}, 1, ACTUAL, FORECAST))
                .hasMessageContaining("history is constant");
    }

    @Test
    void intervalScoreAndPinballLossByHand() {
        // actual 3, 5, 6; interval [2, 4], [4, 6], [4, 5]; α = 0.2 → 2/α = 10:
        // widths 2 + 2 + 1 = 5; misses: 3 in [2, 4], 5 in [4, 6], 6 above 5 by 1 → 10 · 1; (5 + 10) / 3 = 5, scaled by
        // the m = 1 in-sample naive MAE 11/5 → 25/11
        double[] lower = {2, 4, 4};
        double[] upper = {4, 6, 5};
        double[] actual = {3, 5, 6};
        assertThat(ForecastMetric.msis(HISTORY, 1, actual, lower, upper, 0.2)).isCloseTo(25.0 / 11, within(1e-12));
        // below the interval counts the same way: actual 1 under [2, 4] → width 2 + 10 · 1
        assertThat(ForecastMetric.msis(HISTORY, 1, new double[] {1}, new double[] {2}, new double[] {4}, 0.2))
                .isCloseTo(12 / (11.0 / 5), within(1e-12));
        assertThat(ForecastMetric.msisOrUndefined(new double[] {5, 5, 5}, 1, actual, lower, upper, 0.2)).isNaN();
        // pinball at q = 0.9 of forecasts 2, 5, 4 for 3, 5, 2: errors 1, 0, −2 → (0.9 · 1 + 0 + 0.1 · 2) / 3;
        // at q = 0.5 it is half the MAE
        assertThat(ForecastMetric.pinball(ACTUAL, FORECAST, 0.9)).isCloseTo(1.1 / 3, within(1e-12));
        assertThat(ForecastMetric.pinball(ACTUAL, FORECAST, 0.5))
                .isCloseTo(ForecastMetric.MAE.of(HISTORY, 1, ACTUAL, FORECAST) / 2, within(1e-12));
        // an over-forecast costs 1 − q per unit
        assertThat(ForecastMetric.pinball(new double[] {1}, new double[] {3}, 0.9)).isCloseTo(0.2, within(1e-12));
        assertThatThrownBy(() -> ForecastMetric.msis(HISTORY, 1, actual, lower, upper, 1.5))
                .hasMessageContaining("alpha must be in (0, 1)");
    }

    @Test
    void bioAndIobesConvertWithTheSameChunks() {
        List<String> bio = List.of("B-NP", "I-NP", "I-NP", "B-VP", "O", "I-NP", "B-PP", "B-NP", "I-NP", "I-VP");
        List<String> iobes = ChunkEvaluation.convert(bio, ChunkEvaluation.Scheme.BIO, ChunkEvaluation.Scheme.IOBES);
        // an I after O starts a chunk (conlleval), as does a type change
        assertThat(iobes).containsExactly("B-NP", "I-NP", "E-NP", "S-VP", "O", "S-NP", "S-PP", "B-NP", "E-NP", "S-VP");
        assertThat(ChunkEvaluation.convert(iobes, ChunkEvaluation.Scheme.IOBES, ChunkEvaluation.Scheme.BIO))
                .containsExactly("B-NP", "I-NP", "I-NP", "B-VP", "O", "B-NP", "B-PP", "B-NP", "I-NP", "B-VP");
        // on random tag sequences (valid or not) the chunks, and so every score, are the same in both schemes
        java.util.Random r = new java.util.Random(5);
        String[] tags = {"O", "B-NP", "I-NP", "B-VP", "I-VP"};
        List<List<String>> gold = new java.util.ArrayList<>();
        List<List<String>> pred = new java.util.ArrayList<>();
        for (int s = 0; s < 200; s++) {
            List<String> g = new java.util.ArrayList<>();
            List<String> p = new java.util.ArrayList<>();
            for (int t = 0, n = 1 + r.nextInt(9); t < n; t++) {
                g.add(tags[r.nextInt(tags.length)]);
                p.add(tags[r.nextInt(tags.length)]);
            }
            gold.add(g);
            pred.add(p);
        }
        ChunkEvaluation.Result inBio = ChunkEvaluation.evaluate(gold, pred, ChunkEvaluation.Scheme.BIO);
        java.util.function.Function<List<String>, List<String>> toIobes =
                t -> ChunkEvaluation.convert(t, ChunkEvaluation.Scheme.BIO, ChunkEvaluation.Scheme.IOBES);
        ChunkEvaluation.Result inIobes = ChunkEvaluation.evaluate(gold.stream().map(toIobes).toList(),
                pred.stream().map(toIobes).toList(), ChunkEvaluation.Scheme.IOBES);
        assertThat(inIobes.overall()).isEqualTo(inBio.overall());
        assertThat(inIobes.byType()).isEqualTo(inBio.byType());
        assertThatThrownBy(() -> ChunkEvaluation.convert(List.of("O", "S-NP"), ChunkEvaluation.Scheme.BIO,
                ChunkEvaluation.Scheme.IOBES)).hasMessageContaining("token 2: tag 'S-NP' is not valid in the BIO scheme");
    }

    @Test
    void chunkF1WithConllevalSemantics() {
        // gold NP(0-1) VP(3); predicted NP(0-1) NP(3): one correct of two each way
        ChunkEvaluation.Result r = ChunkEvaluation.evaluate(
                List.of(List.of("B-NP", "I-NP", "O", "B-VP")), List.of(List.of("B-NP", "I-NP", "O", "B-NP")),
                ChunkEvaluation.Scheme.BIO);
        assertThat(r.overall()).isEqualTo(new ChunkEvaluation.Counts(2, 2, 1));
        assertThat(r.overall().f1()).isCloseTo(0.5, within(1e-12));
        assertThat(r.byType().get("NP")).isEqualTo(new ChunkEvaluation.Counts(1, 2, 1));
        assertThat(r.byType().get("VP")).isEqualTo(new ChunkEvaluation.Counts(1, 0, 0));
        assertThat(r.tokenAccuracy()).isCloseTo(0.75, within(1e-12));

        // conlleval: an I- tag that starts a chunk starts it; a B inside a chunk splits it
        assertThat(ChunkEvaluation.evaluate(List.of(List.of("I-NP", "O")), List.of(List.of("B-NP", "O")),
                ChunkEvaluation.Scheme.BIO).overall()).isEqualTo(new ChunkEvaluation.Counts(1, 1, 1));
        assertThat(ChunkEvaluation.evaluate(List.of(List.of("B-NP", "I-NP")), List.of(List.of("B-NP", "B-NP")),
                ChunkEvaluation.Scheme.BIO).overall()).isEqualTo(new ChunkEvaluation.Counts(1, 2, 0));
        // type change inside a run ends the chunk: I-NP I-VP is two chunks
        assertThat(ChunkEvaluation.evaluate(List.of(List.of("I-NP", "I-VP")), List.of(List.of("B-NP", "B-VP")),
                ChunkEvaluation.Scheme.BIO).overall()).isEqualTo(new ChunkEvaluation.Counts(2, 2, 2));
        // chunks never run across sentences
        assertThat(ChunkEvaluation.evaluate(List.of(List.of("B-NP"), List.of("I-NP")),
                List.of(List.of("B-NP"), List.of("B-NP")), ChunkEvaluation.Scheme.BIO).overall())
                .isEqualTo(new ChunkEvaluation.Counts(2, 2, 2));
    }

    @Test
    void entityF1OnAHandMadeConllevalFile() throws Exception {
        // token gold predicted; gold PER(1) LOC(2) ORG(1), predicted PER(1) LOC(1, split differently) MISC(1)
        java.nio.file.Path f = java.nio.file.Files.createTempFile("conlleval", ".txt");
        java.nio.file.Files.writeString(f, String.join("\n",
                "John B-PER B-PER", "lives O O", "in O O", "New B-LOC B-LOC", "York I-LOC I-LOC", ". O O", "",
                "IBM B-ORG B-MISC", "opened O O", "in O O", "Paris B-LOC B-LOC", "Texas I-LOC B-LOC", "") + "\n");
        List<org.seq4j.data.ConllReader.Block> blocks = org.seq4j.data.ConllReader.readBlocks(f, 3);
        ChunkEvaluation.Result r = ChunkEvaluation.evaluate(blocks.stream().map(b -> b.column(1)).toList(),
                blocks.stream().map(b -> b.column(2)).toList(), ChunkEvaluation.Scheme.BIO);
        // gold chunks: John(PER) New York(LOC) IBM(ORG) Paris Texas(LOC) = 4
        // predicted:   John(PER) New York(LOC) IBM(MISC) Paris(LOC) Texas(LOC) = 5; correct: John, New York = 2
        assertThat(r.overall()).isEqualTo(new ChunkEvaluation.Counts(4, 5, 2));
        assertThat(r.overall().precision()).isCloseTo(0.4, within(1e-12));
        assertThat(r.overall().recall()).isCloseTo(0.5, within(1e-12));
        assertThat(r.overall().f1()).isCloseTo(2 * 0.4 * 0.5 / 0.9, within(1e-12));
        assertThat(r.byType().get("LOC")).isEqualTo(new ChunkEvaluation.Counts(2, 3, 1));
        assertThat(r.byType().get("MISC")).isEqualTo(new ChunkEvaluation.Counts(0, 1, 0));
        assertThat(r.tokenAccuracy()).isCloseTo(9.0 / 11, within(1e-12));   // IBM and Texas are wrong
    }

    @Test
    void iobesAndBadTags() {
        ChunkEvaluation.Result r = ChunkEvaluation.evaluate(List.of(List.of("S-PER", "O", "B-LOC", "E-LOC")),
                List.of(List.of("S-PER", "O", "B-LOC", "I-LOC")), ChunkEvaluation.Scheme.IOBES);
        assertThat(r.overall()).isEqualTo(new ChunkEvaluation.Counts(2, 2, 2));
        assertThat(r.tokenAccuracy()).isCloseTo(0.75, within(1e-12));
        assertThatThrownBy(() -> ChunkEvaluation.evaluate(List.of(List.of("E-LOC")), List.of(List.of("O")),
                ChunkEvaluation.Scheme.BIO))
                .hasMessageContaining("Sentence 1, token 1: tag 'E-LOC' is not valid in the BIO scheme");
        assertThatThrownBy(() -> ChunkEvaluation.Scheme.parse("bilou"))
                .hasMessageContaining("Unknown tag scheme 'bilou'; expected bio (iob2) or iobes (bioes)");
        assertThat(ChunkEvaluation.Scheme.parse("IOB2")).isEqualTo(ChunkEvaluation.Scheme.BIO);
    }

    @Test
    void bleuAndTokenization() {
        assertThat(Bleu.tokenize13a("Hello, world! 3.14 and 1,000 x-ray 5-6"))
                .isEqualTo("Hello , world ! 3.14 and 1,000 x-ray 5 - 6");
        // hyp 6 tokens, ref 7 ("." split off): all n-gram precisions 1, BP = exp(1 − 7/6)
        Bleu.Result r = Bleu.corpus(List.of("the cat sat on the mat"), List.of("the cat sat on the mat."));
        assertThat(r.precisions()).containsExactly(100, 100, 100, 100);
        assertThat(r.brevityPenalty()).isCloseTo(Math.exp(-1.0 / 6), within(1e-12));
        assertThat(r.score()).isCloseTo(100 * Math.exp(-1.0 / 6), within(1e-9));
        // clipping: "the the the the" vs "the cat": unigram precision 1/4, no bigram match → 0 without smoothing
        Bleu.Result clipped = Bleu.corpus(List.of("the the the the"), List.of(List.of("the cat")),
                Bleu.Options.DEFAULT.smooth(Bleu.Smoothing.NONE, Double.NaN));
        assertThat(clipped.precisions()[0]).isCloseTo(25, within(1e-12));
        assertThat(clipped.score()).isEqualTo(0.0);
        // sacreBLEU's default exp smoothing: the k-th order without a match gets 100 / (2^k · total): 3, 2, 1 n-grams
        double smoothed = Math.exp((Math.log(25) + Math.log(100.0 / (2 * 3)) + Math.log(100.0 / (4 * 2))
                + Math.log(100.0 / 8)) / 4);
        assertThat(Bleu.corpus(List.of("the the the the"), List.of("the cat")).score()).isCloseTo(smoothed,
                within(1e-9));
        // corpus level: counts summed over sentences before the geometric mean
        // s1: "a b c d" vs "a b c d" (4/4, 3/3, 2/2, 1/1); s2: "a b c e" vs "a b c d" (3/4, 2/3, 1/2, 0/1)
        Bleu.Result corpus = Bleu.corpus(List.of("a b c d", "a b c e"), List.of("a b c d", "a b c d"));
        double expected = 100 * Math.pow((7.0 / 8) * (5.0 / 6) * (3.0 / 4) * (1.0 / 2), 0.25);
        assertThat(corpus.score()).isCloseTo(expected, within(1e-9));
    }

    @Test
    void chrF() {
        assertThat(ChrF.corpus(List.of("ab"), List.of("ab"))).isCloseTo(100, within(1e-9));
        // order 1: P = R = 1/2 → F2 = 0.5; order 2: no match → ~0; orders 3–6 have no n-grams: (0.5 + 0) / 2
        assertThat(ChrF.corpus(List.of("a b"), List.of("ac"))).isCloseTo(25, within(1e-9));
    }

    @Test
    void languageModel() {
        double ce = LanguageModelMetrics.crossEntropy(new double[] {0.5, 0.25});   // (ln 2 + ln 4) / 2
        assertThat(ce).isCloseTo(1.5 * Math.log(2), within(1e-12));
        assertThat(LanguageModelMetrics.perplexity(ce)).isCloseTo(Math.pow(2, 1.5), within(1e-12));
        assertThat(LanguageModelMetrics.bitsPerToken(ce)).isCloseTo(1.5, within(1e-12));
        assertThatThrownBy(() -> LanguageModelMetrics.crossEntropy(new double[] {0.0}))
                .hasMessageContaining("probability 0 is 0.0");
    }
}
