package dev.tokenledger.agent.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** Shallow merge of usage objects seen along a stream: later non-null fields win. */
final class ObjectNodeMerge {
    private final ObjectNode merged = Json.MAPPER.createObjectNode();

    void merge(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> it = usage.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNull()) {
                merged.set(e.getKey(), e.getValue());
            }
        }
    }

    ObjectNode node() {
        return merged;
    }

    boolean isEmpty() {
        return merged.isEmpty();
    }
}
