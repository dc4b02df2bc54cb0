import { HubspokeError, isHubspokeError } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { joinUrl, redact, redactorFor, retryable, withRetries } from './http.js';

describe('http helpers', () => {
  it('redacts secrets and credential headers', () => {
    expect(redact('key sk-abc123 and Bearer xyz, DeepL-Auth-Key q:fx', redactorFor({ apiKey: 'sk-abc123' }))).toBe(
      'key [REDACTED] and Bearer [REDACTED], DeepL-Auth-Key [REDACTED]',
    );
  });

  it('joins URLs with exactly one slash', () => {
    expect(joinUrl('http://a/v1/', '/chat')).toBe('http://a/v1/chat');
    expect(joinUrl('http://a/v1', 'chat')).toBe('http://a/v1/chat');
  });

  it('retries only errors marked retryable and counts attempts', async () => {
    let calls = 0;
    const result = await withRetries('svc', { retryBaseDelayMs: 1 }, undefined, () => {
      calls++;
      if (calls < 3) throw retryable(new HubspokeError('E_UPSTREAM', 'flaky'));
      return Promise.resolve('done');
    });
    expect(result).toEqual({ value: 'done', attempts: 3 });

    let once = 0;
    await expect(
      withRetries('svc', { retryBaseDelayMs: 1 }, undefined, () => {
        once++;
        throw new HubspokeError('E_AUTH', 'no');
      }),
    ).rejects.toMatchObject({ code: 'E_AUTH' });
    expect(once).toBe(1);
  });

  it('wraps raw network errors as retryable E_UPSTREAM', async () => {
    const error = await withRetries('svc', { maxRetries: 0 }, undefined, () =>
      Promise.reject(new TypeError('fetch failed')),
    ).catch((e: unknown) => e);
    expect(isHubspokeError(error, 'E_UPSTREAM')).toBe(true);
    expect((error as HubspokeError).message).toContain('fetch failed');
  });

  it('ends a backoff wait at once when the caller aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => {
      controller.abort();
    }, 30);
    const error = await withRetries('svc', { retryBaseDelayMs: 10_000 }, controller.signal, () =>
      Promise.reject(retryable(new HubspokeError('E_UPSTREAM', 'x'))),
    ).catch((e: unknown) => e);
    expect(isHubspokeError(error, 'E_ABORTED')).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
