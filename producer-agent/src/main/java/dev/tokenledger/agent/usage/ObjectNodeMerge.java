/*
 * Copyright 2026 The TokenLedger authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
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
