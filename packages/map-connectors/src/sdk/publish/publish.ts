import { HubspokeError, isHubspokeError, parse, sleep, type PushResult } from '@hubspoke/core';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { HttpClient } from '../http/http-client.js';
import {
  LeaseMsSchema,
  type PublishClaim,
  type PublishKey,
  type PublishRecord,
  type PublishStore,
} from './publish-store.js';

/** A remote asset found by name. */
export interface RemoteAsset {
  id: string;
  url?: string;
}

export interface PublishSpec {
  key: PublishKey;
  /** The remote name, unique per key (see {@link assetName}). */
  name: string;
  contentHash?: string;
  /** Cancels the publish, including a wait for another publisher's claim. */
  signal?: AbortSignal | undefined;
  /** Creates the remote asset and returns its id. */
  create(): Promise<RemoteAsset>;
  /** Brings an existing remote asset up to date. */
  update(id: string): Promise<RemoteAsset | undefined>;
  /** Finds a remote asset by its exact name; used after a create whose outcome is unknown. */
  find(name: string): Promise<RemoteAsset | undefined>;
}

export const PublishClaimOptionsSchema = z
  .object({
    /** How long a claim lasts unless renewed; the holder renews it every third of that. */
    leaseMs: LeaseMsSchema.optional(),
    /** How long to wait for another publisher's claim on the same key before `E_CONFLICT`. */
    waitMs: z.number().int().min(0).max(86_400_000).optional(),
  })
  .strict();

export type PublishClaimOptions = z.input<typeof PublishClaimOptionsSchema>;

export const DEFAULT_PUBLISH_CLAIM = { leaseMs: 30_000, waitMs: 60_000 } as const;

export interface PublishContext {
  store: PublishStore;
  http: Pick<HttpClient, 'log'>;
  dryRun: boolean;
  now: () => number;
  /** Create attempts before giving up (each after a lookup found nothing). */
  maxCreateAttempts?: number;
  /** Lease and wait for the create claim (defaults: {@link DEFAULT_PUBLISH_CLAIM}). */
  claim?: PublishClaimOptions;
}

/**
 * Remote name for one (source id, version, locale): the given name plus a suffix that makes
 * it unique per key, so locales and versions of one draft can share a folder and a lost
 * create response can be recovered by looking the name up.
 */
export function assetName(
  name: string,
  key: Pick<PublishKey, 'sourceId' | 'version' | 'locale'>,
  maxLength = 255,
): string {
  const suffix = ` [${key.sourceId} v${key.version}${key.locale === '' ? '' : ` ${key.locale}`}]`;
  const base = name.trim().slice(0, Math.max(1, maxLength - suffix.length));
  return base + suffix;
}

const isAmbiguous = (error: unknown) => isHubspokeError(error) && error.details.ambiguous === true;

/**
 * Publishes idempotently: updates the mapped remote asset when the key was published
 * before; otherwise creates one under a claim on the key, so of all publishers sharing the
 * store (other processes included) exactly one creates and the rest wait, then update what
 * it created. When a create fails in a way that leaves its outcome unknown (timeout, reset,
 * 5xx) or the name is taken, it looks the name up and adopts the asset it finds instead of
 * creating a duplicate; so does the next claimer after a publisher crashed or gave up.
 */
export async function publishOnce(ctx: PublishContext, spec: PublishSpec): Promise<PushResult> {
  const given = parse(PublishClaimOptionsSchema, ctx.claim ?? {}, 'claim');
  const options = {
    leaseMs: given.leaseMs ?? DEFAULT_PUBLISH_CLAIM.leaseMs,
    waitMs: given.waitMs ?? DEFAULT_PUBLISH_CLAIM.waitMs,
  };
  const existing = await ctx.store.get(spec.key);
  if (existing !== undefined) {
    const updated = await updateMapped(ctx, spec, existing);
    if (updated !== undefined) return updated;
  }
  // A dry run writes nothing to the store, claims included.
  if (ctx.dryRun) return create(ctx, spec, false, () => undefined);

  const claim = await acquire(ctx, spec, options);
  const heartbeat = new Heartbeat(ctx, spec.key, claim.token, options.leaseMs);
  // An object, not a `let`: the flag is set in a callback, which narrowing does not see.
  const progress = { createAttempted: false };
  let settled = false;
  try {
    // The previous holder may have published while we waited.
    const mapped = await ctx.store.get(spec.key);
    const result =
      (mapped !== undefined && mapped.remoteId !== existing?.remoteId
        ? await updateMapped(ctx, spec, mapped)
        : undefined) ??
      (await create(ctx, spec, claim.recover, () => {
        progress.createAttempted = true;
      }));
    settled = true;
    return result;
  } finally {
    await heartbeat.stop();
    // Unless the mapping is written (or no create was sent, and no earlier one needed recovering),
    // the claim lapses marked for recovery.
    await ctx.store
      .releaseClaim(spec.key, claim.token, settled || (!progress.createAttempted && !claim.recover))
      .catch((error: unknown) => {
        ctx.http.log(
          'warn',
          'publish.release-failed',
          `could not release the claim on "${spec.name}"; it lapses in ${options.leaseMs} ms`,
          { key: spec.key, error: errorMessage(error) },
        );
      });
  }
}

/** Updates the asset a record maps to; `undefined` when the vendor says it is gone. */
async function updateMapped(
  ctx: PublishContext,
  spec: PublishSpec,
  mapped: PublishRecord,
): Promise<PushResult | undefined> {
  try {
    const updated = await spec.update(mapped.remoteId);
    return await record(ctx, spec, updated?.id ?? mapped.remoteId, updated?.url ?? mapped.url, false);
  } catch (error) {
    if (!isHubspokeError(error, 'E_NOT_FOUND')) throw error;
    ctx.http.log('warn', 'publish.recreate', `remote asset ${mapped.remoteId} is gone; creating it again`, {
      key: spec.key,
    });
    return undefined;
  }
}

async function create(
  ctx: PublishContext,
  spec: PublishSpec,
  recover: boolean,
  onAttempt: () => void,
): Promise<PushResult> {
  if (recover) {
    const found = await spec.find(spec.name);
    if (found !== undefined)
      return adopt(ctx, spec, found, true, 'publish.recovered', 'an earlier publish of this key did not finish');
  }
  const maxAttempts = ctx.maxCreateAttempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      onAttempt();
      const created = await spec.create();
      return await record(ctx, spec, created.id, created.url, true);
    } catch (error) {
      const conflict = isHubspokeError(error, 'E_CONFLICT');
      if (!(conflict || isAmbiguous(error))) throw error;
      const found = await spec.find(spec.name);
      if (found !== undefined) return adopt(ctx, spec, found, !conflict, 'publish.adopted', 'an unclear create');
      if (conflict || attempt >= maxAttempts) throw error;
    }
  }
}

async function adopt(
  ctx: PublishContext,
  spec: PublishSpec,
  found: RemoteAsset,
  created: boolean,
  event: string,
  after: string,
): Promise<PushResult> {
  ctx.http.log(
    'info',
    event,
    `found "${spec.name}" as ${found.id} after ${after}; updating it instead of creating another`,
    { key: spec.key },
  );
  const updated = await spec.update(found.id);
  return record(ctx, spec, found.id, updated?.url ?? found.url, created);
}

async function record(
  ctx: PublishContext,
  spec: PublishSpec,
  remoteId: string,
  url: string | undefined,
  created: boolean,
): Promise<PushResult> {
  if (!ctx.dryRun) {
    await ctx.store.put({
      ...spec.key,
      remoteId,
      ...(url === undefined ? {} : { url }),
      ...(spec.contentHash === undefined ? {} : { contentHash: spec.contentHash }),
      updatedAt: new Date(ctx.now()).toISOString(),
    });
  }
  return { remoteId, created, ...(url === undefined ? {} : { url }) };
}

/** Takes the key's claim, polling (with growing pauses) while another publisher holds it. */
async function acquire(
  ctx: PublishContext,
  spec: PublishSpec,
  options: { leaseMs: number; waitMs: number },
): Promise<PublishClaim> {
  const token = randomUUID();
  // Waiting is measured on the monotonic clock: `ctx.now` may be a test's frozen clock.
  const started = performance.now();
  for (let polls = 0; ; polls++) {
    throwIfAborted(spec);
    const claim = await ctx.store.claim(spec.key, token, options.leaseMs);
    if (claim !== undefined) return claim;
    const waited = performance.now() - started;
    if (polls === 0)
      ctx.http.log(
        'info',
        'publish.waiting',
        `another publisher is creating "${spec.name}"; waiting up to ${options.waitMs} ms`,
        { key: spec.key },
      );
    if (waited >= options.waitMs) {
      throw new HubspokeError(
        'E_CONFLICT',
        `Another publisher is still creating "${spec.name}" after ${Math.round(waited)} ms of waiting`,
        {
          details: { reason: 'publish-in-progress', key: spec.key, waitedMs: Math.round(waited) },
          hint: 'Retry later; a crashed publisher’s claim lapses after its lease (publishClaim.leaseMs).',
        },
      );
    }
    try {
      await sleep(Math.min(options.waitMs - waited, 20 * 2 ** Math.min(polls, 5)), spec.signal);
    } catch {
      throwIfAborted(spec);
    }
  }
}

function throwIfAborted(spec: PublishSpec): void {
  if (spec.signal?.aborted === true)
    throw new HubspokeError('E_ABORTED', `Publishing "${spec.name}" was cancelled`, { details: { key: spec.key } });
}

/** Renews a held claim every third of its lease until stopped, so a live publisher keeps it however long it takes. */
class Heartbeat {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private beating: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly ctx: PublishContext,
    private readonly key: PublishKey,
    private readonly token: string,
    private readonly leaseMs: number,
  ) {
    this.schedule();
  }

  /** Stops renewing; resolves once no renewal is in flight (one landing after a release would revive the claim). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.beating;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.beating = this.beat();
    }, this.leaseMs / 3);
    this.timer.unref();
  }

  private async beat(): Promise<void> {
    try {
      if (await this.ctx.store.renewClaim(this.key, this.token, this.leaseMs)) {
        this.schedule();
        return;
      }
      if (!this.stopped)
        this.ctx.http.log(
          'warn',
          'publish.claim-lost',
          'the create claim lapsed and another publisher took it over; a duplicate asset is possible',
          { key: this.key },
        );
    } catch (error) {
      this.ctx.http.log('warn', 'publish.renew-failed', 'could not renew the create claim; retrying', {
        key: this.key,
        error: errorMessage(error),
      });
      this.schedule();
    }
  }
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));
