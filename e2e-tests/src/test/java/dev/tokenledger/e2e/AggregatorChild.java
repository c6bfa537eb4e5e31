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

import dev.tokenledger.aggregator.AggregatorApp;

/**
 * Runs {@link AggregatorApp} in a child JVM for {@link AggregatorKillIT} (key=value arguments, as the
 * app's own main), so the test can kill it with SIGKILL and start it again on the same state dir.
 */
public final class AggregatorChild {
    private AggregatorChild() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("aggregator child pid " + ProcessHandle.current().pid());
        AggregatorApp.main(args);
    }
}
