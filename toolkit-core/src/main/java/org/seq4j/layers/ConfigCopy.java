package org.seq4j.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Copies a DL4J layer configuration into a subclass with the same fields, through DL4J's own JSON mapper (the format
 * models are saved in), so that no field of the many DL4J config superclasses can be forgotten.
 */
final class ConfigCopy {

    private ConfigCopy() {
    }

    static <T extends Layer> T as(Layer source, Class<T> type) {
        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        try {
            ObjectNode tree = mapper.valueToTree(source);
            tree.put("@class", type.getName());
            return type.cast(mapper.treeToValue(tree, Layer.class));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot copy " + source + " as " + type.getSimpleName(), e);
        }
    }
}
