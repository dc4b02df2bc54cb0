import { isHubspokeError } from '@hubspoke/core';
import { HttpError } from '../problem.js';

/** A strong ETag for a stored version. */
export const etagOf = (version: number): string => `"${String(version)}"`;

/** The version an `If-Match` names; 428 when missing, 412 when it names no version. */
export function expectedVersion(ifMatch: string | undefined): number {
  if (ifMatch === undefined) {
    throw new HttpError(
      428,
      'E_CONFLICT',
      'Send If-Match with the ETag you read, so a concurrent edit is not overwritten',
      {
        details: { required: 'If-Match' },
      },
    );
  }
  const match = /^"(\d{1,9})"$/.exec(ifMatch.trim());
  if (match === null) {
    throw new HttpError(
      412,
      'E_CONFLICT',
      `If-Match ${JSON.stringify(ifMatch.slice(0, 40))} names no version of this resource`,
      {
        details: { actual: ifMatch.slice(0, 40) },
      },
    );
  }
  return Number(match[1]);
}

/** A stale write (hub `E_CONFLICT`, reason `stale`) is 412 with the current ETag; anything else is rethrown. */
export function preconditionFailed(error: unknown): never {
  if (isHubspokeError(error, 'E_CONFLICT') && error.details.reason === 'stale') {
    const current = error.details.currentVersion;
    throw new HttpError(412, 'E_CONFLICT', error.message, {
      cause: error,
      details: { ...(typeof current === 'number' ? { actual: current, etag: etagOf(current) } : {}) },
      ...(typeof current === 'number' ? { headers: { etag: etagOf(current) } } : {}),
    });
  }
  throw error;
}

/** The next offset of a page, when there is one. */
export const nextOffset = (offset: number | undefined, count: number, more: boolean) =>
  more ? { nextOffset: (offset ?? 0) + count } : {};

/** The ETag response header in OpenAPI. */
export const ETAG_HEADER = { ETag: { schema: { type: 'string' as const }, description: 'The version, for If-Match' } };
