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
package dev.tokenledger.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The released-schema history: {@code schemas/released/<RecordName>/v<N>.avsc}, one folder per
 * contract type, each file the full schema as it was released. Releasing a version:
 * {@code mvn -pl schemas exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.tokenledger.schemas.SchemaHistory}
 * appends a new version for every type whose current schema differs from its latest release.
 */
public final class SchemaHistory {
    static final Path ROOT = locate();

    private SchemaHistory() {
    }

    private static Path locate() {
        Path here = Path.of("").toAbsolutePath();
        for (Path candidate : List.of(here.resolve("released"), here.resolve("schemas/released"))) {
            if (Files.isDirectory(candidate) || candidate.getParent().resolve("pom.xml").toFile().exists()
                    && candidate.getParent().getFileName().toString().equals("schemas")) {
                return candidate;
            }
        }
        return here.resolve("released");
    }

    static List<Path> versions(String recordName) {
        Path folder = ROOT.resolve(recordName);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().matches("v\\d+\\.avsc"))
                    .sorted((a, b) -> Integer.compare(number(a), number(b)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Schema parse(Path file) {
        try {
            return new Schema.Parser().parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int number(Path file) {
        String name = file.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.length() - ".avsc".length()));
    }

    public static void main(String[] args) throws IOException {
        List<String> released = new ArrayList<>();
        for (Class<? extends SpecificRecord> type : ContractsTest.recordTypes().toList()) {
            Schema current = SpecificData.get().getSchema(type);
            List<Path> versions = versions(current.getName());
            if (!versions.isEmpty() && parse(versions.get(versions.size() - 1)).equals(current)) {
                continue;
            }
            Path file = ROOT.resolve(current.getName()).resolve("v" + (versions.size() + 1) + ".avsc");
            Files.createDirectories(file.getParent());
            Files.writeString(file, current.toString(true) + "\n", StandardCharsets.UTF_8);
            released.add(file.toString());
        }
        System.out.println(released.isEmpty() ? "Nothing to release: every schema equals its latest release."
                : "Released:\n  " + String.join("\n  ", released));
    }
}
