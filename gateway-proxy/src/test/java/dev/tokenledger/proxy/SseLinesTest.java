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
package dev.tokenledger.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseLinesTest {

    @Test
    void linesCutAnywhereAcrossChunksComeOutWholeCrLfIncludedAndMultibyteIntact() {
        final byte[] stream = "event: a\r\ndata: {\"t\":\"\u00e9t\u00e9\"}\r\n\r\ndata: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
        for (int cut = 1; cut < stream.length; cut++) {
            final SseLines lines = new SseLines();
            final List<String> out = new ArrayList<>();
            lines.feed(Buffer.buffer().appendBytes(stream, 0, cut), out::add);
            lines.feed(Buffer.buffer().appendBytes(stream, cut, stream.length - cut), out::add);
            assertThat(out).as("cut at " + cut).containsExactly("event: a", "data: {\"t\":\"\u00e9t\u00e9\"}", "", "data: [DONE]", "");
        }
    }

    @Test
    void aLineBeyondTheBoundIsRefusedInsteadOfBuffered() {
        final SseLines lines = new SseLines();
        final Buffer big = Buffer.buffer(new byte[SseLines.MAX_LINE_BYTES / 2]);
        lines.feed(big, l -> { });
        lines.feed(big, l -> { });
        assertThatThrownBy(() -> lines.feed(Buffer.buffer("x"), l -> { })).isInstanceOf(SseLines.LineTooLongException.class);
    }
}
