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
