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
package dev.tokenledger.e2e;

import dev.tokenledger.enforcer.EnforcerApp;
import dev.tokenledger.enforcer.EnforcerConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs {@link EnforcerApp} in a child JVM for {@link EnforcerKillIT} (settings as key=value arguments), so the test
 * can kill it with SIGKILL and start it again on the same state dir.
 */
public final class EnforcerChild {
    private EnforcerChild() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("enforcer child pid " + ProcessHandle.current().pid());
        Map<String, Object> config = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            config.put(a.substring(0, eq), a.substring(eq + 1));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        EnforcerApp app = EnforcerApp.start(new EnforcerConfig(config));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "enforcer-child-shutdown"));
        stopped.await();
    }
}
