package org.seq4j.attention;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.Arrays;
import java.util.Map;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.layers.samediff.SameDiffGraphVertex;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.seq4j.util.Checks;

/**
 * The formulas of an {@link Attention} vertex in plain ND4J, on the vertex's own parameters: the attention weights
 * (which the vertex cannot output next to its context), and the step-by-step form for decoding one decoder state at a
 * time. {@code AttentionTest} checks that it equals the vertex.
 *
 * <pre>{@code
 * AttentionStep att = AttentionStep.of(graph, "attention");
 * AttentionStep.Result r = att.attend(decoderState, encoderStates, encoderMask);   // decoderState [mb, nDec]
 * INDArray context = r.context();   // [mb, nEnc, 1]
 * INDArray weights = r.weights();   // [mb, 1, Te]
 * }</pre>
 */
public final class AttentionStep {

    /** Contexts {@code [mb, nEnc, Td]} and weights {@code [mb, Td, Te]} (rows sum to 1; padded steps exactly 0). */
    public record Result(INDArray context, INDArray weights) {
    }

    private final AttentionScore score;
    private final Map<String, INDArray> params;

    public AttentionStep(AttentionScore score, Map<String, INDArray> params) {
        this.score = score;
        this.params = params;
    }

    /** The attention of vertex {@code vertexName} of a graph, sharing (not copying) its parameters. */
    public static AttentionStep of(ComputationGraph graph, String vertexName) {
        GraphVertex v = graph.getVertex(vertexName);
        Checks.require(v != null, "AttentionStep: the graph has no vertex '%s'", vertexName);
        Checks.require(v instanceof SameDiffGraphVertex
                        && ((SameDiffGraphVertex) v).getConfig() instanceof Attention,
                "AttentionStep: vertex '%s' is not an Attention vertex", vertexName);
        Attention conf = (Attention) ((SameDiffGraphVertex) v).getConfig();
        return new AttentionStep(conf.getScore(), v.paramTable(false));
    }

    /**
     * Attention for decoder states {@code dec} ({@code [mb, nDec]} for one step, or {@code [mb, nDec, Td]}) over
     * encoder states {@code enc [mb, nEnc, Te]} with mask {@code encMask [mb, Te]} (null: all valid).
     */
    public Result attend(INDArray dec, INDArray enc, INDArray encMask) {
        INDArray d = dec.rank() == 2 ? dec.reshape(dec.size(0), dec.size(1), 1) : dec;
        Checks.require(d.rank() == 3 && enc.rank() == 3 && d.size(0) == enc.size(0),
                "AttentionStep: expected dec [mb, nDec(, Td)] and enc [mb, nEnc, Te], got %s and %s",
                Arrays.toString(dec.shape()), Arrays.toString(enc.shape()));
        if (d.size(2) == 1) {
            return attendOneStep(d.reshape(d.size(0), d.size(1)), enc, encMask);
        }
        long mb = d.size(0);
        long td = d.size(2);
        long te = enc.size(2);
        INDArray context = Nd4j.create(enc.dataType(), mb, enc.size(1), td);
        INDArray weights = Nd4j.create(enc.dataType(), mb, td, te);
        for (long i = 0; i < mb; i++) {
            INDArray di = d.get(point(i), all(), all()).transpose();            // [Td, nDec]
            INDArray ei = enc.get(point(i), all(), all());                       // [nEnc, Te]
            INDArray e = scores(di, ei);                                         // [Td, Te]
            if (encMask != null) {
                INDArray padding = encMask.get(point(i), all()).reshape(1, te).rsub(1.0).muli(Attention.MASK_SCORE);
                e.addiRowVector(padding);
            }
            INDArray a = Transforms.softmax(e, true);                            // rows over Te
            weights.get(point(i), all(), all()).assign(a);
            context.get(point(i), all(), all()).assign(ei.mmul(a.transpose()));  // [nEnc, Td]
        }
        return new Result(context, weights);
    }

    /**
     * One decoder step for the whole batch at once ({@code dec [mb, nDec]}): a fixed handful of batched ops whatever
     * the batch size, which is what beam search calls at every step.
     */
    private Result attendOneStep(INDArray dec, INDArray enc, INDArray encMask) {
        long mb = enc.size(0);
        long nEnc = enc.size(1);
        long te = enc.size(2);
        INDArray e;                                                              // scores [mb, Te]
        switch (score) {
            case LUONG_DOT -> e = dotOverFeatures(enc, dec);
            case LUONG_GENERAL -> e = dotOverFeatures(enc, dec.mmul(params.get(Attention.WA)));
            case BAHDANAU -> {
                INDArray wk = params.get(Attention.WK);
                long a = wk.size(1);
                INDArray keys = enc.permute(0, 2, 1).dup('c').reshape(mb * te, nEnc).mmul(wk);   // [mb·Te, A]
                INDArray q = dec.mmul(params.get(Attention.WQ)).reshape(mb, 1, a);             // [mb, 1, A]
                INDArray s = Transforms.tanh(keys.reshape(mb, te, a).addi(q.broadcast(mb, te, a)), false);
                e = s.reshape(mb * te, a).mmul(params.get(Attention.V)).reshape(mb, te);
            }
            default -> throw new IllegalStateException("Unknown score " + score);
        }
        if (encMask != null) {
            e.addi(encMask.castTo(e.dataType()).rsub(1.0).muli(Attention.MASK_SCORE));
        }
        INDArray w = Transforms.softmax(e, true);                                // rows over Te
        INDArray context = enc.mul(w.reshape(mb, 1, te).broadcast(mb, nEnc, te)).sum(2);   // [mb, nEnc]
        return new Result(context.reshape(mb, nEnc, 1), w.reshape(mb, 1, te));
    }

    /** {@code Σ_k enc[i, k, s]·q[i, k]}: {@code [mb, Te]}. */
    private static INDArray dotOverFeatures(INDArray enc, INDArray q) {
        return enc.mul(q.reshape(q.size(0), q.size(1), 1).broadcast(enc.shape())).sum(1);
    }

    private INDArray scores(INDArray dt, INDArray e) {
        switch (score) {
            case LUONG_DOT:
                return dt.mmul(e);
            case LUONG_GENERAL:
                return dt.mmul(params.get(Attention.WA)).mmul(e);
            case BAHDANAU: {
                INDArray q = dt.mmul(params.get(Attention.WQ));                  // [Td, A]
                INDArray k = e.transpose().mmul(params.get(Attention.WK));       // [Te, A]
                INDArray v = params.get(Attention.V);                            // [A, 1]
                INDArray out = Nd4j.create(dt.dataType(), dt.size(0), e.size(1));
                for (long t = 0; t < dt.size(0); t++) {
                    INDArray s = Transforms.tanh(k.addRowVector(q.getRow(t, true)), false);   // [Te, A]
                    out.putRow(t, s.mmul(v).reshape(1, e.size(1)));
                }
                return out;
            }
            default:
                throw new IllegalStateException("Unknown score " + score);
        }
    }
}
