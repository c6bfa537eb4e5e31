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
package dev.tokenledger.agent.emit;

import dev.tokenledger.avro.UsageEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Spool payload of one usage event: a format byte then the Avro binary encoding with the UsageEvent schema
 * compiled into this agent. The schema registry may be down together with Kafka, so the spool cannot use
 * registry ids; the event is re-serialized with the registry when it is drained. Not thread-safe.
 */
final class SpoolCodec {
    static final byte FORMAT_V1 = 1;
    private final SpecificDatumWriter<UsageEvent> writer = new SpecificDatumWriter<>(UsageEvent.getClassSchema());
    private final SpecificDatumReader<UsageEvent> reader = new SpecificDatumReader<>(UsageEvent.getClassSchema());
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;

    byte[] encode(UsageEvent event) {
        out.reset();
        out.write(FORMAT_V1);
        encoder = EncoderFactory.get().binaryEncoder(out, encoder);
        try {
            writer.write(event, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    UsageEvent decode(byte[] payload) {
        if (payload.length == 0 || payload[0] != FORMAT_V1) {
            throw new IllegalArgumentException("unknown spool record format " + (payload.length == 0 ? "(empty)" : payload[0]));
        }
        decoder = DecoderFactory.get().binaryDecoder(payload, 1, payload.length - 1, decoder);
        try {
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("undecodable spool record: " + e.getMessage(), e);
        }
    }
}
