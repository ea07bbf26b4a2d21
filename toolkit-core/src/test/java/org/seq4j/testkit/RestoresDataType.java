package org.seq4j.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * For test classes that change ND4J's default data type (gradient checks set DOUBLE): restores the type it found
 * once the class is done, so no later test class in the same JVM inherits it. Use with
 * {@code @ExtendWith(RestoresDataType.class)}.
 */
public final class RestoresDataType implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RestoresDataType.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put("dataType", Nd4j.dataType());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        DataType saved = context.getStore(NS).get("dataType", DataType.class);
        if (saved != null) {
            Nd4j.setDefaultDataTypes(saved, saved);
        }
    }
}
