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
package dev.tokenledger.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** The settings of an app command: its {@code --config} properties file, then its {@code --set key=value} pairs over it. */
final class AppSettings {
    private AppSettings() {
    }

    static Map<String, Object> read(Path configFile, Map<String, String> sets) throws IOException {
        final Map<String, Object> props = new HashMap<>();
        if (configFile != null) {
            final Properties file = new Properties();
            try (InputStream in = Files.newInputStream(configFile)) {
                file.load(in);
            }
            file.forEach((k, v) -> props.put(k.toString(), v));
        }
        props.putAll(sets);
        return props;
    }
}
