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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tokenledger config-docs}: prints the configuration reference generated from the
 * components' ConfigDefs, or rewrites the generated section of a Markdown file in place.
 */
@Command(name = "config-docs", mixinStandardHelpOptions = true,
        description = {"Prints the configuration reference of the agent, aggregator, enforcer, sink connector and serde,",
                "generated from their ConfigDefs (Markdown)."})
public final class ConfigDocsCommand implements Callable<Integer> {

    @Option(names = "--update", paramLabel = "FILE",
            description = "Replace the generated section of FILE (between the config-reference markers) instead of printing.")
    Path update;

    @Override
    public Integer call() throws IOException {
        String generated = ConfigReference.markdown();
        if (update == null) {
            System.out.print(generated);
            return 0;
        }
        String text = Files.readString(update, StandardCharsets.UTF_8);
        int begin = text.indexOf(ConfigReference.BEGIN);
        int end = text.indexOf(ConfigReference.END);
        if (begin < 0 || end < begin) {
            System.err.println("tokenledger config-docs: " + update + " has no section between the markers "
                    + ConfigReference.BEGIN + " and " + ConfigReference.END + "; add them where the reference goes.");
            return 1;
        }
        String updated = text.substring(0, begin) + generated + text.substring(end + ConfigReference.END.length() + 1);
        Files.writeString(update, updated, StandardCharsets.UTF_8);
        System.out.println("updated the configuration reference in " + update);
        return 0;
    }
}
