package org.seq4j.crf;

import java.util.Collection;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seq4j.util.Checks;
import org.seq4j.util.LayerRuntimes;

/**
 * A linear-chain conditional random field output layer (Lafferty et al. 2001; Lample et al. 2016 on top of a
 * BiLSTM), a drop-in replacement for {@code RnnOutputLayer} in sequence tagging.
 *
 * <p>From input {@code x_t} (size nIn) it computes emission scores {@code e_t = x_t·W + b} (K = nOut tags) and scores
 * whole tag paths with learned transitions {@code A [K, K]} (from tag i to tag j), start scores and end scores
 * ({@link CrfMath}). The loss is the negative log-likelihood of the gold path, {@code log Z − score(gold)}, averaged
 * over the minibatch. Labels are one-hot {@code [mb, K, T]}; the label (or feature) mask marks valid steps.
 *
 * <p>{@code output()} returns the per-step tag marginals {@code p(y_t = k | x)} {@code [mb, K, T]}; the best path
 * comes from {@link CrfLayer#viterbi}.
 *
 * <p>Parameters: {@code W [nIn, K]}, {@code b [1, K]}, {@code A [K, K]}, {@code start [1, K]}, {@code end [1, K]}.
 */
public class Crf extends FeedForwardLayer {

    /** For Jackson; use {@link Builder}. */
    public Crf() {
    }

    private Crf(Builder b) {
        super(b);
        initializeConstraints(b);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        String name = Checks.layerName(getLayerName());
        Checks.require(nIn > 0, "Crf layer %s: nIn must be > 0, got %d (set nIn or give the graph input types)", name,
                nIn);
        Checks.require(nOut > 1, "Crf layer %s: nOut (the number of tags) must be > 1, got %d", name, nOut);
        return LayerRuntimes.wire(new CrfLayer(conf, networkDataType), conf, initializer(), listeners, layerIndex,
                paramsView, initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return CrfParams.INSTANCE;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.recurrent(nOut, recurrent(inputType).getTimeSeriesLength());
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        long size = recurrent(inputType).getSize();
        Checks.require(nIn <= 0 || nIn == size, "Crf layer %s: nIn is set to %d but its input has %d features",
                Checks.layerName(getLayerName()), nIn, size);
        nIn = size;
    }

    private InputType.InputTypeRecurrent recurrent(InputType t) {
        Checks.require(t != null && t.getType() == InputType.Type.RNN,
                "Crf layer %s: expected a recurrent input [mb, features, T], got %s", Checks.layerName(getLayerName()),
                t);
        return (InputType.InputTypeRecurrent) t;
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreprocessorForInputTypeRnnLayers(inputType, RNNFormat.NCW, getLayerName());
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long params = initializer().numParams(this);
        return new LayerMemoryReport.Builder(getLayerName(), Crf.class, inputType, getOutputType(-1, inputType))
                .standardMemory(params, (long) getIUpdater().stateSize(params))
                .workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    /** Builder: {@code nOut} = number of tags is required. */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public Crf build() {
            Checks.require(nOut > 1, "Crf layer %s: nOut (the number of tags) must be > 1, got %d",
                    Checks.layerName(layerName), nOut);
            return new Crf(this);
        }
    }
}
