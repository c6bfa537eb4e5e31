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
package dev.tokenledger.enforcer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where one scope's holds live. Kept apart from the {@link ScopeLedger} so that updating a scope
 * costs O(1) whatever the number of calls in flight: the enforcer stores each hold under its own
 * key ({@code scope_key#reservation_id}) and only the punctuator scans them (TTL expiry).
 */
public interface HoldBook {
    Hold get(String reservationId);

    void put(Hold hold);

    void remove(String reservationId);

    /** Every hold of the scope (expiry scan). */
    List<Hold> all();

    /** An in-memory book (plain-Java use and tests). */
    static HoldBook inMemory() {
        final Map<String, Hold> m = new LinkedHashMap<>();
        return new HoldBook() {
            @Override
            public Hold get(String id) {
                return m.get(id);
            }

            @Override
            public void put(Hold hold) {
                m.put(hold.reservationId, hold);
            }

            @Override
            public void remove(String id) {
                m.remove(id);
            }

            @Override
            public List<Hold> all() {
                return new ArrayList<>(m.values());
            }
        };
    }
}
