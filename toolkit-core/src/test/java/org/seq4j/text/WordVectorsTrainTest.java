package org.seq4j.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordVectorsTrainTest {

    private static double cosine(float[] a, float[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }

    /**
     * Two kinds of sentence: animals that eat and vehicles that drive. Words of one kind share their contexts, so
     * word2vec puts them closer to each other than to the other kind.
     */
    @Test
    void wordsThatShareContextsGetCloseVectors(@TempDir Path dir) throws Exception {
        Random r = new Random(1);
        String[] animals = {"cat", "dog", "cow"};
        String[] vehicles = {"car", "bus", "van"};
        List<List<String>> sentences = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            sentences.add(r.nextBoolean()
                    ? List.of("the", animals[r.nextInt(3)], "eats", "grass", "and", "sleeps")
                    : List.of("a", vehicles[r.nextInt(3)], "drives", "on", "roads", "fast"));
        }
        Path a = dir.resolve("a.txt");
        assertThat(WordVectors.train(sentences, 16, 2, 5, 7, a)).isEqualTo(16);
        // (not asserted: the same vectors for the same seed. DL4J's Word2Vec gave different vectors for the same seed
        // in one of about ten fresh-JVM runs, though one worker and a seed; see docs/tagging.md)
        WordVectors v = WordVectors.read(a, null);
        assertThat(v.dimension()).isEqualTo(16);
        assertThat(v.size()).isEqualTo(16);
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        sentences.forEach(st -> st.forEach(w -> counts.merge(w, 1, Integer::sum)));
        assertThat(v.words()).as("most frequent first").isSortedAccordingTo(
                java.util.Comparator.comparing((String w) -> -counts.get(w)).thenComparing(w -> w));
        double same = (cosine(v.get("cat"), v.get("dog")) + cosine(v.get("car"), v.get("bus"))) / 2;
        double across = (cosine(v.get("cat"), v.get("car")) + cosine(v.get("dog"), v.get("bus"))) / 2;
        assertThat(same).isGreaterThan(across + 0.2);
        assertThatThrownBy(() -> WordVectors.train(List.of(List.of("once")), 8, 2, 1, 1, dir.resolve("c.txt")))
                .hasMessageContaining("no word occurs 2 or more times");
    }
}
