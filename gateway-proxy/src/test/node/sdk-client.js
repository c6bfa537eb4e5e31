// A service written against the official OpenAI and Anthropic TypeScript SDKs, changed only in its base URL
// and headers to go through the TokenLedger proxy. ProxyNodeClientIT runs one command per call:
//   node sdk-client.js COMMAND PROXY_URL FEATURE [SCENARIO]
// and reads the lines it prints (RAW <base64 body>, ERROR ..., STREAM_ERROR ..., DELTAS n, ABORTED n).
'use strict';
const { Anthropic } = require('@anthropic-ai/sdk');
const { OpenAI } = require('openai');

const [command, proxyUrl, feature, scenario] = process.argv.slice(2);

function headers() {
  const h = {};
  if (feature && feature !== '-') {
    h['x-tokenledger-feature'] = feature;
    h['x-tokenledger-tenant'] = 'acme';
    h['x-tokenledger-user'] = 'u-17';
  }
  if (scenario) {
    h['x-sim-scenario'] = scenario;
  }
  return h;
}

// the two-line change: baseURL and defaultHeaders
const anthropic = new Anthropic({ apiKey: 'sk-ant-sim-key-1', baseURL: proxyUrl, defaultHeaders: headers(), maxRetries: 0 });
const openai = new OpenAI({ apiKey: 'sk-sim-key-2', baseURL: proxyUrl + '/v1', defaultHeaders: headers(), maxRetries: 0 });

const MESSAGE = { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'Where is my refund?' }] };
const CHAT = { model: 'gpt-4.1-mini', max_completion_tokens: 64, messages: [{ role: 'user', content: 'How many open incidents?' }] };
const RESPONSE = { model: 'gpt-4.1-mini', max_output_tokens: 64, input: 'Move the meeting.' };

async function raw(promise) {
  const response = await promise.asResponse();
  const body = Buffer.from(await response.arrayBuffer());
  console.log('STATUS ' + response.status);
  console.log('RAW ' + body.toString('base64'));
}

function printError(prefix, e) {
  const retryAfter = e.headers && typeof e.headers.get === 'function' ? e.headers.get('retry-after') : null;
  console.log(prefix + ' ' + JSON.stringify({ name: e.constructor.name, status: e.status ?? null, error: e.error ?? null,
    message: e.message, retry_after: retryAfter }));
}

async function main() {
  switch (command) {
    case 'anthropic-json': return raw(anthropic.messages.create(MESSAGE));
    case 'anthropic-sse': return raw(anthropic.messages.create({ ...MESSAGE, stream: true }));
    case 'chat-json': return raw(openai.chat.completions.create(CHAT));
    case 'chat-sse': return raw(openai.chat.completions.create({ ...CHAT, stream: true, stream_options: { include_usage: true } }));
    case 'responses-json': return raw(openai.responses.create(RESPONSE));
    case 'responses-sse': return raw(openai.responses.create({ ...RESPONSE, stream: true }));
    case 'anthropic-events': {
      // the SDK's own stream reader: every event parsed, the final usage the same as upstream's
      const stream = await anthropic.messages.create({ ...MESSAGE, stream: true });
      let deltas = 0;
      let output = null;
      for await (const event of stream) {
        if (event.type === 'content_block_delta') deltas++;
        if (event.type === 'message_delta') output = event.usage.output_tokens;
      }
      console.log('DELTAS ' + deltas);
      console.log('OUTPUT ' + output);
      return;
    }
    case 'anthropic-call': {
      try {
        const message = await anthropic.messages.create(MESSAGE);
        console.log('OK ' + message.usage.output_tokens);
      } catch (e) {
        printError('ERROR', e);
      }
      return;
    }
    case 'chat-call': {
      try {
        const completion = await openai.chat.completions.create(CHAT);
        console.log('OK ' + completion.usage.completion_tokens);
      } catch (e) {
        printError('ERROR', e);
      }
      return;
    }
    case 'anthropic-stream-until-error': {
      let deltas = 0;
      try {
        const stream = await anthropic.messages.create({ ...MESSAGE, max_tokens: 16, stream: true });
        for await (const event of stream) {
          if (event.type === 'content_block_delta') deltas++;
        }
        console.log('COMPLETED ' + deltas);
      } catch (e) {
        console.log('DELTAS ' + deltas);
        printError('STREAM_ERROR', e);
      }
      return;
    }
    case 'anthropic-abort': {
      const stream = await anthropic.messages.create({ ...MESSAGE, stream: true });
      let deltas = 0;
      for await (const event of stream) {
        if (event.type === 'content_block_delta' && ++deltas === 5) {
          stream.controller.abort();
          break;
        }
      }
      console.log('ABORTED ' + deltas);
      return;
    }
    default:
      throw new Error('unknown command ' + command);
  }
}

main().catch((e) => {
  printError('FAILED', e);
  process.exit(1);
});
