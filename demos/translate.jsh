// seq4j walkthrough: translation with an encoder-decoder, attention and beam search — on a task you can check by
// eye: writing dates ("Thursday, 5 March 1998", "05.03.1998", ...) the ISO way (1998-03-05).
// Run it with:  demos/run.sh translate        (a smoke version: SEQ4J_SMOKE=1 demos/run.sh translate)
// The full version trains for a few minutes on 2 cores.

import java.util.List;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.data.ParallelText;
import org.seq4j.metrics.Bleu;
import org.seq4j.metrics.ChrF;
import org.seq4j.tasks.translate.*;
import org.seq4j.train.TrainConfig;

boolean smoke = System.getenv("SEQ4J_SMOKE") != null;

// ## 1. Data and tokens. Tokens are reversible: a token glued to the previous one carries the joiner ￭.
List<ParallelText.Pair> train = SyntheticPairs.dates(smoke ? 1500 : 20000, 1);
List<ParallelText.Pair> test = SyntheticPairs.dates(smoke ? 100 : 500, 2);
System.out.println(train.get(0).source() + "  ->  " + train.get(0).target());
System.out.println(Tokens.tokenize(train.get(0).source()) + "  " + Tokens.tokenize(train.get(0).target()));
System.out.printf("check detokenize(tokenize(x)) == x: %s%n",
        Tokens.detokenize(Tokens.tokenize("Thursday, 5 March 1998")).equals("Thursday, 5 March 1998") ? "ok" : "FAILED");

// ## 2. The model: a bidirectional LSTM encoder, an LSTM decoder, Luong attention (general score), softmax.
// (JShell reads a line that completes a statement as the statement: continued lines end in a dot)
TranslateConfig config = TranslateConfig.defaults().
        withEncoder(RecurrentSpec.of("lstm", smoke ? 32 : 64).withBidirectional(Bidirectional.Mode.CONCAT)).
        withDecoder(RecurrentSpec.of("lstm", smoke ? 64 : 128)).withEmbedding(32).withDropout(smoke ? 0 : 0.1).
        withBatch(32).withVocabulary(1, 0, false).withBridge(TranslateConfig.Bridge.NONE);
Translator model = new Translator(config);
var result = model.fit(train, test.subList(0, 50), TrainConfig.defaults().withEpochs(smoke ? 4 : 10)
        .withOptimizer(TrainConfig.Optimizer.ADAM, 0.005).withClipping(5, 0).withSeed(3));
// per epoch: BLEU of greedy decoding (the model reads its own output) and teacher-forced accuracy (it reads the truth)
model.history().forEach(d -> System.out.printf("epoch %d: greedy BLEU %.1f, teacher-forced accuracy %.3f%n",
        d.epoch() + 1, d.greedyBleu(), d.teacherForcedAccuracy()));
System.out.printf("check teacher-forced accuracy rose during training: %s%n",
        model.history().get(model.history().size() - 1).teacherForcedAccuracy() > model.history().get(0).teacherForcedAccuracy() ? "ok" : "FAILED");

// ## 3. Decoding steps the decoder from its CellState: greedy, then beam search with n-best lists.
Translator.Evaluation greedy = model.evaluate(test, Decoding.greedy());
Translator.Evaluation beam = model.evaluate(test, Decoding.beam(4));
System.out.printf("greedy: BLEU %.1f, chrF %.1f, exact %.0f%%;  beam 4: BLEU %.1f, exact %.0f%%%n",
        greedy.bleu(), greedy.chrF(), 100 * greedy.exactMatch(), beam.bleu(), 100 * beam.exactMatch());
var out = model.translate(List.of("Sunday, 1 January 2023", "12.10.1969"), Decoding.beam(4).withNBest(3));
for (var t : out) {
    System.out.println(t.source());
    t.nBest().forEach(h -> System.out.printf("   %-12s score %.3f  (ln p %.3f)%n", h.text(), h.score(), h.logProb()));
}
// a hypothesis' score is exactly the model's probability of it: forced decoding gives the same number
var h = out.get(1).best();
double forced = model.logProbability(List.of(new ParallelText.Pair("12.10.1969", h.text(), 1)))[0];
System.out.printf("check beam score == forced log-probability (%.5f vs %.5f): %s%n", h.logProb(), forced,
        Math.abs(h.logProb() - forced) < 1e-3 ? "ok" : "FAILED");

// ## 4. Attention: which source token each output token looked at (rows: output, columns: source).
var a = out.get(0).best();
List<String> src = out.get(0).sourceTokens();
System.out.printf("%-8s%s%n", "", String.join("", src.stream().map(s -> String.format("%9s", s)).toList()));
for (int i = 0; i < a.tokens().size(); i++) {
    StringBuilder row = new StringBuilder(String.format("%-8s", a.tokens().get(i)));
    for (float w : a.attention()[i]) row.append(String.format("%9.2f", w));
    System.out.println(row);
}

// ## 5. Scores exactly as sacreBLEU 2.x computes them, with its signature.
System.out.printf("BLEU|%s = %.2f%n", Bleu.Options.DEFAULT.signature(1), Bleu.corpus(beam.hypotheses(), beam.references()).score());
System.out.printf("chrF2|%s = %.2f%n", ChrF.Options.CHRF.signature(1), ChrF.corpus(beam.hypotheses(), beam.references()));
System.out.printf("check an identical sentence scores BLEU 100: %s%n",
        Math.abs(Bleu.sentence("1998-03-05", List.of("1998-03-05")).score() - 100) < 1e-9 ? "ok" : "FAILED");
System.out.println("DEMO OK");
/exit
