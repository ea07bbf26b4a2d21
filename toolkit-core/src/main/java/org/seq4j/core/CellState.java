package org.seq4j.core;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.seq4j.util.Checks;

/**
 * The recurrent state of one layer between {@code rnnTimeStep} calls: its named parts (h as {@code prevAct}, LSTM's
 * cell as {@code prevMem}, SCRN's context as {@code context}), each {@code [mb, size]}. It can be read, copied,
 * restored and reordered, which is what step-wise decoding needs: beam search keeps the rows of the surviving
 * hypotheses with {@link #reorder(int[])}.
 *
 * <pre>{@code
 * Map<String, CellState> s = CellState.capture(graph);          // every recurrent layer's state
 * CellState.restore(graph, CellState.reorder(s, backPointers));  // continue from the chosen beams
 * }</pre>
 * A {@code CellState} owns copies: changing it never changes a layer until {@link #restore}.
 */
public final class CellState {

    private final Map<String, INDArray> parts;

    private CellState(Map<String, INDArray> parts) {
        this.parts = parts;
    }

    /** A state from named parts (copied). */
    public static CellState of(Map<String, INDArray> parts) {
        Checks.require(parts != null, "CellState: parts must not be null");
        Map<String, INDArray> copy = new LinkedHashMap<>();
        long mb = -1;
        for (Map.Entry<String, INDArray> e : parts.entrySet()) {
            INDArray a = e.getValue();
            Checks.require(a != null && a.rank() == 2, "CellState: part '%s' must be [minibatch, size], got %s",
                    e.getKey(), a == null ? "null" : Arrays.toString(a.shape()));
            Checks.require(mb < 0 || a.size(0) == mb, "CellState: part '%s' has %d rows, the others %d", e.getKey(),
                    a.size(0), mb);
            mb = a.size(0);
            copy.put(e.getKey(), detached(a));
        }
        return new CellState(copy);
    }

    /** The state a layer holds now (empty when it has run no step since it was cleared). */
    public static CellState of(RecurrentLayer layer) {
        return of(layer.rnnGetPreviousState());
    }

    /** Sets this state on a layer; its next {@code rnnTimeStep} continues from it. */
    public void restore(RecurrentLayer layer) {
        Map<String, INDArray> copy = new LinkedHashMap<>();
        parts.forEach((k, v) -> copy.put(k, detached(v)));
        layer.rnnSetPreviousState(copy);
    }

    /** The part named {@code key} (a copy), e.g. {@code "prevAct"} for h. */
    public INDArray get(String key) {
        INDArray a = parts.get(key);
        Checks.require(a != null, "CellState: no part '%s'; parts are %s", key, parts.keySet());
        return a.dup();
    }

    public Set<String> keys() {
        return Collections.unmodifiableSet(parts.keySet());
    }

    /** Rows (examples or beams) in this state; 0 when empty. */
    public long batchSize() {
        return parts.isEmpty() ? 0 : parts.values().iterator().next().size(0);
    }

    public boolean isEmpty() {
        return parts.isEmpty();
    }

    /**
     * A new state whose row r is this state's row {@code rows[r]}; rows may repeat (a beam that spawns several) and
     * the result may have more or fewer rows than this one.
     */
    public CellState reorder(int[] rows) {
        Checks.require(rows != null && rows.length > 0, "CellState.reorder: rows must not be empty");
        long mb = batchSize();
        for (int r : rows) {
            Checks.require(r >= 0 && r < mb, "CellState.reorder: row %d is outside [0, %d)", r, mb);
        }
        long[] idx = Arrays.stream(rows).asLongStream().toArray();
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            parts.forEach((k, v) -> out.put(k,
                    v.get(NDArrayIndex.indices(idx), NDArrayIndex.all()).dup('c')));
        }
        return new CellState(out);
    }

    /** A copy. */
    public CellState copy() {
        return of(parts);
    }

    /** Writes this state to a NumPy {@code .npz} file (one array per part), atomically. */
    public void save(java.nio.file.Path file) {
        Checks.require(!parts.isEmpty(), "CellState.save: the state is empty");
        org.seq4j.io.Npz.write(file, parts);
    }

    /** A state written by {@link #save}. */
    public static CellState load(java.nio.file.Path file) {
        return of(org.seq4j.io.Npz.read(file));
    }

    /** The states of every recurrent layer of a graph that holds one, by layer name. */
    public static Map<String, CellState> capture(ComputationGraph graph) {
        Map<String, CellState> out = new LinkedHashMap<>();
        for (org.deeplearning4j.nn.api.Layer l : graph.getLayers()) {
            // DL4J's Bidirectional wrapper has no state (it cannot step) and throws when asked for one
            if (l instanceof RecurrentLayer r
                    && !(l instanceof org.deeplearning4j.nn.layers.recurrent.BidirectionalLayer)
                    && !r.rnnGetPreviousState().isEmpty()) {
                out.put(l.conf().getLayer().getLayerName(), of(r));
            }
        }
        return out;
    }

    /** Sets each layer's state from {@code states} (by layer name). */
    public static void restore(ComputationGraph graph, Map<String, CellState> states) {
        for (Map.Entry<String, CellState> e : states.entrySet()) {
            org.deeplearning4j.nn.api.Layer l = graph.getLayer(e.getKey());
            Checks.require(l instanceof RecurrentLayer, "CellState.restore: the graph has no recurrent layer '%s'",
                    e.getKey());
            e.getValue().restore((RecurrentLayer) l);
        }
    }

    /** Every state reordered with the same rows (see {@link #reorder(int[])}). */
    public static Map<String, CellState> reorder(Map<String, CellState> states, int[] rows) {
        Map<String, CellState> out = new LinkedHashMap<>();
        states.forEach((k, v) -> out.put(k, v.reorder(rows)));
        return out;
    }

    private static INDArray detached(INDArray a) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return a.dup('c');
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("CellState{");
        parts.forEach((k, v) -> sb.append(k).append(Arrays.toString(v.shape())).append(' '));
        return sb.append('}').toString();
    }
}
