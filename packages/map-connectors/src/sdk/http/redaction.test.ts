import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardContract } from '../../testkit/vitest.js';
import { marketo } from '../../connectors/marketo/marketo.js';
import { FakeMarketo } from '../../testkit/fakes/marketo.js';
import { fastTestRuntime, samplePushEmailInput } from '../../testkit/fixtures.js';
import { createDryRunRecorder } from './dry-run.js';
import { memoryLogger } from './logger.js';
import { REDACTED, Redactor } from './redact.js';

/** Every form a secret could take once it has been through a URL, a form or JSON. */
const forms = (secret: string) => [
  secret,
  encodeURIComponent(secret),
  new URLSearchParams({ s: secret }).toString().slice(2),
  JSON.stringify(secret).slice(1, -1),
];
const secretArb = fc
  .string({ minLength: 10, maxLength: 40, unit: 'grapheme-ascii' })
  .filter((s) => s.trim() === s && !REDACTED.includes(s));

describe('redaction (property)', () => {
  let fake: FakeMarketo;
  beforeAll(async () => {
    fake = await new FakeMarketo({ echoSecretsInErrors: true }).start();
  });
  afterAll(async () => {
    await fake.close();
  });
  guardContract(() => fake);

  it('no secret or token appears in any log line, error or dry-run record', async () => {
    await fc.assert(
      fc.asyncProperty(secretArb, secretArb, async (clientId, clientSecret) => {
        const logger = memoryLogger();
        const base = { baseUrl: fake.url, clientId, emailFolderId: 1, templateFolderId: 2 };
        // The long test timeout: a slow answer on a loaded machine must not turn into a timeout.
        const retry = fastTestRuntime.retry;
        // Wrong secret: the fake echoes the credentials it was sent in its error.
        const wrong = marketo.create({ ...base, clientSecret: `${clientSecret}x` }, { logger, retry });
        const checked = await wrong.check();
        const pushError = await wrong.pushEmail!(samplePushEmailInput(1)).catch((e: unknown) => e);
        // Dry run with the real secret.
        const dryRun = createDryRunRecorder();
        await marketo.create({ ...base, clientSecret }, { logger, retry, dryRun }).pushEmail!(samplePushEmailInput(2));
        const haystack = JSON.stringify([
          logger.records,
          checked,
          pushError,
          (pushError as Error).message,
          (pushError as { toJSON(): unknown }).toJSON(),
          dryRun.records,
        ]);
        for (const secret of [clientId, clientSecret, `${clientSecret}x`])
          for (const form of forms(secret)) expect(haystack).not.toContain(form);
        expect(checked.ok).toBe(false);
      }),
      { numRuns: 25 },
    );
  });

  it('redacts access tokens the vendor echoes back', async () => {
    const logger = memoryLogger();
    const connector = marketo.create(
      {
        baseUrl: fake.url,
        clientId: 'marketo-client',
        clientSecret: 'marketo-secret',
        emailFolderId: 1,
        templateFolderId: 2,
      },
      { logger, retry: { baseDelayMs: 1, maxDelayMs: 5 } },
    );
    await connector.pushEmail!(samplePushEmailInput(1));
    fake.expireTokens(); // 602 echoes the token
    await connector.pushEmail!(samplePushEmailInput(2));
    fake.revokeTokens();
    await connector.pushEmail!(samplePushEmailInput(3));
    const text = JSON.stringify(logger.records);
    expect(fake.issuedTokens.length).toBeGreaterThan(1);
    for (const token of fake.issuedTokens) expect(text).not.toContain(token);
    expect(text).toContain(REDACTED);
  });
});

describe('Redactor', () => {
  it('replaces raw, URL-, form-, JSON- and XML-encoded forms, longest first', () => {
    const r = new Redactor(['p@ss w&rd"<x>', 'p@ss']);
    expect(r.redact('a p@ss w&rd"<x> b')).toBe(`a ${REDACTED} b`);
    expect(r.redact(`q=${encodeURIComponent('p@ss w&rd"<x>')}`)).toBe(`q=${REDACTED}`);
    expect(r.redact('p%40ss+w%26rd%22%3Cx%3E')).toBe(REDACTED);
    expect(r.redact('"p@ss w&rd\\"<x>"')).toBe(`"${REDACTED}"`);
    expect(r.redact('p@ss w&amp;rd&quot;&lt;x&gt;')).toBe(REDACTED);
  });

  it('redacts credential headers, URL query credentials and keys in nested values', () => {
    const r = new Redactor(['s3cr3t-value']);
    expect(r.redactHeaders({ Authorization: 'Bearer abc', 'X-Other': 'has s3cr3t-value' })).toEqual({
      Authorization: REDACTED,
      'X-Other': `has ${REDACTED}`,
    });
    expect(r.redactUrl('https://h.example/oauth?client_secret=zzz&x=1')).toBe(
      `https://h.example/oauth?client_secret=${encodeURIComponent(REDACTED)}&x=1`,
    );
    expect(r.redactDeep({ a: ['s3cr3t-value'], access_token: 'tok', n: 1 })).toEqual({
      a: [REDACTED],
      access_token: REDACTED,
      n: 1,
    });
  });

  it('ignores empty secrets', () => {
    const r = new Redactor(['']);
    expect(r.redact('anything')).toBe('anything');
  });
});
