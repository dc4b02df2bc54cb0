import { isHubspokeError, type PushResult } from '@hubspoke/core';
import type { HttpClient } from './http-client.js';
import type { PublishKey, PublishStore } from './publish-store.js';

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
  /** Creates the remote asset and returns its id. */
  create(): Promise<RemoteAsset>;
  /** Brings an existing remote asset up to date. */
  update(id: string): Promise<RemoteAsset | undefined>;
  /** Finds a remote asset by its exact name; used after a create whose outcome is unknown. */
  find(name: string): Promise<RemoteAsset | undefined>;
}

export interface PublishContext {
  store: PublishStore;
  http: Pick<HttpClient, 'log'>;
  dryRun: boolean;
  now: () => number;
  /** Create attempts before giving up (each after a lookup found nothing). */
  maxCreateAttempts?: number;
}

/**
 * Remote name for one (source id, version, locale): the given name plus a suffix that makes
 * it unique per key, so locales and versions of one draft can share a folder and a lost
 * create response can be recovered by looking the name up.
 */
export function assetName(name: string, key: Pick<PublishKey, 'sourceId' | 'version' | 'locale'>, maxLength = 255): string {
  const suffix = ` [${key.sourceId} v${key.version}${key.locale === '' ? '' : ` ${key.locale}`}]`;
  const base = name.trim().slice(0, Math.max(1, maxLength - suffix.length));
  return base + suffix;
}

const isAmbiguous = (error: unknown) => isHubspokeError(error) && error.details.ambiguous === true;

/**
 * Publishes idempotently: updates the mapped remote asset when the key was published
 * before; otherwise creates one. When a create fails in a way that leaves its outcome
 * unknown (timeout, reset, 5xx) or the name is taken, it looks the name up and adopts the
 * asset it finds (bringing it up to date) instead of creating a duplicate.
 */
export async function publishOnce(ctx: PublishContext, spec: PublishSpec): Promise<PushResult> {
  const existing = await ctx.store.get(spec.key);
  if (existing !== undefined) {
    try {
      const updated = await spec.update(existing.remoteId);
      return await record(ctx, spec, updated?.id ?? existing.remoteId, updated?.url ?? existing.url, false);
    } catch (error) {
      if (!isHubspokeError(error, 'E_NOT_FOUND')) throw error;
      ctx.http.log('warn', 'publish.recreate', `remote asset ${existing.remoteId} is gone; creating it again`, { key: spec.key });
    }
  }
  const maxAttempts = ctx.maxCreateAttempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      const created = await spec.create();
      return await record(ctx, spec, created.id, created.url, true);
    } catch (error) {
      const conflict = isHubspokeError(error, 'E_CONFLICT');
      if (!(conflict || isAmbiguous(error)) || attempt >= maxAttempts) throw error;
      const found = await spec.find(spec.name);
      if (found !== undefined) {
        ctx.http.log('info', 'publish.adopted', `found "${spec.name}" as ${found.id} after an unclear create; updating it instead of creating another`, { key: spec.key });
        const updated = await spec.update(found.id);
        return await record(ctx, spec, found.id, updated?.url ?? found.url, !conflict);
      }
      if (conflict) throw error;
    }
  }
}

async function record(ctx: PublishContext, spec: PublishSpec, remoteId: string, url: string | undefined, created: boolean): Promise<PushResult> {
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
