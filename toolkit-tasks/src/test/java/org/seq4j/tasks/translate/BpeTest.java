package org.seq4j.tasks.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seq4j.train.TrainConfig;

class BpeTest {

    /** Sennrich et al.'s example: low ×5, lower ×2, newest ×6, widest ×3. */
    private static List<List<String>> toyCorpus() {
        List<List<String>> s = new ArrayList<>();
        String[][] words = {{"low", "5"}, {"lower", "2"}, {"newest", "6"}, {"widest", "3"}};
        for (String[] w : words) {
            for (int i = 0; i < Integer.parseInt(w[1]); i++) {
                s.add(List.of(w[0]));
            }
        }
        return s;
    }

    @Test
    void learnsTheMostFrequentPairsFirst() {
        // pair counts: (e,s) 9 and (s,t</w>) 9 tie → "e s" first (earlier as strings); then es+t</w> 9, l+o 7,
        // then (e,w) (n,e) (w,est</w>) tie at 6 → e+w; then ew+est</w> (6, ties n+ew), then n+ewest</w>
        Bpe bpe = Bpe.learn(toyCorpus(), 6, 1);
        List<String> merges = bpe.merges().stream().map(m -> m[0] + " " + m[1]).toList();
        assertThat(merges).containsExactly("e s", "es t</w>", "l o", "e w", "ew est</w>", "n ewest</w>");
        assertThat(bpe.segment("newest")).containsExactly("newest");
        assertThat(bpe.segment("lowest")).containsExactly("lo", "w", "est");   // unseen: known pieces
        assertThat(bpe.apply(List.of("lowest", Tokens.JOINER + "!"))).containsExactly("lo", Tokens.JOINER + "w",
                Tokens.JOINER + "est", Tokens.JOINER + "!");
        assertThat(bpe.apply(List.of("a", Tokens.JOINER + "widest"))).containsExactly("a",
                Tokens.JOINER + "w", Tokens.JOINER + "i", Tokens.JOINER + "d", Tokens.JOINER + "est");
        // no pair occurs 10 times: nothing is learned
        assertThat(Bpe.learn(toyCorpus(), 6, 10).merges()).isEmpty();
    }

    @Test
    void subwordsDetokenizeToTheOriginalText() {
        Random r = new Random(3);
        String alphabet = "abcdeäöüß ,.!-";
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 5 + r.nextInt(40);
            for (int j = 0; j < n; j++) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            texts.add(sb.toString());
        }
        List<List<String>> tokenized = texts.stream().map(Tokens::tokenize).toList();
        Bpe bpe = Bpe.learn(tokenized, 200, 2);
        assertThat(bpe.merges()).isNotEmpty();
        for (String t : texts) {
            List<String> pieces = bpe.apply(Tokens.tokenize(t));
            assertThat(Tokens.detokenize(pieces)).isEqualTo(Tokens.detokenize(Tokens.tokenize(t)));
        }
    }

    @Test
    void aTranslatorKeepsItsMergesInItsModelFile(@TempDir Path dir) {
        Translator t = new Translator(TranslatorTest.small(TranslateConfig.Attention.LUONG_GENERAL, "lstm",
                TranslateConfig.Bridge.NONE).withBpe(40));
        t.fit(SyntheticPairs.dates(300, 1), null, TrainConfig.defaults().withEpochs(1).withQuiet(true).withSeed(1));
        List<String> pieces = t.pieces("Thursday, 5 Marchember 1998");   // "Marchember": never seen whole
        assertThat(pieces).contains(Tokens.JOINER + ",");
        assertThat(pieces.stream().filter(p -> p.startsWith(Tokens.JOINER)).count()).isGreaterThan(2);
        assertThat(Tokens.detokenize(pieces)).isEqualTo("Thursday, 5 Marchember 1998");
        t.save(dir.resolve("m.zip"));
        Translator back = Translator.load(dir.resolve("m.zip"));
        assertThat(back.pieces("Thursday, 5 Marchember 1998")).isEqualTo(pieces);
        assertThat(back.config().bpeMerges()).isEqualTo(40);
    }
}
