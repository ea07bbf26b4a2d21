package org.seq4j.cells;

import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.seq4j.core.Act;
import org.seq4j.layers.GruVariant;
import org.seq4j.core.ScrnCell;
import org.seq4j.util.Checks;

/**
 * What recurrent encoder to build: the cell, its width, how many layers are stacked, and whether each layer is
 * bidirectional. One record for every cell, so that a task or the bench switches cells by changing one value.
 *
 * @param cell           the cell type
 * @param units          hidden units per direction (H); for SCRN the size of the fast hidden state
 * @param layers         number of stacked layers, each reading the previous layer's output
 * @param bidirectional  how the two directions are merged ({@code CONCAT}, {@code ADD}, {@code MUL},
 *                       {@code AVERAGE}), or null for a unidirectional stack
 * @param gruVariant     reset-gate placement for {@link CellType#GRU}
 * @param contextUnits   SCRN context units (C)
 * @param alpha          SCRN context decay α in [0, 1]
 * @param learnAlpha     learn α per context unit (SCRN)
 * @param dropout        probability of dropping each input unit of every recurrent layer, in [0, 1)
 * @param lockedDropout  draw that input dropout's mask once per sequence for all its steps (Gal and Ghahramani's
 *                       variational input dropout; Flair's {@code LockedDropout}) instead of once per step
 * @param recurrentDropout probability of dropping each unit of the recurrent state where it enters the recurrent
 *                       weights, one mask per sequence (variational dropout, Gal and Ghahramani 2016), in [0, 1)
 * @param activation     the hidden layer's activation of {@link CellType#SRN} and {@link CellType#JORDAN} (tanh by
 *                       default; Mikolov et al. 2014's SRN is sigmoid); the other cells' activations are part of their
 *                       equations, so for them only tanh (the default) is accepted
 */
public record RecurrentSpec(CellType cell, int units, int layers, Bidirectional.Mode bidirectional,
                            GruVariant gruVariant, int contextUnits, double alpha, boolean learnAlpha,
                            double dropout, boolean lockedDropout, double recurrentDropout, Act activation) {

    public RecurrentSpec {
        Checks.require(cell != null, "RecurrentSpec: cell must not be null; expected one of %s", CellType.names());
        Checks.require(units > 0, "RecurrentSpec: units must be > 0, got %d", units);
        Checks.require(layers > 0, "RecurrentSpec: layers must be > 0, got %d", layers);
        Checks.require(gruVariant != null, "RecurrentSpec: gruVariant must not be null");
        Checks.require(contextUnits > 0, "RecurrentSpec: contextUnits must be > 0, got %d", contextUnits);
        Checks.require(alpha >= 0 && alpha <= 1, "RecurrentSpec: alpha must be in [0, 1], got %s", alpha);
        Checks.require(dropout >= 0 && dropout < 1, "RecurrentSpec: dropout must be in [0, 1), got %s", dropout);
        Checks.require(recurrentDropout >= 0 && recurrentDropout < 1,
                "RecurrentSpec: recurrentDropout must be in [0, 1), got %s", recurrentDropout);
        Checks.require(activation != null, "RecurrentSpec: activation must not be null; expected one of tanh, "
                + "sigmoid, relu, identity");
        Checks.require(activation == Act.TANH || cell == CellType.SRN || cell == CellType.JORDAN,
                "RecurrentSpec: activation %s applies to the srn and jordan cells only; the %s cell's activations "
                        + "are fixed by its equations", activation.name().toLowerCase(java.util.Locale.ROOT),
                cell.name().toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * One unidirectional layer of {@code units}, with defaults: GRU reset-after, SCRN with
     * {@code max(1, units / 4)} context units and the paper's fixed α = 0.95, no dropout.
     */
    public static RecurrentSpec of(CellType cell, int units) {
        return new RecurrentSpec(cell, units, 1, null, GruVariant.RESET_AFTER, Math.max(1, units / 4),
                ScrnCell.DEFAULT_ALPHA, false, 0.0, false, 0.0, Act.TANH);
    }

    /** {@link #of(CellType, int)} with the cell given by name ({@link CellType#parse}). */
    public static RecurrentSpec of(String cell, int units) {
        return of(CellType.parse(cell), units);
    }

    public RecurrentSpec withLayers(int n) {
        return new RecurrentSpec(cell, units, n, bidirectional, gruVariant, contextUnits, alpha, learnAlpha,
                dropout, lockedDropout, recurrentDropout, activation);
    }

    public RecurrentSpec withBidirectional(Bidirectional.Mode mode) {
        return new RecurrentSpec(cell, units, layers, mode, gruVariant, contextUnits, alpha, learnAlpha,
                dropout, lockedDropout, recurrentDropout, activation);
    }

    public RecurrentSpec withGruVariant(GruVariant v) {
        return new RecurrentSpec(cell, units, layers, bidirectional, v, contextUnits, alpha, learnAlpha,
                dropout, lockedDropout, recurrentDropout, activation);
    }

    public RecurrentSpec withScrn(int context, double a, boolean learn) {
        return new RecurrentSpec(cell, units, layers, bidirectional, gruVariant, context, a, learn,
                dropout, lockedDropout, recurrentDropout, activation);
    }

    public RecurrentSpec withDropout(double p) {
        return new RecurrentSpec(cell, units, layers, bidirectional, gruVariant, contextUnits, alpha, learnAlpha, p,
                lockedDropout, recurrentDropout, activation);
    }

    /** Input dropout with one mask per sequence ({@code true}) or per step. */
    public RecurrentSpec withLockedDropout(boolean locked) {
        return new RecurrentSpec(cell, units, layers, bidirectional, gruVariant, contextUnits, alpha, learnAlpha,
                dropout, locked, recurrentDropout, activation);
    }

    public RecurrentSpec withRecurrentDropout(double p) {
        return new RecurrentSpec(cell, units, layers, bidirectional, gruVariant, contextUnits, alpha, learnAlpha,
                dropout, lockedDropout, p, activation);
    }

    /** The SRN's or Jordan network's hidden activation ({@link Act#TANH} by default). */
    public RecurrentSpec withActivation(Act a) {
        return new RecurrentSpec(cell, units, layers, bidirectional, gruVariant, contextUnits, alpha, learnAlpha,
                dropout, lockedDropout, recurrentDropout, a);
    }

    /** Size of one direction's output at each step: {@code units}, or {@code units + contextUnits} for SCRN. */
    public long directionSize() {
        return cell == CellType.SCRN ? (long) units + contextUnits : units;
    }

    /** Size of the stack's output at each step (twice a direction's size when directions are concatenated). */
    public long outputSize() {
        return bidirectional == Bidirectional.Mode.CONCAT ? 2 * directionSize() : directionSize();
    }

    /** This spec as plain values (for model files, {@link #fromMap}). */
    public java.util.Map<String, Object> toMap() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("cell", cell.name().toLowerCase(java.util.Locale.ROOT));
        m.put("units", units);
        m.put("layers", layers);
        m.put("bidirectional", bidirectional == null ? null : bidirectional.name());
        m.put("gruVariant", gruVariant.name());
        m.put("contextUnits", contextUnits);
        m.put("alpha", alpha);
        m.put("learnAlpha", learnAlpha);
        m.put("dropout", dropout);
        m.put("lockedDropout", lockedDropout);
        m.put("recurrentDropout", recurrentDropout);
        m.put("activation", activation.name().toLowerCase(java.util.Locale.ROOT));
        return m;
    }

    /** The spec {@link #toMap} wrote, read from JSON; {@code where} names the source in errors. */
    public static RecurrentSpec fromMap(org.nd4j.shade.jackson.databind.JsonNode m, String where) {
        JsonFields f = new JsonFields(m, where);
        String bi = f.optText("bidirectional");
        return new RecurrentSpec(CellType.parse(f.text("cell")), f.integer("units"), f.integer("layers"),
                bi == null ? null : f.enumValue(Bidirectional.Mode.class, "bidirectional"),
                f.enumValue(GruVariant.class, "gruVariant"), f.integer("contextUnits"), f.number("alpha"),
                f.bool("learnAlpha"), f.number("dropout"), m.has("lockedDropout") && f.bool("lockedDropout"),
                f.number("recurrentDropout"), m.has("activation") ? Act.parse(f.text("activation")) : Act.TANH);
    }

    /** A short label for tables and file names, e.g. {@code bigru-2x64}, {@code srn-100-sigmoid}. */
    public String label() {
        String name = cell.name().toLowerCase(java.util.Locale.ROOT);
        return (bidirectional != null ? "bi" : "") + name + "-" + (layers > 1 ? layers + "x" : "") + units
                + (activation == Act.TANH ? "" : "-" + activation.name().toLowerCase(java.util.Locale.ROOT));
    }
}
