// A service written against the official OpenAI and Anthropic TypeScript SDKs, changed only in its base URL
// and headers to go through the TokenLedger proxy. ProxyNodeClientIT runs one command per call:
//   node sdk-client.js COMMAND PROXY_URL FEATURE [SCENARIO]
// and reads the lines it prints (RAW <call> <base64 body>, ERROR ..., STREAM_ERROR ..., DELTAS n, ABORTED n).
'use strict';
const { Anthropic } = require('@anthropic-ai/sdk');
const { OpenAI } = require('openai');

const [command, proxyUrl, feature, scenario] = process.argv.slice(2);

function headers(featureTag) {
  const h = {};
  if (featureTag && featureTag !== '-') {
    h['x-tokenledger-feature'] = featureTag;
    h['x-tokenledger-tenant'] = 'acme';
    h['x-tokenledger-user'] = 'u-17';
  }
  if (scenario) {
    h['x-sim-scenario'] = scenario;
  }
  return h;
}

// the two-line change: baseURL and defaultHeaders
function clients(featureTag) {
  return {
    anthropic: new Anthropic({ apiKey: 'sk-ant-sim-key-1', baseURL: proxyUrl, defaultHeaders: headers(featureTag), maxRetries: 0 }),
    openai: new OpenAI({ apiKey: 'sk-sim-key-2', baseURL: proxyUrl + '/v1', defaultHeaders: headers(featureTag), maxRetries: 0 }),
  };
}
const { anthropic, openai } = clients(feature);

const MESSAGE = { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'Where is my refund?' }] };
const CHAT = { model: 'gpt-4.1-mini', max_completion_tokens: 64, messages: [{ role: 'user', content: 'How many open incidents?' }] };
const RESPONSE = { model: 'gpt-4.1-mini', max_output_tokens: 64, input: 'Move the meeting.' };

async function raw(promise, label) {
  const response = await promise.asResponse();
  const body = Buffer.from(await response.arrayBuffer());
  const suffix = label ? label + ' ' : '';
  console.log('STATUS ' + suffix + response.status);
  console.log('RAW ' + suffix + body.toString('base64'));
}

// one process for the six plain and streamed calls, each under feature PREFIX_<call> (process start-up is the slow part)
const RAW_CALLS = {
  anthropic_json: (c) => c.anthropic.messages.create(MESSAGE),
  anthropic_sse: (c) => c.anthropic.messages.create({ ...MESSAGE, stream: true }),
  chat_json: (c) => c.openai.chat.completions.create(CHAT),
  chat_sse: (c) => c.openai.chat.completions.create({ ...CHAT, stream: true, stream_options: { include_usage: true } }),
  responses_json: (c) => c.openai.responses.create(RESPONSE),
  responses_sse: (c) => c.openai.responses.create({ ...RESPONSE, stream: true }),
};

function printError(prefix, e) {
  const retryAfter = e.headers && typeof e.headers.get === 'function' ? e.headers.get('retry-after') : null;
  console.log(prefix + ' ' + JSON.stringify({ name: e.constructor.name, status: e.status ?? null, error: e.error ?? null,
    message: e.message, retry_after: retryAfter }));
}

async function main() {
  switch (command) {
    case 'raw-all': {
      for (const [name, call] of Object.entries(RAW_CALLS)) {
        await raw(call(clients(feature + '_' + name)), name);
      }
      return;
    }
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
