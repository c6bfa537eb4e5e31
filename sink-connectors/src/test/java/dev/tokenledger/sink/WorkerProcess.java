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
package dev.tokenledger.sink;

import dev.tokenledger.localstack.ConnectWorker;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A Connect worker in its own JVM, so a test can kill it with SIGKILL mid-batch:
 * {@code WorkerProcess BOOTSTRAP OFFSETS_FILE CONNECTOR_NAME key=value...}. Prints RUNNING once the
 * connector runs, then blocks until killed.
 */
public final class WorkerProcess {
    private WorkerProcess() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> config = new HashMap<>();
        for (int i = 3; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            config.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        try {
            ConnectWorker worker = ConnectWorker.start(args[0], Path.of(args[1]), Map.of());
            worker.addConnector(args[2], config);
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.out.println("RUNNING");
        System.out.flush();
        Thread.currentThread().join();
    }
}
