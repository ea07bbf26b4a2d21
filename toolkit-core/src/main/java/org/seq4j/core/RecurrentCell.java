package org.seq4j.core;

import java.io.Serializable;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonTypeInfo;

/**
 * A recurrent cell: its equations and nothing else. The one runtime every cell shares ({@link RecurrentRuntime})
 * owns the rest: the time-major layout, the input projection for all steps at once ({@code XP = X·W}, one GEMM),
 * masks (padded steps carry every state part and get exactly zero gradient), truncated BPTT, {@code rnnTimeStep},
 * {@link CellState}, input dropout, and the input-projection gradients ({@code dW = Xᵀ·dXP}, {@code dX = dXP·Wᵀ}).
 *
 * <p>A cell declares its parameters ({@code W [nIn, P]} is always the input projection; the cell adds its bias to
 * the projection itself), its state parts (e.g. LSTM {@code [h, c]}), which parts form the output, and three
 * kernels: {@link #forward} (one step, given {@code XP_t} and the previous state), {@link #backward} (one step back:
 * {@code dXP_t} and the gradient to the previous state) and {@link #finishBackward} (its own weight gradients, one
 * GEMM each over all steps). Kernels run in one fused loop over the batch and units per step, with one recurrent
 * GEMM; see {@code docs/layers.md} for the equations of each cell.
 *
 * <p>Cells are configuration values (serialized with the model as JSON); they hold no per-run state.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, include = JsonTypeInfo.As.PROPERTY, property = "@class")
public abstract class RecurrentCell implements Serializable {

    /** The cell's name as users write it ({@code lstm}, {@code gru}, ...). */
    public abstract String kind();

    /** Parameters in layout order; the first is {@code W [nIn, projectionWidth]}. */
    public abstract List<ParamSpec> parameters(long nIn, long units);

    /** Width P of the input projection {@code X·W}. */
    public abstract long projectionWidth(long units);

    /** Sizes of the state parts, e.g. LSTM {@code [H, H]} for {@code [h, c]}. */
    public abstract long[] stateSizes(long units);

    /** Keys of the state parts in {@code rnnGetPreviousState()} and {@link CellState}. */
    public abstract String[] stateKeys();

    /** The state parts concatenated to form the output at each step; default the first. */
    public int[] outputParts() {
        return new int[] {0};
    }

    /** Size of the output at each step. */
    public long outputSize(long units) {
        long[] sizes = stateSizes(units);
        long n = 0;
        for (int p : outputParts()) {
            n += sizes[p];
        }
        return n;
    }

    /** Checks the sizes; throws {@link IllegalArgumentException} naming the layer when they cannot work. */
    public void validate(String layerName, long nIn, long units) {
    }

    /** Initialises a parameter whose {@link ParamSpec#init()} is {@code CELL}, or overrides a bias slice. */
    public void initParam(ParamSpec spec, INDArray view, double biasInit) {
        throw new IllegalStateException(kind() + " cell: no initialiser for parameter " + spec.key());
    }

    /** One step forward: reads {@code XP} block t and the state blocks t, writes the state blocks t + 1. */
    abstract void forward(CellContext c, int t);

    /**
     * One step back: reads {@code c.dNew} (dL/d the new state at step t), writes {@code XP}-gradient block t into
     * {@code c.dxp} and adds the gradient of the previous state to {@code c.dPrev}.
     */
    abstract void backward(CellContext c, int t);

    /** The gradients of every parameter but {@code W}, over steps {@code [first, last)}. */
    abstract void finishBackward(CellContext c, int first, int last);

    /** Called once per forward pass before the first step (e.g. to read bias vectors). */
    void prepare(CellContext c) {
    }
}
