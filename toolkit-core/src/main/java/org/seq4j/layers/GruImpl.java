package org.seq4j.layers;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.Arrays;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;
import org.seq4j.util.Checks;

/**
 * Runtime of {@link Gru}: the forward pass and hand-written backpropagation through time in plain ND4J.
 *
 * <p>Work is arranged the way fused RNN kernels (cuDNN, PyTorch) arrange it, to keep the number of native calls low:
 * <ol>
 *   <li>The input is laid out time-major, {@code X [T·mb, nIn]} (row {@code t·mb + i} is example i at step t), and
 *       all input projections are one GEMM, {@code A = X·W + b  [T·mb, 3H]}.</li>
 *   <li>Each step does one recurrent GEMM and a few element-wise ops on contiguous row blocks.</li>
 *   <li>Backward, the gate gradients of every step are kept ({@code dA}, {@code dHR}), and the weight gradients are
 *       one GEMM each after the loop: {@code dW = Xᵀ·dA}, {@code dRW = Hprevᵀ·dHR}, {@code dX = dA·Wᵀ}.</li>
 * </ol>
 *
 * <p>State for {@code rnnTimeStep} and truncated BPTT is the last state {@code h_T} {@code [mb, H]}, stored under
 * {@link #STATE_KEY}, the key DL4J's own {@code LSTM} and {@code SimpleRnn} use for their output state.
 */
public class GruImpl extends BaseRecurrentLayer<Gru> {

    /** Key of the last state {@code h_T [mb, H]} in {@link #rnnGetPreviousState()} and the TBPTT state. */
    public static final String STATE_KEY = "prevAct";

    /** The intermediates of the last training forward pass, reused by the backward pass (see {@link #forward}). */
    private Forward cached;
    private INDArray cachedInput;
    /** Forward passes run so far; a test checks that training runs one per step, not two. */
    long forwardPasses;

    public GruImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.RECURRENT;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
                                                          int minibatchSize) {
        // Keep the mask for the time loop; pass it on unchanged (the output has the same time steps).
        this.maskArray = maskArray;
        this.maskState = currentMaskState;
        return new Pair<>(maskArray, MaskState.Passthrough);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return forward(null, training, false, workspaceMgr).output;
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        setInput(RecurrentInputs.forTimeStep(input), workspaceMgr);
        Forward f = forward(stateMap.get(STATE_KEY), false, false, workspaceMgr);
        stateMap.put(STATE_KEY, detachedCopy(f.lastState));
        return f.output;
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
                                                LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        Forward f = forward(tBpttStateMap.get(STATE_KEY), training, false, workspaceMgr);
        if (storeLastForTBPTT) {
            tBpttStateMap.put(STATE_KEY, detachedCopy(f.lastState));
        }
        return f.output;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        return backward(epsilon, null, -1, workspaceMgr);
    }

    /**
     * Truncated BPTT: the segment starts from the state the previous segment ended in ({@code stateMap}, which DL4J
     * updates from the TBPTT state after every segment), and gradients flow back over the last
     * {@code tbpttBackLength} steps only.
     */
    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength,
                                                          LayerWorkspaceMgr workspaceMgr) {
        return backward(epsilon, stateMap.get(STATE_KEY), tbpttBackLength, workspaceMgr);
    }

    private static INDArray detachedCopy(INDArray a) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return a.dup('c');
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Forward

    /** Everything the backward pass needs from the forward pass. Row blocks of mb rows, one per time step. */
    private static final class Forward {
        INDArray output;   // [mb, H, T] in ACTIVATIONS (NCW, or NWC if configured)
        INDArray lastState; // [mb, H] view of h_T
        INDArray x;        // [T*mb, nIn] input, time-major
        INDArray pre;      // [T*mb, 3H] gate pre-activations
        INDArray act;      // [T*mb, 3H] gate activations [r | z | n]
        INDArray hr;       // [T*mb, 3H] recurrent products h·RW (+ rb); RESET_BEFORE: only [:, :2H] and r⊙h in [:, 2H:]
        INDArray states;   // [(T+1)*mb, H] h_0 .. h_T
        INDArray mask;     // [T*mb, 1] time-major mask, or null
        long mb;
        long steps;
    }

    /**
     * Runs the sequence. A training pass keeps its intermediates in the ACTIVATIONS workspace, which DL4J keeps open
     * until the backward pass, and the backward pass then uses them instead of running the sequence again (DL4J's own
     * LSTM recomputes its forward pass). The backward pass recomputes when the kept pass is not for the same input
     * array, or its workspace has been closed since.
     */
    private Forward forward(INDArray initialState, boolean training, boolean forBackprop, LayerWorkspaceMgr ws) {
        assertInputSet(false);
        forwardPasses++;
        cached = null;
        cachedInput = null;
        applyDropOutIfNecessary(training, ws);
        INDArray in = permuteIfNWC(input.castTo(dataType));
        checkInput(in, initialState);

        Gru c = layerConf();
        final long mb = in.size(0);
        final long nIn = in.size(1);
        final long steps = in.size(2);
        final long h = c.getNOut();
        final boolean resetAfter = c.getVariant() == GruVariant.RESET_AFTER;
        final IActivation gateFn = c.getGateActivationFn();
        final IActivation candFn = c.getActivationFn();
        final boolean keep = training && !forBackprop;
        final ArrayType work = forBackprop ? ArrayType.BP_WORKING_MEM
                : keep ? ArrayType.ACTIVATIONS : ArrayType.FF_WORKING_MEM;

        INDArray w = getParamWithNoise(GruParams.INPUT_WEIGHTS, training, ws);
        INDArray rw = getParamWithNoise(GruParams.RECURRENT_WEIGHTS, training, ws);
        INDArray b = getParamWithNoise(GruParams.BIAS, training, ws);
        INDArray rb = resetAfter ? getParamWithNoise(GruParams.RECURRENT_BIAS, training, ws) : null;
        INDArray rwGates = rw.get(all(), interval(0, 2 * h));
        INDArray rwCand = rw.get(all(), interval(2 * h, 3 * h));

        Forward f = new Forward();
        f.mb = mb;
        f.steps = steps;
        // x: [mb, nIn, T] -> [T, mb, nIn] -> [T*mb, nIn]
        f.x = ws.createUninitialized(work, dataType, new long[] {steps, mb, nIn}, 'c');
        f.x.assign(in.permute(2, 0, 1));
        f.x = f.x.reshape('c', steps * mb, nIn);
        f.mask = timeMajorMask(mb, steps, work, ws);

        // All input projections at once: pre = X·W + b
        f.pre = ws.createUninitialized(work, dataType, new long[] {steps * mb, 3 * h}, 'c');
        Nd4j.gemm(f.x, w, f.pre, false, false, 1.0, 0.0);
        f.pre.addiRowVector(b);
        f.act = forBackprop || keep ? ws.createUninitialized(work, dataType, f.pre.shape(), 'c') : f.pre;
        f.hr = ws.createUninitialized(work, dataType, new long[] {steps * mb, 3 * h}, 'c');
        if (resetAfter) {
            f.hr.assign(0.0).addiRowVector(rb);   // each step's gemm adds h·RW on top (beta = 1)
        }
        f.states = ws.create(work, dataType, new long[] {(steps + 1) * mb, h}, 'c');
        if (initialState != null) {
            f.states.get(interval(0, mb), all()).assign(initialState);
        }
        INDArray tmp = ws.createUninitialized(work, dataType, new long[] {mb, h}, 'c');

        for (long t = 0; t < steps; t++) {
            long r0 = t * mb;
            long r1 = r0 + mb;
            INDArray hPrev = f.states.get(interval(r0, r1), all());
            INDArray hNext = f.states.get(interval(r1, r1 + mb), all());
            INDArray pre = f.pre.get(interval(r0, r1), all());
            INDArray act = f.act.get(interval(r0, r1), all());
            INDArray hr = f.hr.get(interval(r0, r1), all());
            INDArray preGates = pre.get(all(), interval(0, 2 * h));
            INDArray actGates = act.get(all(), interval(0, 2 * h));
            INDArray preCand = pre.get(all(), interval(2 * h, 3 * h));
            INDArray actCand = act.get(all(), interval(2 * h, 3 * h));
            INDArray r = act.get(all(), interval(0, h));
            INDArray z = act.get(all(), interval(h, 2 * h));

            if (resetAfter) {
                Nd4j.gemm(hPrev, rw, hr, false, false, 1.0, 1.0);                 // hr = h·RW + rb
                add(preGates, hr.get(all(), interval(0, 2 * h)), preGates);
                activate(gateFn, preGates, actGates, training);                    // [r | z]
                mul(r, hr.get(all(), interval(2 * h, 3 * h)), tmp);                // r ⊙ (h·Rn + bRn)
            } else {
                INDArray rh = hr.get(all(), interval(2 * h, 3 * h));
                preGates.addi(hPrev.mmul(rwGates));
                activate(gateFn, preGates, actGates, training);
                mul(r, hPrev, rh);                                                  // r ⊙ h
                Nd4j.gemm(rh.dup('c'), rwCand, tmp, false, false, 1.0, 0.0);       // (r ⊙ h)·Rn
            }
            add(preCand, tmp, preCand);
            activate(candFn, preCand, actCand, training);                          // n
            sub(hPrev, actCand, hNext);                                            // h' = n + z ⊙ (h − n)
            hNext.muli(z).addi(actCand);
            if (f.mask != null) {
                // h_t = h_{t-1} + m·(h' − h_{t-1})
                INDArray m = f.mask.get(interval(r0, r1), all());
                hNext.subi(hPrev).muliColumnVector(m).addi(hPrev);
            }
        }

        f.lastState = f.states.get(interval(steps * mb, (steps + 1) * mb), all());
        // output[i, :, t] = m·h_t
        INDArray out = ws.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[] {mb, h, steps}, 'f');
        out.assign(f.states.get(interval(mb, (steps + 1) * mb), all()).reshape('c', steps, mb, h).permute(1, 2, 0));
        if (maskArray != null) {
            Nd4j.getExecutioner().exec(new BroadcastMulOp(out, maskArray.castTo(dataType), out, 0, 2));
        }
        f.output = permuteIfNWC(out);
        if (keep) {
            cached = f;
            cachedInput = input;
        }
        return f;
    }

    /** {@code act = fn(pre)}; one native op for sigmoid and tanh, in place when {@code act == pre}. */
    private static void activate(IActivation fn, INDArray pre, INDArray act, boolean training) {
        if (fn instanceof ActivationSigmoid) {
            Nd4j.exec(new Sigmoid(pre, act));
        } else if (fn instanceof ActivationTanH) {
            Nd4j.exec(new Tanh(pre, act));
        } else {
            if (act != pre) {
                act.assign(pre);
            }
            fn.getActivation(act, training);
        }
    }

    private static void add(INDArray a, INDArray b, INDArray out) {
        Nd4j.exec(new AddOp(a, b, out));
    }

    private static void sub(INDArray a, INDArray b, INDArray out) {
        Nd4j.exec(new SubOp(a, b, out));
    }

    private static void mul(INDArray a, INDArray b, INDArray out) {
        Nd4j.exec(new MulOp(a, b, out));
    }

    /** The mask as a column of T·mb rows (time-major, like the state rows), or null when there is none. */
    private INDArray timeMajorMask(long mb, long steps, ArrayType work, LayerWorkspaceMgr ws) {
        if (maskArray == null) {
            return null;
        }
        Checks.require(maskArray.rank() == 2 && maskArray.size(0) == mb && maskArray.size(1) == steps,
                "Gru layer %s: mask must be [minibatch, timeSteps] = [%d, %d], got %s",
                Checks.layerName(layerConf().getLayerName()), mb, steps, Arrays.toString(maskArray.shape()));
        INDArray m = ws.createUninitialized(work, dataType, new long[] {steps, mb}, 'c');
        m.assign(maskArray.castTo(dataType).transpose());
        return m.reshape('c', steps * mb, 1);
    }

    private void checkInput(INDArray in, INDArray initialState) {
        Gru c = layerConf();
        String name = Checks.layerName(c.getLayerName());
        Checks.require(in.rank() == 3,
                "Gru layer %s: expected input of rank 3 [minibatch, nIn=%d, timeSteps], got rank %d with shape %s",
                name, c.getNIn(), in.rank(), Arrays.toString(in.shape()));
        Checks.require(in.size(1) == c.getNIn(),
                "Gru layer %s: expected input [minibatch, nIn=%d, timeSteps], got shape %s",
                name, c.getNIn(), Arrays.toString(in.shape()));
        Checks.require(initialState == null || initialState.size(0) == in.size(0),
                "Gru layer %s: stored state has minibatch %d but the input has %d; call rnnClearPreviousState() "
                        + "before a batch of another size", name, initialState == null ? 0 : initialState.size(0),
                in.size(0));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Backward

    private Pair<Gradient, INDArray> backward(INDArray epsilon, INDArray initialState, int backLength,
                                              LayerWorkspaceMgr ws) {
        assertInputSet(true);
        Gru c = layerConf();
        final long h = c.getNOut();
        final boolean resetAfter = c.getVariant() == GruVariant.RESET_AFTER;
        final IActivation gateFn = c.getGateActivationFn();
        final IActivation candFn = c.getActivationFn();

        Forward f = cached != null && cachedInput == input && !cached.pre.wasClosed() && !cached.states.wasClosed()
                ? cached : forward(initialState, true, true, ws);
        cached = null;
        cachedInput = null;
        final long mb = f.mb;
        final long steps = f.steps;
        final long first = backLength > 0 ? Math.max(0, steps - backLength) : 0;

        INDArray w = getParamWithNoise(GruParams.INPUT_WEIGHTS, true, ws);
        INDArray rw = getParamWithNoise(GruParams.RECURRENT_WEIGHTS, true, ws);
        INDArray rwGates = rw.get(all(), interval(0, 2 * h));
        INDArray rwCand = rw.get(all(), interval(2 * h, 3 * h));

        // epsilon [mb, H, T] -> time-major [T*mb, H]; masked steps have zero output, so zero gradient
        INDArray eps = ws.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, new long[] {steps, mb, h}, 'c');
        eps.assign(permuteIfNWC(epsilon).permute(2, 0, 1));
        eps = eps.reshape('c', steps * mb, h);
        if (f.mask != null) {
            eps.muliColumnVector(f.mask);
        }

        // f.pre becomes dA (gradient w.r.t. gate pre-activations); f.hr becomes dHR (w.r.t. the recurrent products)
        INDArray dh = ws.create(ArrayType.BP_WORKING_MEM, dataType, new long[] {mb, h}, 'c');   // dL/dh_t
        INDArray spare = ws.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, new long[] {mb, h}, 'c');
        INDArray dGate = f.mask == null ? null
                : ws.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, new long[] {mb, h}, 'c');
        INDArray dGates = ws.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, new long[] {mb, 2 * h}, 'c');
        INDArray dr = dGates.get(all(), interval(0, h));
        INDArray dz = dGates.get(all(), interval(h, 2 * h));
        INDArray tmp = resetAfter ? null
                : ws.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, new long[] {mb, h}, 'c');

        for (long t = steps - 1; t >= first; t--) {
            long r0 = t * mb;
            long r1 = r0 + mb;
            INDArray hPrev = f.states.get(interval(r0, r1), all());
            INDArray pre = f.pre.get(interval(r0, r1), all());
            INDArray act = f.act.get(interval(r0, r1), all());
            INDArray hr = f.hr.get(interval(r0, r1), all());
            INDArray r = act.get(all(), interval(0, h));
            INDArray z = act.get(all(), interval(h, 2 * h));
            INDArray n = act.get(all(), interval(2 * h, 3 * h));
            INDArray preGates = pre.get(all(), interval(0, 2 * h));

            dh.addi(eps.get(interval(r0, r1), all()));                    // dL/dh_t
            // dhGate = dL/dh' ; next = what flows to h_{t-1}
            INDArray dhGate;
            INDArray next;
            if (f.mask != null) {
                // h_t = m·h' + (1 − m)·h_{t−1}: dh' = m·dh, and (1 − m)·dh is carried to h_{t−1}
                Nd4j.exec(new BroadcastMulOp(dh, f.mask.get(interval(r0, r1), all()), dGate, 0));
                dh.subi(dGate);
                dhGate = dGate;
                next = dh;
            } else {
                dhGate = dh;
                next = spare;
            }
            // h' = n + z ⊙ (h − n)
            sub(hPrev, n, dz);
            dz.muli(dhGate);                                               // dz = dh' ⊙ (h − n)
            if (f.mask != null) {
                mul(dhGate, z, spare);                                     // direct path h → h': dh'·z
                next.addi(spare);
                dhGate.subi(spare);                                        // dn = dh' ⊙ (1 − z)
            } else {
                mul(dhGate, z, next);
                dhGate.subi(next);
            }
            INDArray dCand = candFn.backprop(pre.get(all(), interval(2 * h, 3 * h)), dhGate).getFirst();
            if (resetAfter) {
                INDArray hn = hr.get(all(), interval(2 * h, 3 * h));
                mul(dCand, hn, dr);                                        // dr = dCand ⊙ (h·Rn + bRn)
                mul(dCand, r, hn);                                         // dHR_n = dCand ⊙ r
                gateFn.backprop(preGates, dGates);
                hr.get(all(), interval(0, 2 * h)).assign(preGates);        // dHR = [dA_r | dA_z | dHR_n]
                Nd4j.gemm(hr, rw, next, false, true, 1.0, 1.0);            // dh_{t−1} += dHR·RWᵀ
            } else {
                // candidate pre-activation = ... + (r ⊙ h)·Rn
                Nd4j.gemm(dCand.dup('c'), rwCand, tmp, false, true, 1.0, 0.0);     // d(r ⊙ h)
                mul(tmp, hPrev, dr);
                next.addi(tmp.muli(r));
                gateFn.backprop(preGates, dGates);
                next.addi(preGates.mmul(rwGates.transpose()));
            }
            if (f.mask == null) {
                spare = dh;
                dh = next;
            }
        }

        // Weight gradients, one GEMM each over the steps that received gradient
        INDArray dA = f.pre.get(interval(first * mb, steps * mb), all());
        INDArray xs = f.x.get(interval(first * mb, steps * mb), all());
        INDArray hPrevs = f.states.get(interval(first * mb, steps * mb), all());
        INDArray gW = gradientViews.get(GruParams.INPUT_WEIGHTS);
        INDArray gRW = gradientViews.get(GruParams.RECURRENT_WEIGHTS);
        gradientViews.get(GruParams.BIAS).assign(dA.sum(true, 0));
        gW.assign(xs.transpose().mmul(dA));
        if (resetAfter) {
            INDArray dHR = f.hr.get(interval(first * mb, steps * mb), all());
            gRW.assign(hPrevs.transpose().mmul(dHR));
            gradientViews.get(GruParams.RECURRENT_BIAS).assign(dHR.sum(true, 0));
        } else {
            INDArray rh = f.hr.get(interval(first * mb, steps * mb), interval(2 * h, 3 * h));
            gRW.get(all(), interval(0, 2 * h)).assign(hPrevs.transpose().mmul(dA.get(all(), interval(0, 2 * h))));
            gRW.get(all(), interval(2 * h, 3 * h)).assign(rh.transpose().mmul(dA.get(all(), interval(2 * h, 3 * h))));
        }

        // dL/dx = dA·Wᵀ, back to [mb, nIn, T]; steps before the truncation window get zero
        long nIn = c.getNIn();
        INDArray dxTime = ws.create(ArrayType.BP_WORKING_MEM, dataType, new long[] {steps * mb, nIn}, 'c');
        dxTime.get(interval(first * mb, steps * mb), all()).assign(dA.mmul(w.transpose()));
        INDArray epsOut = ws.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, new long[] {mb, nIn, steps}, 'f');
        epsOut.assign(dxTime.reshape('c', steps, mb, nIn).permute(1, 2, 0));

        weightNoiseParams.clear();
        Gradient g = new DefaultGradient(gradientsFlattened);
        for (String key : GruParams.INSTANCE.paramKeys(c)) {
            g.gradientForVariable().put(key, gradientViews.get(key));
        }
        epsOut = backpropDropOutIfPresent(epsOut);
        return new Pair<>(g, permuteIfNWC(epsOut));
    }
}
