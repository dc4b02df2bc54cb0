import {
  toHubspokeError,
  type CallOptions,
  type Connector,
  type ErrorCode,
  type PushEmailInput,
  type PushResult,
} from '@hubspoke/core';
import { KeyedSerializer } from '../http/throttle.js';

export type BulkItemResult =
  | { index: number; draftId: string; draftVersion: number; locale: string; ok: true; result: PushResult }
  | {
      index: number;
      draftId: string;
      draftVersion: number;
      locale: string;
      ok: false;
      error: { code: ErrorCode; message: string; details: Record<string, unknown> };
    };

export interface BulkReport {
  /** One entry per input, in input order. */
  items: BulkItemResult[];
  succeeded: number;
  failed: number;
}

export interface BulkOptions extends CallOptions {
  /** Pushes in flight at once (the connector's own throttle still applies). Default: the manifest's concurrency, else 4. */
  concurrency?: number;
}

/**
 * Pushes many emails and reports each one: its remote id, or the error code and message
 * that stopped it. Never throws for a single item; inputs with the same (draft, version,
 * locale) run one after another so they cannot race into two remote assets.
 */
export async function pushEmails(
  connector: Connector,
  inputs: readonly PushEmailInput[],
  options: BulkOptions = {},
): Promise<BulkReport> {
  const push = connector.pushEmail?.bind(connector);
  const concurrency = Math.max(1, options.concurrency ?? connector.manifest.limits.concurrency ?? 4);
  const serializer = new KeyedSerializer();
  const items: BulkItemResult[] = new Array<BulkItemResult>(inputs.length);
  let next = 0;
  let done = 0;
  options.onProgress?.(0, inputs.length);
  const callOptions: CallOptions = options.signal === undefined ? {} : { signal: options.signal };

  const worker = async () => {
    for (let index = next++; index < inputs.length; index = next++) {
      const input = inputs[index];
      if (input === undefined) continue;
      const id = { index, draftId: input.draftId, draftVersion: input.draftVersion, locale: input.locale };
      try {
        if (push === undefined)
          throw toHubspokeError(new Error(`${connector.manifest.name} cannot push emails`), 'E_UNSUPPORTED');
        const result = await serializer.run(`${input.draftId}\u0000${input.draftVersion}\u0000${input.locale}`, () =>
          push(input, callOptions),
        );
        items[index] = { ...id, ok: true, result };
      } catch (error) {
        const e = toHubspokeError(error);
        items[index] = { ...id, ok: false, error: { code: e.code, message: e.message, details: e.details } };
      }
      options.onProgress?.(++done, inputs.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, inputs.length) }, worker));
  const succeeded = items.filter((i) => i.ok).length;
  return { items, succeeded, failed: items.length - succeeded };
}
