import { emailContentHash, type Dialect, type PushEmailInput, type RenderedEmail } from '@hubspoke/core';

/** A valid rendered email for tests: change any field through `overrides`. */
export function sampleRenderedEmail(overrides: Partial<RenderedEmail> = {}): RenderedEmail {
  const base = {
    draftId: 'spring-sale',
    draftVersion: 1,
    template: { id: 'newsletter', version: 1 },
    locale: 'en',
    dialect: 'preview' as Dialect,
    subject: 'Spring sale starts now',
    preheader: 'Up to 30% off',
    html: '<!doctype html><html><head><title>Spring</title></head><body><h1>Spring sale</h1><img src="https://cdn.example.com/hero.png" alt="Flowers"></body></html>',
    text: 'Spring sale',
    diagnostics: [],
    ...overrides,
  };
  const contentHash = emailContentHash(base);
  return { bytes: Buffer.byteLength(base.html, 'utf8'), contentHash, ...base };
}

/** The push input for draft `draftId` (default `draft-<n>`), version and locale. */
export function samplePushEmailInput(
  n = 1,
  overrides: Partial<PushEmailInput> & { html?: string; dialect?: Dialect } = {},
): PushEmailInput {
  const { html, dialect, ...rest } = overrides;
  const draftId = rest.draftId ?? `draft-${n}`;
  const draftVersion = rest.draftVersion ?? 1;
  const locale = rest.locale ?? 'en';
  return {
    draftId,
    draftVersion,
    locale,
    name: `Campaign ${n}`,
    email: sampleRenderedEmail({
      draftId,
      draftVersion,
      locale,
      ...(html === undefined ? {} : { html }),
      ...(dialect === undefined ? {} : { dialect }),
    }),
    ...rest,
  };
}

/**
 * Runtime options for tests against a local fake: millisecond backoff and generous limits, so
 * fault scenarios run fast. Spread it into `create(config, …)`. The client timeout leaves a busy
 * machine all the time it needs to answer; to inject timeouts, also pass the fake's own `fetch`
 * (`{ ...fastTestRuntime, fetch: fake.fetch }`), which times out at once when the fake says so.
 */
export const fastTestRuntime = {
  retry: { baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 30_000 },
  limits: { callsPerWindow: 1000, windowMs: 100, concurrency: 8 },
} as const;

/** A 1×1 PNG, base64-encoded, for `uploadAsset` tests. */
export const samplePng =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
