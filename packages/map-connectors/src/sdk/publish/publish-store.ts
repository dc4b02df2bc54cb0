import { parse } from '@hubspoke/core';
import { z } from 'zod';

/** `asset`: an uploaded file, keyed by its SHA-256. */
export type PublishKind = 'email' | 'template' | 'task' | 'asset';

/** What was published: one draft (or template) version in one locale, or one task key. */
export interface PublishKey {
  /** The connector instance, e.g. `marketo` or `marketo:emea`. */
  connector: string;
  kind: PublishKind;
  /** Draft id, template id or task key. */
  sourceId: string;
  version: number;
  /** `''` where a locale does not apply (tasks). */
  locale: string;
}

export interface PublishRecord extends PublishKey {
  remoteId: string;
  url?: string;
  contentHash?: string;
  updatedAt: string;
}

/** The right to create the remote asset of one key, held by one publisher at a time. */
export interface PublishClaim {
  token: string;
  /**
   * An earlier claim on this key ended without recording its outcome (its publisher crashed,
   * or its create failed in a way that may have left an asset behind): look the asset up by
   * name before creating one.
   */
  recover: boolean;
}

/**
 * Where the (draft id, version, locale) → remote id mapping lives, so pushing the same
 * version twice updates one remote asset instead of creating a second. Claims make the
 * "nothing mapped yet, so create" step exclusive across every publisher sharing the store.
 */
export interface PublishStore {
  get(key: PublishKey): Promise<PublishRecord | undefined>;
  /** Inserts or replaces the record for its key. */
  put(record: PublishRecord): Promise<void>;
  findByRemoteId(connector: string, kind: PublishKind, remoteId: string): Promise<PublishRecord | undefined>;
  /**
   * Claims `key` for `leaseMs` under `token`. Resolves `undefined` while another publisher
   * holds a live lease; a lapsed lease is taken over (with `recover: true`).
   */
  claim(key: PublishKey, token: string, leaseMs: number): Promise<PublishClaim | undefined>;
  /** Extends a held claim; `false` when it was lost (released, or lapsed and taken over). */
  renewClaim(key: PublishKey, token: string, leaseMs: number): Promise<boolean>;
  /**
   * Ends a held claim. `settled`: the outcome is recorded (or nothing was created), so the
   * claim goes away; otherwise it lapses at once and the next claimer recovers by name.
   */
  releaseClaim(key: PublishKey, token: string, settled: boolean): Promise<void>;
}

/** Text a PostgreSQL `text` column can hold (no NUL). */
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !value.includes('\u0000'), { error: 'NUL characters cannot be stored' });

export const PublishKeySchema = z.object({
  connector: text(200).min(1),
  kind: z.enum(['email', 'template', 'task', 'asset']),
  sourceId: text(500).min(1),
  version: z.number().int().min(0).max(2_147_483_647),
  locale: text(100),
});

export const PublishRecordSchema = PublishKeySchema.extend({
  remoteId: text(1000).min(1),
  url: text(3000).optional(),
  contentHash: text(200).optional(),
  updatedAt: text(100).min(1),
});

const TokenSchema = text(200).min(1);
/** From 10 ms (tests) to a day. */
export const LeaseMsSchema = z.number().int().min(10).max(86_400_000);

/** Validated inputs, shared by every store so they refuse the same things. */
export const publishInput = {
  key: (key: unknown): PublishKey => parse(PublishKeySchema, key, 'key'),
  record: (record: unknown): PublishRecord => parse(PublishRecordSchema, record, 'record') as PublishRecord,
  kind: (kind: unknown): PublishKind => parse(PublishKeySchema.shape.kind, kind, 'kind'),
  /** A remote id to look up; `undefined` for a string no record can hold (vendor exports have blanks). */
  lookupId: (remoteId: unknown): string | undefined => {
    const id = parse(z.string(), remoteId, 'remoteId');
    return PublishRecordSchema.shape.remoteId.safeParse(id).success ? id : undefined;
  },
  connector: (connector: unknown): string => parse(PublishKeySchema.shape.connector, connector, 'connector'),
  token: (token: unknown): string => parse(TokenSchema, token, 'token'),
  leaseMs: (leaseMs: unknown): number => parse(LeaseMsSchema, leaseMs, 'leaseMs'),
  settled: (settled: unknown): boolean => parse(z.boolean(), settled, 'settled'),
};

const keyOf = (k: PublishKey) => JSON.stringify([k.connector, k.kind, k.sourceId, k.version, k.locale]);

export interface MemoryPublishStoreOptions {
  /** The clock leases are measured by (default `Date.now`). */
  now?: () => number;
}

/** The in-memory store (the default): lives as long as the process, shared by everything given it. */
export function createMemoryPublishStore(options: MemoryPublishStoreOptions = {}): PublishStore {
  const now = options.now ?? Date.now;
  const records = new Map<string, PublishRecord>();
  const claims = new Map<string, { token: string; expiresAt: number }>();
  const heldClaim = (key: PublishKey, token: string) => {
    const held = claims.get(keyOf(publishInput.key(key)));
    return held?.token === publishInput.token(token) ? held : undefined;
  };
  return {
    get: (key) => Promise.resolve().then(() => records.get(keyOf(publishInput.key(key)))),
    put: (record) =>
      Promise.resolve().then(() => {
        const valid = publishInput.record(record);
        records.set(keyOf(valid), valid);
      }),
    findByRemoteId: (connector, kind, remoteId) =>
      Promise.resolve().then(() => {
        const [c, k, r] = [publishInput.connector(connector), publishInput.kind(kind), publishInput.lookupId(remoteId)];
        return r === undefined
          ? undefined
          : [...records.values()].find(
              (record) => record.connector === c && record.kind === k && record.remoteId === r,
            );
      }),
    claim: (key, token, leaseMs) =>
      Promise.resolve().then(() => {
        const id = keyOf(publishInput.key(key));
        const [t, lease] = [publishInput.token(token), publishInput.leaseMs(leaseMs)];
        const held = claims.get(id);
        const at = now();
        if (held !== undefined && held.expiresAt > at) return undefined;
        claims.set(id, { token: t, expiresAt: at + lease });
        return { token: t, recover: held !== undefined };
      }),
    renewClaim: (key, token, leaseMs) =>
      Promise.resolve().then(() => {
        const lease = publishInput.leaseMs(leaseMs);
        const held = heldClaim(key, token);
        if (held !== undefined) held.expiresAt = now() + lease;
        return held !== undefined;
      }),
    releaseClaim: (key, token, settled) =>
      Promise.resolve().then(() => {
        const done = publishInput.settled(settled);
        const held = heldClaim(key, token);
        if (held === undefined) return;
        if (done) claims.delete(keyOf(key));
        else held.expiresAt = now();
      }),
  };
}
