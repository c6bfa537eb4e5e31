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
package dev.tokenledger.schemas.registry;

/** Picks the client for a {@code schema.registry.url}: {@code mock://scope} is in-memory, anything else REST. */
public final class SchemaRegistryClients {
    public static final String MOCK_SCHEME = "mock://";

    private SchemaRegistryClients() {
    }

    public static SchemaRegistryClient create(String urls, String basicAuthUserInfo) {
        if (urls == null || urls.isBlank()) {
            throw new IllegalArgumentException("schema.registry.url is required (e.g. http://localhost:8081, or mock://scope in tests)");
        }
        String trimmed = urls.trim();
        if (trimmed.startsWith(MOCK_SCHEME)) {
            return InMemorySchemaRegistryClient.forScope(trimmed.substring(MOCK_SCHEME.length()));
        }
        return new RestSchemaRegistryClient(trimmed, basicAuthUserInfo);
    }
}
