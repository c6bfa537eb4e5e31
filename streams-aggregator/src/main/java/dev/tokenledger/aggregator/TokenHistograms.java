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
package dev.tokenledger.aggregator;

import java.nio.ByteBuffer;
import org.HdrHistogram.Histogram;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Output-token and input-side-token distributions of one feature in one event-time hour, as
 * HdrHistograms with 2 significant digits (a percentile is exact to within 1 %, plenty to size a
 * worst-case hold), auto-resizing. Encoded (HdrHistogram's compact LEB128 form) for the partial repartition topic and the
 * stats store.
 */
public final class TokenHistograms {
    private final long hourStart;
    private final Histogram output;
    private final Histogram inputSide;

    public TokenHistograms(long hourStart) {
        this(hourStart, new Histogram(2), new Histogram(2));
    }

    private TokenHistograms(long hourStart, Histogram output, Histogram inputSide) {
        this.hourStart = hourStart;
        this.output = output;
        this.inputSide = inputSide;
        output.setAutoResize(true);
        inputSide.setAutoResize(true);
    }

    public long hourStart() {
        return hourStart;
    }

    public Histogram output() {
        return output;
    }

    public Histogram inputSide() {
        return inputSide;
    }

    public void record(long outputTokens, long inputSideTokens) {
        output.recordValue(Math.max(0, outputTokens));
        inputSide.recordValue(Math.max(0, inputSideTokens));
    }

    public void add(TokenHistograms other) {
        output.add(other.output);
        inputSide.add(other.inputSide);
    }

    /** Serde of {@link #encode} / {@link #decode}, for the changelog of the pending histograms. */
    static Serde<TokenHistograms> serde() {
        return Serdes.serdeFrom((topic, h) -> h == null ? null : h.encode(),
                (topic, bytes) -> bytes == null ? null : decode(bytes));
    }

    public byte[] encode() {
        ByteBuffer a = ByteBuffer.allocate(output.getNeededByteBufferCapacity());
        int la = output.encodeIntoByteBuffer(a);
        ByteBuffer b = ByteBuffer.allocate(inputSide.getNeededByteBufferCapacity());
        int lb = inputSide.encodeIntoByteBuffer(b);
        ByteBuffer out = ByteBuffer.allocate(8 + 4 + la + 4 + lb);
        out.putLong(hourStart).putInt(la).put(a.array(), 0, la).putInt(lb).put(b.array(), 0, lb);
        return out.array();
    }

    public static TokenHistograms decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        long hour = in.getLong();
        Histogram a = slice(in);
        Histogram b = slice(in);
        return new TokenHistograms(hour, a, b);
    }

    private static Histogram slice(ByteBuffer in) {
        int len = in.getInt();
        ByteBuffer part = ByteBuffer.wrap(in.array(), in.position(), len).slice();
        in.position(in.position() + len);
        return Histogram.decodeFromByteBuffer(part, 0);
    }
}
