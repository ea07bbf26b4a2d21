// seq4j walkthrough: sequence tagging — POS tags on the bundled Brown sample with a BiGRU and character features;
// raw text split into Penn Treebank tokens; chunk tags in BIO and IOBES, scored as conlleval scores them.
// Run it with:  demos/run.sh tag        (a smoke version: SEQ4J_SMOKE=1 demos/run.sh tag)
// The full version trains for a few minutes on 2 cores.

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.data.ConllReader.Block;
import org.seq4j.metrics.ChunkEvaluation;
import org.seq4j.tasks.data.BrownCorpus;
import org.seq4j.tasks.tagging.*;
import org.seq4j.text.PtbTokenizer;
import org.seq4j.train.TrainConfig;

boolean smoke = System.getenv("SEQ4J_SMOKE") != null;

// ## 1. Data: 1,019 sentences of the Brown corpus, one token per row: word and (simplified) POS tag.
List<Block> brown = BrownCorpus.sample();
List<Block> train = brown.subList(0, smoke ? 600 : 900);
List<Block> test = brown.subList(900, 1019);
System.out.println(brown.get(0).column(0).subList(0, 8) + "\n" + brown.get(0).column(1).subList(0, 8));

// A baseline to beat: every word gets the tag it had most often in training (unseen words: the commonest tag).
Map<String, Map<String, Long>> seen = train.stream().flatMap(b -> b.rows().stream()).collect(Collectors.groupingBy(
        r -> r[0], Collectors.groupingBy(r -> r[1], Collectors.counting())));
String commonest = train.stream().flatMap(b -> b.column(1).stream()).collect(Collectors.groupingBy(t -> t,
        Collectors.counting())).entrySet().stream().max(Map.Entry.comparingByValue()).get().getKey();
long right = 0, total = 0;
for (Block b : test) {
    for (String[] r : b.rows()) {
        Map<String, Long> c = seen.get(r[0]);
        String guess = c == null ? commonest : c.entrySet().stream().max(Map.Entry.comparingByValue()).get().getKey();
        right += guess.equals(r[1]) ? 1 : 0;
        total++;
    }
}
double baseline = (double) right / total;
System.out.printf("most-frequent-tag baseline: %.1f%% of %d test tokens%n", 100 * baseline, total);

// ## 2. The tagger: word embeddings + a character CNN (for words it has not seen) -> bidirectional GRU -> softmax
// (for chunks and entities, whose tags depend on their neighbours', keep bilstmCrf's CRF). Dropout on the encoder's
// input and output and word dropout; bilstmCrf's 0.5 suits the full corpora, this small sample takes 0.25.
// (JShell reads a line that completes a statement as the statement: continued lines end in a dot)
TaggerConfig config = TaggerConfig.bilstmCrf(null).withColumns(0, 1, List.of()).withCrf(false).
        withDropout(new TaggerConfig.Dropout(0.25, 0.25, 0.05)).
        withEncoder(RecurrentSpec.of("gru", smoke ? 32 : 64).withBidirectional(Bidirectional.Mode.CONCAT)).
        withWords(smoke ? 32 : 64, null, true, 1).withCharCnn(true, smoke ? 16 : 30, 15).
        withTrain(TrainConfig.defaults().withEpochs(smoke ? 4 : 10).withOptimizer(TrainConfig.Optimizer.ADAM, 0.02).
                withSchedule(TaggerConfig.inverseTimeDecay(0.02, 0.1)).withClipping(5, 0).withSeed(7).withQuiet(true));
Tagger tagger = new Tagger(config);
var result = tagger.fit(train, test);
System.out.printf("dev accuracy by epoch: %s%n", result.validationHistory());
Tagger.Evaluation e = tagger.evaluate(test);
System.out.printf("tagger: %.1f%% (baseline %.1f%%); most frequent errors %s%n", 100 * e.result().tokenAccuracy(),
        100 * baseline, e.topConfusions().subList(0, 3));
System.out.printf("check the tagger beats the most-frequent-tag baseline: %s%n",
        e.result().tokenAccuracy() > baseline ? "ok" : "FAILED");

// ## 3. Raw text: split into Penn Treebank tokens, then tagged.
String text = "The jury didn't say (yet) whether the \"new\" law would pass.";
List<String> tokens = PtbTokenizer.tokenize(text);
System.out.println(tokens);
System.out.printf("check PTB tokens (did n't, -LRB-, `` ''): %s%n",
        tokens.containsAll(List.of("did", "n't", "-LRB-", "``", "''", ".")) ? "ok" : "FAILED");
Path raw = Files.createTempFile("seq4j-demo", ".txt");
Files.writeString(raw, text + "\n");
List<Block> sentences = TaggingData.readText(raw);
List<String> tags = tagger.predict(sentences).get(0);
for (int i = 0; i < tokens.size(); i++) {
    System.out.print(tokens.get(i) + "/" + tags.get(i) + " ");
}
System.out.println();

// ## 4. Chunk tags: BIO marks the first token of a chunk (B) and the others (I); IOBES also marks single-token
// chunks (S) and last tokens (E). Taggers learn IOBES by default and report in the data's scheme.
List<String> bio = List.of("B-NP", "I-NP", "B-VP", "B-NP", "I-NP", "I-NP", "O");
List<String> iobes = ChunkEvaluation.convert(bio, ChunkEvaluation.Scheme.BIO, ChunkEvaluation.Scheme.IOBES);
System.out.println(bio + "\n" + iobes);
System.out.printf("check BIO -> IOBES -> BIO is the identity: %s%n", ChunkEvaluation.convert(iobes,
        ChunkEvaluation.Scheme.IOBES, ChunkEvaluation.Scheme.BIO).equals(bio) ? "ok" : "FAILED");
// conlleval's chunk F1: a chunk counts only when its type and both ends are right
var score = ChunkEvaluation.evaluate(List.of(bio), List.of(List.of("B-NP", "I-NP", "B-VP", "B-NP", "I-NP", "O", "O")),
        ChunkEvaluation.Scheme.BIO);
System.out.printf("one of three chunks wrong (the last NP ends early): P %.2f R %.2f F1 %.2f%n",
        score.overall().precision(), score.overall().recall(), score.overall().f1());
System.out.printf("check F1 = 2/3: %s%n", Math.abs(score.overall().f1() - 2.0 / 3) < 1e-12 ? "ok" : "FAILED");

// ## 5. Save and load: the model file holds the graph, vocabularies and the whole configuration.
Path file = Files.createTempFile("seq4j-tagger", ".zip");
tagger.save(file);
Tagger loaded = Tagger.load(file);
System.out.printf("check the loaded tagger predicts the same tags: %s%n",
        loaded.predict(test).equals(tagger.predict(test)) ? "ok" : "FAILED");
System.out.println("DEMO OK");
/exit
