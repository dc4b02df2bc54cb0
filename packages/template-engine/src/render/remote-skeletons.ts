import { HubspokeError } from '@hubspoke/core';
import type { HoleRef } from './emit.js';
import type { Skeleton, SkeletonRequest, SkeletonSource, Split } from './skeleton.js';
import type { Structure } from './structure.js';

/** Asks whoever can run mjml (a hub server) for the skeleton of a draft's structure. */
export type FetchSkeleton = (request: SkeletonRequest & { key: string }) => Promise<Skeleton>;

export interface RemoteSkeletonsOptions {
  /** Skeletons kept, least recently used dropped first (default 32). */
  limit?: number;
}

const PROPERTIES = new Set(['text', 'src', 'alt', 'href', 'color']);

function isHole(ref: unknown, instances: number): ref is HoleRef {
  if (typeof ref !== 'object' || ref === null) return false;
  const r = ref as Record<string, unknown>;
  if (r.kind === 'field') return r.field === 'subject' || r.field === 'preheader';
  const placed = Number.isInteger(r.index) && (r.index as number) >= 0 && (r.index as number) < instances;
  if (!placed || typeof r.slotId !== 'string') return false;
  if (r.kind === 'slot') return typeof r.property === 'string' && PROPERTIES.has(r.property);
  return r.kind === 'token' && typeof r.part === 'object' && r.part !== null && 'token' in r.part;
}

function checkSplit(split: unknown, instances: number, where: string): Split {
  const s = split as Partial<Split> | undefined;
  const ok =
    Array.isArray(s?.chunks) &&
    Array.isArray(s.holes) &&
    Array.isArray(s.chunkBytes) &&
    s.chunks.length === s.holes.length + 1 &&
    s.chunkBytes.length === s.chunks.length &&
    s.chunks.every((c) => typeof c === 'string') &&
    s.chunkBytes.every((b) => Number.isInteger(b) && b >= 0) &&
    s.holes.every((h) => isHole(h, instances));
  if (!ok)
    throw new HubspokeError('E_UPSTREAM', `${where}: the skeleton source returned a malformed skeleton`, {
      path: where,
    });
  return s as Split;
}

/**
 * A skeleton source for places without mjml (a browser): each new structure is fetched once
 * (the request carries the draft, so the server derives the same structure) and kept by its
 * key; text edits never fetch. Concurrent requests for one structure share one fetch.
 */
export function remoteSkeletons(fetchSkeleton: FetchSkeleton, options: RemoteSkeletonsOptions = {}): SkeletonSource {
  const limit = options.limit ?? 32;
  const entries = new Map<string, Promise<Skeleton>>();
  return {
    get(structure: Structure, request: SkeletonRequest): Promise<Skeleton> {
      const key = structure.key;
      const hit = entries.get(key);
      if (hit) {
        entries.delete(key);
        entries.set(key, hit);
        return hit;
      }
      const instances = structure.instances.length;
      const pending = fetchSkeleton({ ...request, key }).then((skeleton) => ({
        key,
        html: checkSplit(skeleton.html, instances, 'skeleton.html'),
        text: checkSplit(skeleton.text, instances, 'skeleton.text'),
        compileMs: typeof skeleton.compileMs === 'number' ? skeleton.compileMs : 0,
      }));
      entries.set(key, pending);
      pending.catch(() => entries.delete(key));
      while (entries.size > limit) {
        const oldest = entries.keys().next();
        if (oldest.done === true) break;
        entries.delete(oldest.value);
      }
      return pending;
    },
  };
}
