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
package dev.tokenledger.schemas.serde;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.types.Password;

/**
 * The settings users know from Confluent's Avro serde, with the same names. The apps pass them with
 * the {@code registry.} prefix ({@code registry.basic.auth.user.info=user:password}).
 */
public final class AvroSerdeConfig extends AbstractConfig {
    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    private static final String SCHEMA_REGISTRY_URL_DOC = "Comma-separated base URLs of a Confluent-compatible schema "
            + "registry (http://host:8081). mock://scope selects an in-memory registry shared by every serde with the same scope (tests).";
    public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";
    private static final String AUTO_REGISTER_SCHEMAS_DOC = "Register the record's schema under <topic>-value/<topic>-key "
            + "on first use. When false the schema must already be registered (lookup), or use.latest.version picks the latest.";
    public static final String USE_LATEST_VERSION_CONFIG = "use.latest.version";
    private static final String USE_LATEST_VERSION_DOC = "With auto.register.schemas=false, write every record with the "
            + "latest registered version of the subject (as Confluent's serde does): the record is resolved into that "
            + "schema, which must be able to read the record's own schema (the error names the incompatibility).";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG = "basic.auth.credentials.source";
    private static final String BASIC_AUTH_CREDENTIALS_SOURCE_DOC = "USER_INFO: take credentials from basic.auth.user.info; "
            + "URL: take them from the user-info part of schema.registry.url.";
    public static final String BASIC_AUTH_USER_INFO_CONFIG = "basic.auth.user.info";
    private static final String BASIC_AUTH_USER_INFO_DOC = "user:password for HTTP basic authentication to the registry.";

    public static final String REGISTRY_GROUP = "Schema registry";
    public static final String SECURITY_GROUP = "Security";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(SCHEMA_REGISTRY_URL_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, SCHEMA_REGISTRY_URL_DOC, REGISTRY_GROUP, 1, Width.LONG, "Registry URL")
            .define(AUTO_REGISTER_SCHEMAS_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, AUTO_REGISTER_SCHEMAS_DOC,
                    REGISTRY_GROUP, 2, Width.SHORT, "Auto-register schemas")
            .define(USE_LATEST_VERSION_CONFIG, Type.BOOLEAN, false, Importance.LOW, USE_LATEST_VERSION_DOC,
                    REGISTRY_GROUP, 3, Width.SHORT, "Use latest version")
            .define(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, Type.STRING, "USER_INFO",
                    ConfigDef.ValidString.in("USER_INFO", "URL"), Importance.MEDIUM, BASIC_AUTH_CREDENTIALS_SOURCE_DOC,
                    SECURITY_GROUP, 1, Width.SHORT, "Credentials source")
            .define(BASIC_AUTH_USER_INFO_CONFIG, Type.PASSWORD, "", Importance.MEDIUM, BASIC_AUTH_USER_INFO_DOC,
                    SECURITY_GROUP, 2, Width.MEDIUM, "Registry user:password");

    public AvroSerdeConfig(Map<String, ?> originals) {
        super(CONFIG_DEF, originals, false);
    }

    /** Registry URLs with any user-info stripped. */
    public String registryUrls() {
        String urls = getString(SCHEMA_REGISTRY_URL_CONFIG);
        return urls.replaceAll("://[^/@,]*@", "://");
    }

    /** user:password, or null when no authentication is configured. */
    public String basicAuthUserInfo() {
        if ("URL".equals(getString(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG))) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("://([^/@,]*)@").matcher(getString(SCHEMA_REGISTRY_URL_CONFIG));
            return m.find() ? m.group(1) : null;
        }
        Password info = getPassword(BASIC_AUTH_USER_INFO_CONFIG);
        return info == null || info.value().isEmpty() ? null : info.value();
    }

    public boolean autoRegister() {
        return getBoolean(AUTO_REGISTER_SCHEMAS_CONFIG);
    }

    public boolean useLatestVersion() {
        return getBoolean(USE_LATEST_VERSION_CONFIG);
    }
}
