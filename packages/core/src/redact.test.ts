import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileExportFailures, methodsOf } from './testkit/hostile.js';
import { HubspokeError } from './errors/hubspoke-error.js';
import { REDACTED, Redactor, SECRET_FRAGMENT } from './redact.js';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~+/=:@!$&\'()*,;%" <>';
/** A secret as credentials look: 12–48 characters, mostly alphanumeric, sometimes punctuation. */
const secretArb = fc.string({ unit: fc.constantFrom(...Array.from(alphabet)), minLength: 12, maxLength: 48 });
const noise = fc.string({ maxLength: 40 });

/** Every run of SECRET_FRAGMENT characters of `secret` found in `text`. */
function fragmentsIn(text: string, secret: string): string[] {
  const found: string[] = [];
  for (let i = 0; i + SECRET_FRAGMENT <= secret.length; i++) {
    const part = secret.slice(i, i + SECRET_FRAGMENT);
    if (text.includes(part)) found.push(part);
  }
  return found;
}

const wireForms = (s: string) => [
  s,
  encodeURIComponent(s),
  new URLSearchParams({ s }).toString().slice(2),
  JSON.stringify(s).slice(1, -1),
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'),
];

describe('Redactor', () => {
  it('leaves no run of 8 characters of a secret in any wire form, whole or cut anywhere', () => {
    fc.assert(
      fc.property(secretArb, noise, noise, fc.nat(), fc.nat(), fc.nat(4), (secret, before, after, a, b, form) => {
        const r = new Redactor([secret]);
        const encoded = wireForms(secret)[form] ?? secret;
        // A vendor echoing all of it, or a piece of it (what a length limit leaves).
        const from = a % encoded.length;
        const to = from + (b % (encoded.length - from + 1));
        for (const shown of [encoded, encoded.slice(from), encoded.slice(0, to), encoded.slice(from, to)]) {
          const out = r.redact(`${before}${shown}${after}`);
          expect(fragmentsIn(out, secret)).toEqual([]);
          if (form === 0) expect(fragmentsIn(out, shown)).toEqual([]);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('knows the secret parts of a URL: a webhook path echoed alone, its token, query values, user info', () => {
    fc.assert(
      fc.property(
        secretArb.map((s) => s.replace(/[^A-Za-z0-9]/g, 'x')),
        (token) => {
          const url = `https://hooks.example.com/services/T0001/B0002/${token}?sig=${token}2&mode=x`;
          const r = new Redactor([url, `https://user:${token}3@db.example.com/`]);
          for (const echo of [
            `POST /services/T0001/B0002/${token} not found`,
            `{"path":"\\/services\\/T0001\\/B0002\\/${token}"}`,
            `invalid_token: ${token.slice(2, 14)}`,
            `sig=${encodeURIComponent(`${token}2`)}`,
            `password ${token}3 rejected`,
          ]) {
            const out = r.redact(echo);
            expect(fragmentsIn(out, token)).toEqual([]);
          }
          // The host alone is not secret.
          expect(r.redact('hooks.example.com is up')).toBe('hooks.example.com is up');
        },
      ),
      { numRuns: 100 },
    );
  });

  it('finds a secret inside any base64 value, as in a basic-auth pair it was never told about', () => {
    fc.assert(
      fc.property(secretArb, fc.string({ maxLength: 20 }), (password, user) => {
        const r = new Redactor([password]);
        const header = Buffer.from(`${user}:${password}`).toString('base64');
        const out = r.redact(`Authorization: Basic ${header}`);
        // What is left of the base64 cannot carry 8 characters of the password.
        const left = out.replace('Authorization: Basic ', '').split(REDACTED);
        for (const piece of left) {
          const decoded = Buffer.from(piece.replace(/[^A-Za-z0-9+/]/g, ''), 'base64').toString('latin1');
          expect(fragmentsIn(decoded, password)).toEqual([]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('learns the secrets of a credential header', () => {
    const r = new Redactor();
    r.addCredential(`Basic ${Buffer.from('acme\\jo:hunter2-hunter2').toString('base64')}`);
    expect(r.redact('login acme\\jo:hunter2-hunter2 failed; tried hunter2-hunter2')).toBe(
      `login ${REDACTED} failed; tried ${REDACTED}`,
    );
    r.addCredential('Bearer tok_1234567890abcdef');
    expect(r.redact('token tok_1234567890abcdef expired')).toBe(`token ${REDACTED} expired`);
  });

  it('redacts before cutting, so a limit never leaves the start of a secret behind', () => {
    const secret = 'sk-proj-AAAABBBBCCCCDDDDEEEE';
    const r = new Redactor([secret]);
    const body = `${'x'.repeat(290)}Incorrect API key provided: ${secret}`;
    const clipped = r.clip(body, 300);
    expect(clipped.length).toBeLessThanOrEqual(300);
    expect(fragmentsIn(clipped, secret)).toEqual([]);
  });

  it('rebuilds an error without a secret anywhere: message, details, hint, path and the cause chain', () => {
    const secret = 'S3cr3t-Value-0123456789';
    const r = new Redactor([secret]);
    const root = Object.assign(new Error(`socket closed for https://x/?key=${secret}`), {
      request: { headers: { authorization: secret } },
    });
    const middle = new TypeError(`fetch failed (${secret})`, { cause: root });
    const error = new HubspokeError('E_UPSTREAM', `upstream said ${secret}`, {
      details: { body: secret, nested: [{ token: 'x' }, new Error(secret)] },
      hint: `rotate ${secret}`,
      cause: middle,
    });
    const clean = r.error(error);
    const shown = [clean.message, JSON.stringify(clean), inspect(clean, { depth: null }), clean.stack ?? ''].join('\n');
    expect(fragmentsIn(shown, secret)).toEqual([]);
    expect(clean.code).toBe('E_UPSTREAM');
    expect((clean.cause as Error).message).toBe(`fetch failed (${REDACTED})`);
    expect(r.error(new RangeError(secret)).code).toBe('E_INTERNAL');
    expect(r.error('plain', 'E_UPSTREAM').code).toBe('E_UPSTREAM');
  });

  it('walks cyclic and deep values without looping', () => {
    const r = new Redactor(['abcdefghijkl']);
    const cyclic: Record<string, unknown> = { a: 'abcdefghijkl' };
    cyclic.self = cyclic;
    expect(r.redactDeep(cyclic)).toEqual({ a: REDACTED, self: '[…]' });
    let deep: unknown = 'abcdefghijkl';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(() => r.redactDeep(deep)).not.toThrow();
  });

  it('ignores empty secrets and leaves text without secrets alone', () => {
    const r = new Redactor(['', undefined]);
    expect(r.empty).toBe(true);
    expect(r.redact('nothing to see')).toBe('nothing to see');
  });
});

describe('a Redactor, with hostile input to its methods', () => {
  it('returns a value or throws a HubspokeError (clip, redactHeaders and the rest threw raw TypeError/RangeError before)', async () => {
    const redactor = new Redactor(['probe-secret-value']);
    const methods = Object.fromEntries(
      Object.entries(methodsOf('Redactor', redactor)).filter(
        ([name]) => !['Redactor.walk', 'Redactor.cause'].includes(name),
      ),
    );
    const { covered, failures } = await hostileExportFailures(fc, methods, { numRuns: 5 });
    expect(covered).toContain('Redactor.clip');
    expect(failures).toEqual([]);
    // Still redacts its secret (the probes may have added other secrets, such as 'h', through add()).
    const clipped = redactor.clip('key probe-secret-value here', 100);
    expect(clipped).not.toContain('probe-secret');
    expect(clipped).toContain(REDACTED);
  });
});
