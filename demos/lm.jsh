// seq4j walkthrough: a recurrent language model — continuous streams, truncated BPTT, perplexity, sampling — and
// the copy-memory probe of long memory.
// Run it with:  demos/run.sh lm        (a seconds-long smoke version: SEQ4J_SMOKE=1 demos/run.sh lm)
// The full version trains a character-level LSTM on tiny-shakespeare for a few minutes.

import java.util.List;
import org.seq4j.cells.RecurrentSpec;
import org.seq4j.decode.Sampling;
import org.seq4j.tasks.data.TinyShakespeare;
import org.seq4j.tasks.lm.LanguageModel;
import org.seq4j.tasks.lm.LmConfig;
import org.seq4j.tasks.lm.LmText;
import org.seq4j.tasks.memory.CopyMemory;
import org.seq4j.train.TrainConfig;

boolean smoke = System.getenv("SEQ4J_SMOKE") != null;

// ## 1. Data: tiny-shakespeare (bundled), characters; the last 10% held out (nanoGPT's split).
LmText[] split = TinyShakespeare.read(LmText.Level.CHAR).split(0.1);
LmText train = smoke ? split[0].head(100_000) : split[0];   // a character model's vocabulary is closed: the head
                                                            // must hold every character of the validation text
LmText valid = smoke ? split[1].head(3_000) : split[1].head(50_000);
System.out.printf("train %,d characters, valid %,d%n", train.size(), valid.size());

// ## 2. The model: embedding -> LSTM -> softmax. Training cuts the text into `batch` parallel streams and reads
// them in segments of `bptt` steps; the state is carried from segment to segment (truncated BPTT), reset only at the
// start of an epoch.
int units = smoke ? 32 : 256;
LmConfig config = new LmConfig(LmText.Level.CHAR, RecurrentSpec.of("lstm", units), 32, 0.0, smoke ? 25 : 100,
        smoke ? 16 : 32, 0, 0.0);
LanguageModel lm = new LanguageModel(config);
TrainConfig recipe = TrainConfig.defaults().withEpochs(smoke ? 1 : 3).
        withOptimizer(TrainConfig.Optimizer.ADAM, smoke ? 0.01 : 0.003).withClipping(5, 0).withSeed(7);
var result = lm.fit(train, valid, recipe);
LanguageModel.Evaluation e = lm.evaluate(valid, 1, false);
System.out.printf("validation: %.3f bits per character (perplexity %.2f) after %d epochs, %,.0f tokens/s%n",
        e.bitsPerToken(), e.perplexity(), result.epochs(), result.tokensPerSecond());
// A uniform guess over the vocabulary costs log2(V) bits per character:
double uniform = Math.log(lm.vocabulary().size()) / Math.log(2);
System.out.printf("check the model beats a uniform guess (%.2f bits): %s%n", uniform, e.bitsPerToken() < uniform - 0.5 ? "ok" : "FAILED");

// ## 3. Sampling steps from the carried state, one character at a time: greedy, then temperature / nucleus.
LmText prompt = LmText.of("prompt", "ROMEO:\n", LmText.Level.CHAR);
for (Sampling s : List.of(Sampling.greedy(), new Sampling(0.7, 0, 0.95), new Sampling(1.0, 0, 1.0))) {
    System.out.printf("--- %s%n%s%s%n", s, "ROMEO:\n", lm.detokenize(lm.generate(prompt, smoke ? 60 : 300, s, 1)));
}
List<String> a = lm.generate(prompt, 40, new Sampling(1.0, 10, 0.9), 5);
System.out.printf("check the same seed gives the same sample: %s%n", a.equals(lm.generate(prompt, 40, new Sampling(1.0, 10, 0.9), 5)) ? "ok" : "FAILED");

// ## 4. Long memory: the copy task (10 symbols, a delay, then repeat them). Chance is 10·ln 8 / (delay + 20).
var opts = smoke ? CopyMemory.Options.defaults(true) : new CopyMemory.Options(10, 4000, 20, 50, 0.005, 42);
for (String cell : List.of("srn", "lstm")) {
    var r = CopyMemory.run(RecurrentSpec.of(cell, smoke ? 8 : 64), opts).detail();
    System.out.printf("%-5s cross-entropy %.3f (chance %.3f), recall %.0f%%%n", cell, r.testCrossEntropy(), r.chance(), 100 * r.recallAccuracy());
}
System.out.println("DEMO OK");
/exit
