package org.seq4j.spark;

import java.util.Map;

import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * A task configuration travels to the executors as the JSON of its {@code toMap()} (what model files store), and is
 * rebuilt there with its {@code fromMap}: configurations hold paths and schedules that Java serialization does not.
 */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static String write(Map<String, Object> map) {
        try {
            return MAPPER.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a configuration as JSON: " + e.getMessage(), e);
        }
    }

    static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read a configuration's JSON: " + e.getMessage(), e);
        }
    }
}
