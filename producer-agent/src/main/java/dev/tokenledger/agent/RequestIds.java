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
package dev.tokenledger.agent;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Random 128-bit ids for requests and events. {@link java.util.UUID#randomUUID()} draws from SecureRandom,
 * which costs microseconds and contends across threads on the caller's hot path; uniqueness (not
 * unpredictability) is what these ids need.
 */
public final class RequestIds {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestIds() {
    }

    public static String newRequestId() {
        return random("req_");
    }

    public static String newEventId() {
        return random("evt_");
    }

    static String random(String prefix) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long hi = r.nextLong();
        long lo = r.nextLong();
        char[] out = new char[prefix.length() + 32];
        prefix.getChars(0, prefix.length(), out, 0);
        int p = prefix.length();
        for (int i = 60; i >= 0; i -= 4) {
            out[p++] = HEX[(int) (hi >>> i) & 0xf];
        }
        for (int i = 60; i >= 0; i -= 4) {
            out[p++] = HEX[(int) (lo >>> i) & 0xf];
        }
        return new String(out);
    }
}
