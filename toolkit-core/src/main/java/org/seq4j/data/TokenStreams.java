package org.seq4j.data;


import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.seq4j.train.EpochData;
import org.seq4j.util.Checks;

/**
 * Continuous-stream batching for language models (Zaremba et al. 2014; PyTorch's word_language_model
 * {@code batchify}): a token sequence cut into {@code B} parallel streams of equal length (the last
 * {@code n mod B} tokens are dropped), then read in segments of {@code bptt} steps. Row {@code i} of segment
 * {@code k} continues row {@code i} of segment {@code k − 1}, so a model that carries its recurrent state across
 * batches ({@link org.seq4j.train.Trainer#carryStateAcrossBatches}) sees every stream as one long sequence.
 *
 * <p>A segment's input is {@code [B, 1, T]} token ids (as floats, for DL4J's {@code EmbeddingSequenceLayer}) and
 * its label is {@code [B, 1, T]}: the next token of each step (for a sparse softmax cross-entropy). The last
 * segment may be shorter than {@code bptt}.
 */
public final class TokenStreams {

    private final int[][] streams;

    private TokenStreams(int[][] streams) {
        this.streams = streams;
    }

    /** {@code ids} cut into {@code count} streams; each needs at least two tokens (an input and its next token). */
    public static TokenStreams of(int[] ids, int count) {
        Checks.require(count >= 1, "TokenStreams: the number of streams must be >= 1, got %d", count);
        int length = ids.length / count;
        Checks.require(length >= 2, "TokenStreams: %d tokens cannot make %d streams of at least 2 tokens; use fewer "
                + "streams (a smaller batch) or more text", ids.length, count);
        int[][] s = new int[count][length];
        for (int i = 0; i < count; i++) {
            System.arraycopy(ids, i * length, s[i], 0, length);
        }
        return new TokenStreams(s);
    }

    public int count() {
        return streams.length;
    }

    /** Tokens per stream. */
    public int length() {
        return streams[0].length;
    }

    /** Predicted tokens over all segments: {@code B · (length − 1)}. */
    public long targets() {
        return (long) streams.length * (length() - 1);
    }

    /** Segments of {@code bptt} steps: {@code ceil((length − 1) / bptt)}. */
    public int segments(int bptt) {
        Checks.require(bptt >= 1, "TokenStreams: bptt must be >= 1, got %d", bptt);
        return (length() - 2) / bptt + 1;
    }

    /** Segment {@code k} (0-based) of {@code bptt} steps: inputs and next-token labels, {@code [B, 1, T]} each. */
    public MultiDataSet segment(int k, int bptt) {
        int segs = segments(bptt);
        Checks.require(k >= 0 && k < segs, "TokenStreams: segment %d out of range [0, %d)", k, segs);
        int start = k * bptt;
        int steps = Math.min(bptt, length() - 1 - start);
        int b = streams.length;
        float[] in = new float[b * steps];
        float[] out = new float[b * steps];
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < steps; t++) {
                in[i * steps + t] = streams[i][start + t];
                out[i * steps + t] = streams[i][start + t + 1];
            }
        }
        INDArray x = Nd4j.create(in, new long[] {b, 1, steps}, 'c').castTo(DataType.FLOAT);
        INDArray y = Nd4j.create(out, new long[] {b, 1, steps}, 'c').castTo(DataType.FLOAT);
        return new MultiDataSet(new INDArray[] {x}, new INDArray[] {y});
    }

    /** The training data of every epoch: all segments, in order, each built when the trainer reads it. */
    public EpochData epochData(int bptt) {
        int count = segments(bptt);
        return epoch -> EpochData.onDemand(count, k -> segment(k, bptt));
    }

    /** Stream {@code i}'s tokens (a copy). */
    public int[] stream(int i) {
        return streams[i].clone();
    }
}
