import { describe, expect, it } from 'vitest';
import { TokenCache, basicAuth } from './auth.js';
import { Redactor } from './redact.js';

describe('TokenCache', () => {
  it('shares one fetch between concurrent callers and caches until shortly before expiry', async () => {
    let now = 0;
    let fetches = 0;
    const cache = new TokenCache(
      () => {
        fetches++;
        return Promise.resolve({ accessToken: `t${fetches}`, expiresIn: 3600 });
      },
      { now: () => now, skewMs: 60_000 },
    );
    expect(await Promise.all([cache.get(), cache.get(), cache.get()])).toEqual(['t1', 't1', 't1']);
    now = 3_500_000;
    expect(await cache.get()).toBe('t1');
    now = 3_560_000; // within the skew: refresh
    expect(await cache.get()).toBe('t2');
    expect(fetches).toBe(2);
  });

  it('drops only the token that was rejected, and registers tokens for redaction', async () => {
    let n = 0;
    const redactor = new Redactor();
    const cache = new TokenCache(() => Promise.resolve({ accessToken: `token-${++n}`, expiresIn: 3600 }), { redactor });
    const first = await cache.headers();
    cache.invalidate({ Authorization: 'Bearer something-else' });
    expect(await cache.headers()).toEqual(first);
    cache.invalidate(first);
    expect(await cache.headers()).toEqual({ Authorization: 'Bearer token-2' });
    expect(redactor.redact('token-1 token-2')).toBe('[REDACTED] [REDACTED]');
  });

  it('uses short-lived tokens instead of refreshing on every call', async () => {
    let now = 0;
    let n = 0;
    const cache = new TokenCache(() => Promise.resolve({ accessToken: `t${++n}`, expiresIn: 10 }), {
      now: () => now,
      skewMs: 60_000,
    });
    await cache.get();
    now = 5000;
    expect(await cache.get()).toBe('t1');
  });

  it('rejects an empty token as E_AUTH and retries the fetch next time', async () => {
    let n = 0;
    const cache = new TokenCache(() => Promise.resolve({ accessToken: n++ === 0 ? '' : 'ok', expiresIn: 60 }));
    await expect(cache.get()).rejects.toMatchObject({ code: 'E_AUTH' });
    expect(await cache.get()).toBe('ok');
  });
});

describe('basicAuth', () => {
  it('encodes user:password as UTF-8 base64', async () => {
    expect(await basicAuth('Acme\\jane', 'pä55').headers()).toEqual({
      Authorization: `Basic ${Buffer.from('Acme\\jane:pä55').toString('base64')}`,
    });
  });
});
