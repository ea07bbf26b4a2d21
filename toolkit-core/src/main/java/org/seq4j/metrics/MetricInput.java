package org.seq4j.metrics;

import java.util.ArrayList;
import java.util.List;

import org.seq4j.util.Checks;

/** The input checks BLEU and chrF share: clear errors for empty input, null lines and unequal stream lengths. */
final class MetricInput {

    private MetricInput() {
    }

    static void check(String metric, List<String> hypotheses, List<List<String>> references) {
        Checks.require(hypotheses != null && !hypotheses.isEmpty(), "%s: no hypotheses (empty input)", metric);
        Checks.require(references != null && !references.isEmpty(), "%s: no reference streams", metric);
        for (int i = 0; i < hypotheses.size(); i++) {
            Checks.require(hypotheses.get(i) != null, "%s: hypothesis %d (1-based) is null", metric, i + 1);
        }
        for (int k = 0; k < references.size(); k++) {
            List<String> stream = references.get(k);
            Checks.require(stream != null && stream.size() == hypotheses.size(),
                    "%s: reference stream %d has %s lines but there are %d hypotheses", metric, k + 1,
                    stream == null ? "no" : Integer.toString(stream.size()), hypotheses.size());
        }
        for (int i = 0; i < hypotheses.size(); i++) {
            Checks.require(!referencesOf(references, i).isEmpty(), "%s: sentence %d (1-based) has no reference "
                    + "(every one is null or empty)", metric, i + 1);
        }
    }

    /** The non-null, non-empty references of sentence {@code i}, in stream order. */
    static List<String> referencesOf(List<List<String>> references, int i) {
        List<String> out = new ArrayList<>();
        for (List<String> stream : references) {
            String r = stream.get(i);
            if (r != null && !r.isEmpty()) {
                out.add(r);
            }
        }
        return out;
    }

    /** One sentence's references as reference streams of one line each (for sentence-level scores). */
    static List<List<String>> sentenceStreams(List<String> references) {
        List<List<String>> streams = new ArrayList<>();
        for (String r : references) {
            streams.add(java.util.Collections.singletonList(r));
        }
        return streams;
    }
}
