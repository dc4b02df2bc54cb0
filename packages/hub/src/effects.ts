import { HubspokeError, type Connector, type WorkflowEffect } from '@hubspoke/core';
import {
  dispatchEffects as dispatch,
  type DispatchReport,
  type EffectOutbox,
  type OutboxEntry,
  type OutboxStatus,
} from '@hubspoke/approval-state';
import { applyWorkflowEffect } from '@hubspoke/map-connectors';
import { connectorOf } from './connectors.js';
import type { Hub } from './hub.js';

export const OUTBOX_STATUSES: readonly OutboxStatus[] = ['pending', 'dead', 'dispatched'];
const CAPABILITIES = ['notify', 'createTask', 'closeTask'] as const;
const VERB: Record<WorkflowEffect['type'], string> = {
  notify: 'send messages',
  createTask: 'create tasks',
  closeTask: 'close tasks',
};

/** Entries of the workflow's effect outbox with a status (review requests, reminders, tasks). */
export async function listEffects(
  hub: Hub,
  query: { status?: OutboxStatus; limit?: number; offset?: number } = {},
): Promise<OutboxEntry[]> {
  const { events } = await hub.state();
  return events.listEffects({
    status: query.status ?? 'pending',
    limit: query.limit ?? 100,
    offset: query.offset ?? 0,
  });
}

/** Puts a dead entry back in the queue. */
export async function requeueEffect(hub: Hub, id: string): Promise<void> {
  const { events } = await hub.state();
  await events.requeueEffect(id);
}

/** How many entries have this status (the store lists at most 1000 at a time). */
async function countEffects(store: EffectOutbox, status: OutboxStatus): Promise<number> {
  let total = 0;
  for (let offset = 0; ; offset += 1000) {
    const page = (await store.listEffects({ status, limit: 1000, offset })).length;
    total += page;
    if (page < 1000) return total;
  }
}

export interface DispatchEffectsOptions {
  /** Connectors of the hub's settings that send messages or manage tasks, e.g. `['slack', 'asana']`. */
  connectors: readonly string[];
  /** Keep delivering new entries until `signal` aborts. */
  watch?: boolean;
  /** Give an entry up (dead) after this many attempts (default 8). */
  maxAttempts?: number;
  /** Mark done what none of the connectors can perform (default: it stays queued for a run with one that can). */
  dropUnsupported?: boolean;
  signal?: AbortSignal;
}

export interface DispatchEffectsResult extends DispatchReport {
  /** Entries that ran out of attempts during this run. */
  gaveUp: number;
  /** Entries marked done because no connector could perform them (`dropUnsupported`). */
  dropped: number;
  /** One line per failed attempt. */
  failures: string[];
}

/**
 * Delivers the outbox's due entries with the named connectors, at least once (tasks are keyed,
 * so only a message can arrive twice), retrying with backoff. A connector that can neither send
 * messages nor manage tasks is `E_VALIDATION`.
 */
export async function dispatchEffects(hub: Hub, options: DispatchEffectsOptions): Promise<DispatchEffectsResult> {
  const names: unknown = options.connectors;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string'))
    throw new HubspokeError('E_VALIDATION', 'connectors: expected a list of connector names', {
      path: 'connectors',
    });
  const { events, publishStore } = await hub.state();
  const connectors: Connector[] = [];
  for (const name of options.connectors) {
    // Task ids live in the publish map, so a later run can close the task an earlier one made.
    const connector = await connectorOf(hub, name, { store: publishStore });
    if (!CAPABILITIES.some((c) => connector.manifest.capabilities.includes(c)))
      throw new HubspokeError(
        'E_VALIDATION',
        `connectors: ${name} (${connector.manifest.name}) cannot send messages or manage tasks; use e.g. slack, teams, asana or monday`,
        { path: 'connectors' },
      );
    connectors.push(connector);
  }
  const failures: string[] = [];
  let dropped = 0;
  const deadBefore = await countEffects(events, 'dead');
  const report = await dispatch(
    events,
    async (effect, { entry, signal }) => {
      let performed = false;
      for (const connector of connectors) {
        const outcome = await applyWorkflowEffect(connector, effect, { signal });
        // A failure throws, so the entry is tried again later with every connector.
        if (outcome.status === 'failed') {
          failures.push(`${entry.id} via ${connector.manifest.id}: ${outcome.error.code} ${outcome.error.message}`);
          throw new HubspokeError(outcome.error.code, `${connector.manifest.id}: ${outcome.error.message}`);
        }
        performed ||= outcome.status === 'done';
      }
      if (performed) return;
      if (options.dropUnsupported === true) {
        dropped++;
        return;
      }
      failures.push(`${entry.id}: no connector given can ${VERB[effect.type]} (add one that can, or drop unsupported)`);
      throw new HubspokeError('E_UNSUPPORTED', `no connector given can ${VERB[effect.type]}`);
    },
    {
      watch: options.watch === true,
      maxAttempts: options.maxAttempts ?? 8,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    },
  );
  // Entries out of attempts go to the dead letters as they are claimed, so count the difference.
  const gaveUp = (await countEffects(events, 'dead')) - deadBefore;
  return { ...report, gaveUp, dropped, failures };
}
