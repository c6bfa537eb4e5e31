#!/usr/bin/env node
// A Kafka client nobody on the TokenLedger team wrote: kafkajs + @kafkajs/confluent-schema-registry,
// used the way a Node.js team would use them against any Confluent-style stack.
//
//   node usage-client.js consume <bootstrap> <registryUrl> <topic> <id>
//       reads the topic from the beginning, decodes each value through the registry and prints
//       the record whose event_id (usage) or scope_key (budget state) is <id> as one JSON line
//       prefixed "EVENT ". Avro decimals (TokenLedger money: bytes, scale 12) are printed as
//       decimal strings, the way a gateway of its own would read them.
//   node usage-client.js produce <bootstrap> <registryUrl> <topic> <eventId>
//       registers its own copy of the UsageEvent schema (usage-event.avsc) under <topic>-value,
//       produces one event keyed by its workflow key (root_request_id, else request_id: the usage
//       topic's key contract, so every copy of an event lands in one partition) and prints "PRODUCED <schemaId>".
'use strict';

const fs = require('fs');
const path = require('path');
const { Kafka, logLevel } = require('kafkajs');
const { SchemaRegistry, SchemaType } = require('@kafkajs/confluent-schema-registry');

const [command, bootstrap, registryUrl, topic, eventId] = process.argv.slice(2);
if (!command || !bootstrap || !registryUrl || !topic || !eventId) {
  console.error('usage: usage-client.js consume|produce <bootstrap> <registryUrl> <topic> <eventId>');
  process.exit(64);
}

const kafka = new Kafka({ clientId: 'node-usage-client', brokers: [bootstrap], logLevel: logLevel.ERROR });
const registry = new SchemaRegistry({ host: registryUrl });

async function consume() {
  const consumer = kafka.consumer({ groupId: `node-usage-client-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const timeout = setTimeout(async () => {
    console.error(`no event ${eventId} on ${topic} within 60 s`);
    await consumer.disconnect();
    process.exit(2);
  }, 60000);
  await consumer.run({
    eachMessage: async ({ message }) => {
      const event = await registry.decode(message.value);
      if (event.event_id !== eventId && event.scope_key !== eventId) {
        return;
      }
      clearTimeout(timeout);
      console.log('EVENT ' + JSON.stringify({ key: message.key.toString(), ...event }, (k, v) =>
        v && v.type === 'Buffer' && Array.isArray(v.data) ? decimal(Buffer.from(v.data), 12) : v));
      setImmediate(async () => {
        await consumer.disconnect();
        process.exit(0);
      });
    },
  });
}

// An Avro decimal: the unscaled value as big-endian two's complement bytes, then the scale.
function decimal(bytes, scale) {
  let unscaled = 0n;
  for (const b of bytes) {
    unscaled = (unscaled << 8n) | BigInt(b);
  }
  if (bytes.length > 0 && (bytes[0] & 0x80)) {
    unscaled -= 1n << BigInt(8 * bytes.length);
  }
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  return (negative ? '-' : '') + digits.slice(0, digits.length - scale) + '.' + digits.slice(digits.length - scale);
}

async function produce() {
  const schema = fs.readFileSync(path.join(__dirname, 'usage-event.avsc'), 'utf8');
  const { id } = await registry.register({ type: SchemaType.AVRO, schema }, { subject: `${topic}-value` });
  const event = {
    event_id: eventId,
    kind: 'COMPLETED',
    occurred_at: Date.parse('2026-11-23T08:15:30.250Z'),
    feature_id: 'node-report-writer',
    tenant_id: 'globex',
    user_id: null,
    plan_tier: 'enterprise',
    request_id: 'node-req-1',
    root_request_id: null,
    parent_request_id: null,
    attempt: 2,
    environment: 'staging',
    provider: 'openai',
    model: 'gpt-5-mini',
    model_requested: null,
    input_tokens: 4321,
    output_tokens: 987,
    reasoning_tokens: 128,
    cache_write_5m_tokens: 0,
    cache_write_1h_tokens: 0,
    cache_read_tokens: 2048,
    other_tokens: { audio_input: 12 },
    service_tier: null,
    batch: false,
    region: 'eu-west-1',
    latency_ms: 1530,
    error_class: null,
    reservation_id: null,
    termination_reason: null,
    generated_output_tokens: null,
    usage_source: 'PROVIDER',
    tags: { written_by: 'kafkajs' },
  };
  const value = await registry.encode(id, event);
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ key: event.root_request_id != null ? event.root_request_id : event.request_id, value }] });
  await producer.disconnect();
  console.log(`PRODUCED ${id}`);
}

(command === 'consume' ? consume() : command === 'produce' ? produce() : Promise.reject(new Error(`unknown command ${command}`)))
  .catch((err) => {
    console.error(err && err.stack ? err.stack : err);
    process.exit(1);
  });
