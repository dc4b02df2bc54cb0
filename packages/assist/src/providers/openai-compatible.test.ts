import { isHubspokeError } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chatReply, chatStream, rejectionOf, startFakeServer, useFakeServer } from '../__fixtures__/fake-server.js';
import type { RetryInfo } from './http.js';
import { createOpenAiCompatibleProvider, type OpenAiCompatibleConfig } from './openai-compatible.js';

const KEY = 'sk-test-SECRET-1234567890';
const server = useFakeServer();

function provider(extra: Partial<OpenAiCompatibleConfig> = {}) {
  return createOpenAiCompatibleProvider({
    baseUrl: `${server.url}/v1/`,
    apiKey: KEY,
    model: 'fake-model',
    retryBaseDelayMs: 1,
    timeoutMs: 2000,
    ...extra,
  });
}

const Answer = z.object({ variants: z.array(z.string()).min(1) });
const ask = { system: 'Be brief.', messages: [{ role: 'user' as const, content: 'Hi' }] };

describe('createOpenAiCompatibleProvider', () => {
  it('sends a chat completion with the system prompt, model and Bearer key, and reports usage and cost', async () => {
    server.reply(chatReply('Hello!', { prompt_tokens: 1000, completion_tokens: 500 }));
    const p = provider({
      pricing: { inputPerMillionTokens: 2, outputPerMillionTokens: 8, currency: 'EUR' },
      temperature: 0.2,
    });
    const result = await p.complete(ask);
    expect(result.value).toBe('Hello!');
    expect(result.usage).toEqual({ inputTokens: 1000, outputTokens: 500, characters: 0 });
    expect(result.cost).toEqual({ amount: (1000 * 2 + 500 * 8) / 1e6, currency: 'EUR' });
    expect(result.attempts).toBe(1);
    const [request] = server.requests;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request?.body).toMatchObject({
      model: 'fake-model',
      stream: false,
      temperature: 0.2,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
    });
  });

  it('validates JSON answers with the schema, asking for JSON mode', async () => {
    server.reply(chatReply('```json\n{"variants":["A","B"]}\n```'));
    const result = await provider().complete({ ...ask, schema: Answer });
    expect(result.value).toEqual({ variants: ['A', 'B'] });
    expect(server.requests[0]?.body.response_format).toEqual({ type: 'json_object' });
    expect(server.requests[0]?.body.messages[0].content).toContain('JSON Schema');
  });

  it('sends a JSON Schema in json_schema mode', async () => {
    server.reply(chatReply('{"variants":["A"]}'));
    await provider({ jsonMode: 'json_schema' }).complete({ ...ask, schema: Answer });
    expect(server.requests[0]?.body.response_format.type).toBe('json_schema');
    expect(server.requests[0]?.body.response_format.json_schema.schema.properties.variants.type).toBe('array');
  });

  it('repairs a malformed answer once, showing the model its answer and the problem', async () => {
    server.reply(chatReply('Sure! Here you go: {"variants": ["A",'), chatReply('{"variants":["A"]}'));
    const result = await provider().complete({ ...ask, schema: Answer });
    expect(result.value).toEqual({ variants: ['A'] });
    expect(result.attempts).toBe(2);
    expect(result.usage.inputTokens).toBe(200);
    const repair = server.requests[1]?.body.messages;
    expect(repair.at(-2)).toEqual({ role: 'assistant', content: 'Sure! Here you go: {"variants": ["A",' });
    expect(repair.at(-1).content).toMatch(/not valid JSON/);
  });

  it('fails with E_UPSTREAM when the repaired answer still violates the schema', async () => {
    server.reply(chatReply('{"variants":[]}'), chatReply('{"variants": "A"}'));
    const error = await rejectionOf(provider().complete({ ...ask, schema: Answer }));
    expect(isHubspokeError(error, 'E_UPSTREAM')).toBe(true);
    expect((error as Error).message).toMatch(/answer\.variants/);
    expect(server.requests).toHaveLength(2);
  });

  it('streams deltas over SSE and takes usage from the final chunk', async () => {
    server.reply(chatStream(['Hel', 'lo ', 'world'], { prompt_tokens: 7, completion_tokens: 3 }));
    const deltas: string[] = [];
    const result = await provider({ stream: true }).complete(ask, { onDelta: (d) => deltas.push(d) });
    expect(deltas).toEqual(['Hel', 'lo ', 'world']);
    expect(result.value).toBe('Hello world');
    expect(result.usage).toEqual({ inputTokens: 7, outputTokens: 3, characters: 0 });
    expect(server.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(server.requests[0]?.headers.accept).toBe('text/event-stream');
  });

  it('parses streams split at any byte, with CRLF and comments', async () => {
    const events = [
      `: ping\r\n\r\n`,
      `data: {"choices":[{"delta":{"content":"Grü`,
      `ße"}}]}\r`,
      `\n\r\ndata: [DONE]\r\n\r\n`,
    ];
    server.reply({ sse: events, raw: true, delayMs: 5 });
    const result = await provider({ stream: true }).complete(ask);
    expect(result.value).toBe('Grüße');
    expect(result.usage.estimated).toBe(true);
  });

  it('estimates usage when the server reports none', async () => {
    server.reply(chatStream(['x'.repeat(40)], null));
    const result = await provider({ stream: true }).complete(ask);
    expect(result.usage).toMatchObject({ outputTokens: 10, estimated: true });
    expect(result.usage.inputTokens).toBeGreaterThan(0);
  });

  it('rejects a stream event that is not JSON', async () => {
    server.reply({ sse: ['{"choices":[{"delta":{"content":"a"}}]}', 'not json', '[DONE]'] });
    const error = await rejectionOf(provider({ stream: true, maxRetries: 0 }).complete(ask));
    expect(isHubspokeError(error, 'E_UPSTREAM')).toBe(true);
  });

  it('does not retry a stream that broke after text reached the caller', async () => {
    server.reply({ sse: ['{"choices":[{"delta":{"content":"a"}}]}', '{"error":{"message":"overloaded"}}'] });
    const error = await rejectionOf(provider({ stream: true }).complete(ask, { onDelta: () => undefined }));
    expect(isHubspokeError(error, 'E_UPSTREAM')).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('retries 429 after the Retry-After delay', async () => {
    server.reply(
      { status: 429, headers: { 'retry-after': '1' }, json: { error: { message: 'slow down' } } },
      chatReply('ok'),
    );
    const retries: RetryInfo[] = [];
    const result = await provider({ onRetry: (r) => retries.push(r) }).complete(ask);
    expect(result.value).toBe('ok');
    expect(result.attempts).toBe(2);
    expect(retries).toEqual([{ attempt: 1, delayMs: 1000, code: 'E_RATE_LIMITED', status: 429 }]);
  });

  it('fails fast with E_RATE_LIMITED when Retry-After is beyond the cap', async () => {
    server.reply({ status: 429, headers: { 'retry-after': '120' }, json: {} });
    const error = await rejectionOf(provider({ maxRetryDelayMs: 5000 }).complete(ask));
    expect(isHubspokeError(error, 'E_RATE_LIMITED')).toBe(true);
    expect((error as { details: Record<string, unknown> }).details).toMatchObject({
      retryAfterMs: 120_000,
      status: 429,
    });
    expect(server.requests).toHaveLength(1);
  });

  it('retries 5xx with backoff and gives up after maxRetries', async () => {
    server.reply({ status: 503, json: {} }, { status: 502, text: 'bad gateway' }, { status: 500, json: {} });
    const retries: RetryInfo[] = [];
    const error = await rejectionOf(provider({ maxRetries: 2, onRetry: (r) => retries.push(r) }).complete(ask));
    expect(isHubspokeError(error, 'E_UPSTREAM')).toBe(true);
    expect(server.requests).toHaveLength(3);
    expect(retries.map((r) => r.status)).toEqual([503, 502]);
  });

  it('times out a silent server with E_TIMEOUT, retrying first', async () => {
    server.handle = () => ({ hang: true });
    const retries: RetryInfo[] = [];
    const error = await rejectionOf(
      provider({ timeoutMs: 100, maxRetries: 1, onRetry: (r) => retries.push(r) }).complete(ask),
    );
    expect(isHubspokeError(error, 'E_TIMEOUT')).toBe(true);
    // Counted by the client: on a busy machine an attempt can time out before the server sees it.
    expect(retries).toHaveLength(1);
    expect(server.requests.length).toBeLessThanOrEqual(2);
  });

  it('times out a stream that stalls midway', async () => {
    server.reply({
      sse: ['{"choices":[{"delta":{"content":"a"}}]}', '{"choices":[{"delta":{"content":"b"}}]}'],
      delayMs: 400,
    });
    const error = await rejectionOf(provider({ stream: true, timeoutMs: 150, maxRetries: 0 }).complete(ask));
    expect(isHubspokeError(error, 'E_TIMEOUT')).toBe(true);
  });

  it('stops at once with E_ABORTED when the caller aborts', async () => {
    const controller = new AbortController();
    // Aborts once the request is at the server (a timer could fire before it gets there).
    server.handle = () => {
      controller.abort();
      return { hang: true };
    };
    const error = await rejectionOf(provider({ timeoutMs: 5000 }).complete(ask, { signal: controller.signal }));
    expect(isHubspokeError(error, 'E_ABORTED')).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('maps 401 to E_AUTH without ever showing the key, even when the server echoes it', async () => {
    server.reply({
      status: 401,
      json: { error: { message: `Incorrect API key provided: ${KEY}. Header was Bearer ${KEY}` } },
    });
    const error = await rejectionOf(provider().complete(ask));
    expect(isHubspokeError(error, 'E_AUTH')).toBe(true);
    const shown = JSON.stringify((error as { toJSON(): unknown }).toJSON()) + String((error as Error).stack);
    expect(shown).not.toContain('SECRET');
    expect(shown).toContain('[REDACTED]');
    expect(server.requests).toHaveLength(1);
  });

  it('reports an unreachable server as E_UPSTREAM', async () => {
    const closed = await startFakeServer();
    const url = closed.url;
    await closed.close();
    const error = await rejectionOf(
      createOpenAiCompatibleProvider({ baseUrl: url, model: 'm', maxRetries: 1, retryBaseDelayMs: 1 }).complete(ask),
    );
    expect(isHubspokeError(error, 'E_UPSTREAM')).toBe(true);
  });

  it('rejects answers that are not chat completions, and empty content', async () => {
    server.reply({ json: { hello: 'world' } });
    expect(isHubspokeError(await rejectionOf(provider().complete(ask)), 'E_UPSTREAM')).toBe(true);
    server.reply({ text: '<html>proxy error</html>' });
    expect(isHubspokeError(await rejectionOf(provider().complete(ask)), 'E_UPSTREAM')).toBe(true);
    server.reply(chatReply(null));
    expect(isHubspokeError(await rejectionOf(provider().complete(ask)), 'E_UPSTREAM')).toBe(true);
  });

  it('sends image parts only to providers configured for images', async () => {
    const message = {
      role: 'user' as const,
      content: [
        { type: 'text' as const, text: 'Describe' },
        { type: 'image' as const, url: 'https://cdn.example.com/a.jpg' },
      ],
    };
    server.reply(chatReply('a'), chatReply('b'));
    await provider({ images: true }).complete({ system: 's', messages: [message] });
    await provider().complete({ system: 's', messages: [message] });
    expect(server.requests[0]?.body.messages[1].content).toEqual([
      { type: 'text', text: 'Describe' },
      { type: 'image_url', image_url: { url: 'https://cdn.example.com/a.jpg' } },
    ]);
    expect(server.requests[1]?.body.messages[1].content).toEqual([{ type: 'text', text: 'Describe' }]);
  });

  it('validates its config and requests with E_VALIDATION', async () => {
    expect(() => createOpenAiCompatibleProvider({ baseUrl: 'ftp://x', model: 'm' })).toThrow(/config\.baseUrl/);
    expect(() => createOpenAiCompatibleProvider({ baseUrl: 'http://x', model: '' })).toThrow(/config\.model/);
    expect(() =>
      createOpenAiCompatibleProvider({ baseUrl: 'http://x', model: 'm', ...({ retries: 3 } as object) }),
    ).toThrow(/retries/);
    expect(() =>
      createOpenAiCompatibleProvider({ baseUrl: 'http://x', model: 'm', pricing: { currency: 'dollars' } }),
    ).toThrow(/config\.pricing\.currency/);
    const error = await rejectionOf(provider().complete({ system: 's', messages: [] }));
    expect(isHubspokeError(error, 'E_VALIDATION')).toBe(true);
    expect(server.requests).toHaveLength(0);
  });
});
