package org.seq4j.core;

import java.nio.FloatBuffer;
import java.util.Collection;
import java.util.Map;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BidirectionalLayer;
import org.deeplearning4j.nn.params.BidirectionalParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.TimeSeriesUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

/**
 * DL4J's {@link Bidirectional} wrapper (same parameters, same modes, same results) whose CONCAT mode joins the two
 * directions with Java loops: the backward direction's output is reversed in time and copied into the second half of
 * the output in one pass, and on the way back its gradient is split and reversed the same way. DL4J M2.1 does both
 * with native ops that took 37 ms for one {@code [32, 256, 50]} concatenation on one core here (its {@code concat}
 * on 'f'-ordered arrays), about a fifth of a BiLSTM H = 256 train step. When both directions hand on time-major float
 * rows (the core's layers do) the join, the split and the sum of the input gradients are copies and adds of whole
 * rows; otherwise element loops through {@link Strided3}. {@code RecurrentStack} uses it for every
 * bidirectional layer; models saved with DL4J's own {@code Bidirectional} load and run as before.
 */
public class FastBidirectional extends Bidirectional {

    /** For JSON deserialisation. */
    protected FastBidirectional() {
        super();
    }

    public FastBidirectional(Mode mode, Layer layer) {
        super(mode, layer);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> listeners, int layerIndex,
                                                       INDArray paramsView, boolean initializeParams,
                                                       DataType networkDataType) {
        BidirectionalLayer dl4j = (BidirectionalLayer) super.instantiate(conf, listeners, layerIndex, paramsView,
                initializeParams, networkDataType);
        NeuralNetConfiguration c1 = conf.clone();
        NeuralNetConfiguration c2 = conf.clone();
        c1.setLayer(getFwd());
        c2.setLayer(getBwd());
        long n = paramsView.length() / 2;
        INDArray flat = paramsView.reshape(paramsView.length());
        org.deeplearning4j.nn.api.Layer f = getFwd().instantiate(c1, listeners, layerIndex, flat.get(interval(0, n)),
                false, networkDataType);
        org.deeplearning4j.nn.api.Layer b = getBwd().instantiate(c2, listeners, layerIndex,
                flat.get(interval(n, 2 * n)), false, networkDataType);
        Runtime r = new Runtime(conf, f, b, paramsView);
        r.setParamTable(dl4j.paramTable());
        r.setConf(conf);
        return r;
    }

    /** {@link BidirectionalLayer} with CONCAT's join and split as Java loops (other modes: DL4J's code). */
    static final class Runtime extends BidirectionalLayer {

        private final org.deeplearning4j.nn.api.Layer fwd;
        private final org.deeplearning4j.nn.api.Layer bwd;

        Runtime(NeuralNetConfiguration conf, org.deeplearning4j.nn.api.Layer fwd,
                org.deeplearning4j.nn.api.Layer bwd, INDArray paramsView) {
            super(conf, fwd, bwd, paramsView);
            this.fwd = fwd;
            this.bwd = bwd;
        }

        /** Work arrays of the layout loops ({@link Strided3}), kept between passes. */
        private final double[][] work = new double[3][];

        private void keep(Strided3... used) {
            for (int k = 0; k < used.length; k++) {
                work[k] = used[k].values();
            }
        }

        private float[] floats = new float[0];

        /** Joins, splits and sums done by row copies so far (a test checks the path is taken). */
        static final java.util.concurrent.atomic.AtomicLong ROW_COPIES = new java.util.concurrent.atomic.AtomicLong();

        /** A float work array of at least {@code len} values, kept between passes. */
        private float[] floatWork(int len) {
            if (floats.length < len) {
                floats = new float[len];
            }
            return floats;
        }

        /**
         * Whether {@code a [mb, n, T]} is single precision and lies in memory as time-major rows {@code [T, mb, n]}
         * (the layout RecurrentRuntime hands its outputs and input gradients on in): then a time step is one
         * contiguous block of {@code mb·n} values and a row of it {@code n} values.
         */
        private static boolean floatRows(INDArray a) {
            return a.rank() == 3 && a.dataType() == DataType.FLOAT && !a.isEmpty()
                    && a.stride(1) == 1 && a.stride(0) == a.size(1) && a.stride(2) == a.size(0) * a.size(1);
        }

        private boolean concat() {
            Bidirectional c = (Bidirectional) conf().getLayer();
            return c.getMode() == Mode.CONCAT && c.getRNNDataFormat() == RNNFormat.NCW;
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr ws) {
            if (!concat()) {
                return super.activate(training, ws);
            }
            INDArray out1 = fwd.activate(training, ws);
            INDArray out2 = bwd.activate(training, ws);
            if (out1.rank() != 3 || !Strided3.supports(out1) || !Strided3.supports(out2)) {
                INDArray rev = out2.rank() == 2 ? out2 : TimeSeriesUtils.reverseTimeSeries(out2, ws,
                        ArrayType.FF_WORKING_MEM);
                return ws.leverageTo(ArrayType.ACTIVATIONS, org.nd4j.linalg.factory.Nd4j.concat(1, out1, rev));
            }
            int mb = (int) out1.size(0);
            int n = (int) out1.size(1);
            int steps = (int) out1.size(2);
            // time-major rows [T, mb, 2n], returned as the [mb, 2n, T] view (as RecurrentRuntime's output)
            INDArray rows = ws.createUninitialized(ArrayType.ACTIVATIONS, out1.dataType(),
                    new long[] {steps, mb, 2L * n}, 'c');
            if (floatRows(out1) && floatRows(out2)) {
                // both directions' outputs are time-major float rows already: row copies, no per-element loop
                ROW_COPIES.incrementAndGet();
                FloatBuffer a = out1.data().asNioFloat();
                FloatBuffer b = out2.data().asNioFloat();
                FloatBuffer o = rows.data().asNioFloat();
                int block = mb * n;
                float[] buf = floatWork(block);
                for (int t = 0; t < steps; t++) {
                    int to = (int) rows.offset() + t * 2 * block;
                    a.get((int) out1.offset() + t * block, buf, 0, block);
                    for (int i = 0; i < mb; i++) {
                        o.put(to + i * 2 * n, buf, i * n, n);
                    }
                    b.get((int) out2.offset() + (steps - 1 - t) * block, buf, 0, block);
                    for (int i = 0; i < mb; i++) {
                        o.put(to + i * 2 * n + n, buf, i * n, n);
                    }
                }
                return rows.permute(1, 2, 0);
            }
            Strided3 o = new Strided3(rows, work[0]);
            Strided3 a = new Strided3(out1, work[1]);
            Strided3 b = new Strided3(out2, work[2]);
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < mb; i++) {
                    for (int k = 0; k < n; k++) {
                        o.set(t, i, k, a.get(i, k, t));
                        o.set(t, i, n + k, b.get(i, k, steps - 1 - t));
                    }
                }
            }
            o.flush();
            keep(o, a, b);
            return rows.permute(1, 2, 0);
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr ws) {
            if (!concat() || epsilon.rank() != 3 || !Strided3.supports(epsilon)) {
                return super.backpropGradient(epsilon, ws);
            }
            int mb = (int) epsilon.size(0);
            int n = (int) epsilon.size(1) / 2;
            int steps = (int) epsilon.size(2);
            INDArray eFwd = epsilon.get(all(), interval(0, n), all());
            INDArray eBwdRows = ws.createUninitialized(ArrayType.BP_WORKING_MEM, epsilon.dataType(),
                    new long[] {steps, mb, n}, 'c');
            if (floatRows(epsilon)) {
                // the backward direction's half of each row, reversed in time, by row copies
                ROW_COPIES.incrementAndGet();
                FloatBuffer e = epsilon.data().asNioFloat();
                FloatBuffer eb = eBwdRows.data().asNioFloat();
                int block = mb * n;
                float[] buf = floatWork(2 * block);
                for (int t = 0; t < steps; t++) {
                    e.get((int) epsilon.offset() + t * 2 * block, buf, 0, 2 * block);
                    int to = (int) eBwdRows.offset() + (steps - 1 - t) * block;
                    for (int i = 0; i < mb; i++) {
                        eb.put(to + i * n, buf, i * 2 * n + n, n);
                    }
                }
            } else {
                Strided3 e = new Strided3(epsilon, work[0]);
                Strided3 eb = new Strided3(eBwdRows, work[1]);
                for (int t = 0; t < steps; t++) {
                    for (int i = 0; i < mb; i++) {
                        for (int k = 0; k < n; k++) {
                            eb.set(steps - 1 - t, i, k, e.get(i, n + k, t));
                        }
                    }
                }
                eb.flush();
                keep(e, eb);
            }
            INDArray eBwd = eBwdRows.permute(1, 2, 0);
            Pair<Gradient, INDArray> g1 = fwd.backpropGradient(eFwd, ws);
            Pair<Gradient, INDArray> g2 = bwd.backpropGradient(eBwd, ws);
            Gradient g = new DefaultGradient(getGradientsViewArray());
            for (Map.Entry<String, INDArray> en : g1.getFirst().gradientForVariable().entrySet()) {
                g.gradientForVariable().put(BidirectionalParamInitializer.FORWARD_PREFIX + en.getKey(), en.getValue());
            }
            for (Map.Entry<String, INDArray> en : g2.getFirst().gradientForVariable().entrySet()) {
                g.gradientForVariable().put(BidirectionalParamInitializer.BACKWARD_PREFIX + en.getKey(),
                        en.getValue());
            }
            // dL/dx = the forward direction's + the backward direction's, reversed back in time
            INDArray epsOut = g1.getSecond();
            INDArray back = g2.getSecond();
            if (!Strided3.supports(epsOut) || !Strided3.supports(back)) {
                epsOut.addi(TimeSeriesUtils.reverseTimeSeries(back, ws, ArrayType.BP_WORKING_MEM));
                return new Pair<>(g, epsOut);
            }
            int nIn = (int) epsOut.size(1);
            if (floatRows(epsOut) && floatRows(back)) {
                // a float sum equals the double sum rounded to float (Figueroa: double has > 2·24 + 2 bits)
                ROW_COPIES.incrementAndGet();
                FloatBuffer xb = epsOut.data().asNioFloat();
                FloatBuffer yb = back.data().asNioFloat();
                int block = mb * nIn;
                float[] buf = floatWork(2 * block);
                for (int t = 0; t < steps; t++) {
                    int xo = (int) epsOut.offset() + t * block;
                    xb.get(xo, buf, 0, block);
                    yb.get((int) back.offset() + (steps - 1 - t) * block, buf, block, block);
                    for (int k = 0; k < block; k++) {
                        buf[k] += buf[block + k];
                    }
                    xb.put(xo, buf, 0, block);
                }
                return new Pair<>(g, epsOut);
            }
            Strided3 x = new Strided3(epsOut, work[0]);
            Strided3 y = new Strided3(back, work[1]);
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < mb; i++) {
                    for (int k = 0; k < nIn; k++) {
                        x.set(i, k, t, x.get(i, k, t) + y.get(i, k, steps - 1 - t));
                    }
                }
            }
            x.flush();
            keep(x, y);
            return new Pair<>(g, epsOut);
        }
    }
}
