import { randomUUID } from 'node:crypto';
import {
  HubspokeError,
  PrincipalSchema,
  can,
  canonicalJson,
  isHubspokeError,
  parse,
  resolveOperatingModel,
  type ApprovalEvent,
  type OperatingModel,
  type Principal,
  type PrincipalInput,
  type WorkflowEffect,
} from '@hubspoke/core';
import { sha256, verifyAudit, type AuditReport } from './audit.js';
import type { CommandInput } from './commands.js';
import { decide } from './decide.js';
import { due, type DueItem } from './due.js';
import { eventEffectsOf } from './effects.js';
import { STATE_FORMAT, fold, initialState, type SubmissionState } from './state.js';
import {
  parseListQuery,
  summarize,
  type EventStore,
  type ListQuery,
  type SubmissionSummary,
} from './store/event-store.js';
import { prepareWorkflow, type PreparedWorkflow } from './workflow.js';

type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Input<T extends CommandInput['type']> = Without<Extract<CommandInput, { type: T }>, 'type'>;

export interface ApprovalsOptions {
  store: EventStore;
  /** Every workflow version in use: new submissions start on the newest, running ones keep theirs. */
  workflows: readonly unknown[];
  /** An operating model or a preset name. */
  operatingModel: OperatingModel | string;
  /** The people reviewer roles and groups resolve to (a list, or a function for a live directory). */
  directory?: readonly PrincipalInput[] | (() => readonly PrincipalInput[] | Promise<readonly PrincipalInput[]>);
  clock?: () => Date;
  ids?: () => string;
  /** How often a command is decided again after losing a race for the same submission (default 100). */
  maxRetries?: number;
  /** Save a snapshot after this many new events (default 50; 0 turns snapshots off). */
  snapshotEvery?: number;
  /** Who records scheduled work in `due()` (default `system:scheduler`, no roles). */
  scheduler?: PrincipalInput;
}

export interface CommandResult {
  submissionId: string;
  /** The events this command appended (or appended the first time, for a replayed idempotency key). */
  events: ApprovalEvent[];
  state: SubmissionState;
  /**
   * Notifications and tasks for connectors to perform. They are also in the store's outbox,
   * written with the events: drain it with `dispatchEffects` rather than acting on these, so a
   * crash after the append loses nothing.
   */
  effects: WorkflowEffect[];
  /** How often the command was decided again after a concurrent change. */
  retries: number;
  /** True when an idempotency key matched an earlier command and nothing new was appended. */
  replayed: boolean;
}

export interface DueRun {
  items: { submissionId: string; items: DueItem[] }[];
  effects: WorkflowEffect[];
}

export type SubmitInput = Input<'submit'> & { submissionId?: string; workflowId?: string; workflowVersion?: number };

export interface Approvals {
  submit(principal: PrincipalInput, input: SubmitInput): Promise<CommandResult>;
  resubmit(principal: PrincipalInput, submissionId: string, input: Input<'resubmit'>): Promise<CommandResult>;
  decide(principal: PrincipalInput, submissionId: string, input: Input<'decide'>): Promise<CommandResult>;
  revoke(principal: PrincipalInput, submissionId: string, input?: Input<'revoke'>): Promise<CommandResult>;
  comment(principal: PrincipalInput, submissionId: string, input: Input<'comment'>): Promise<CommandResult>;
  resolve(principal: PrincipalInput, submissionId: string, commentId: string): Promise<CommandResult>;
  reopen(principal: PrincipalInput, submissionId: string, commentId: string): Promise<CommandResult>;
  attachDiagnostics(
    principal: PrincipalInput,
    submissionId: string,
    diagnostics: Input<'attachDiagnostics'>['diagnostics'],
  ): Promise<CommandResult>;
  override(principal: PrincipalInput, submissionId: string, reason: string): Promise<CommandResult>;
  forceApprove(principal: PrincipalInput, submissionId: string, reason: string): Promise<CommandResult>;
  withdraw(principal: PrincipalInput, submissionId: string, reason?: string): Promise<CommandResult>;
  /** Runs any command (what the named methods do). */
  execute(principal: PrincipalInput, submissionId: string | undefined, command: CommandInput): Promise<CommandResult>;
  /** The current state; needs `submission.view`. */
  status(principal: PrincipalInput, submissionId: string): Promise<SubmissionState>;
  /** The stored events; needs `submission.view`. */
  history(principal: PrincipalInput, submissionId: string): Promise<ApprovalEvent[]>;
  /** Checks the stored hash chain. */
  verify(principal: PrincipalInput, submissionId: string): Promise<AuditReport>;
  /** Submissions the principal may view, newest first. */
  list(principal: PrincipalInput, query?: ListQuery): Promise<SubmissionSummary[]>;
  /** Records reminders, escalations and timed stage starts that are due, and returns their effects. */
  due(now?: Date): Promise<DueRun>;
}

interface Loaded {
  state: SubmissionState;
  /** The seq of the snapshot the state was built from (0 if none). */
  snapshotSeq: number;
}

/**
 * A small service over the pure engine and an {@link EventStore}: loads a submission, decides,
 * appends with the expected version, retries after a lost race, honours idempotency keys and
 * keeps snapshots. What a CLI or HTTP handler calls.
 */
export function createApprovals(options: ApprovalsOptions): Approvals {
  const { store } = options;
  const clock = options.clock ?? (() => new Date());
  const ids = options.ids ?? randomUUID;
  const maxRetries = options.maxRetries ?? 100;
  const snapshotEvery = options.snapshotEvery ?? 50;
  const model = resolveOperatingModel(options.operatingModel);
  const scheduler = options.scheduler ?? { id: 'system:scheduler', roles: [] };
  const registry = new Map<string, PreparedWorkflow>();
  options.workflows.forEach((w, i) => {
    let prepared: PreparedWorkflow;
    try {
      prepared = prepareWorkflow(w);
    } catch (error) {
      if (isHubspokeError(error) && error.path !== undefined) {
        throw new HubspokeError(error.code, error.message.replace(/\bworkflow\b/, `workflows[${i}]`), {
          path: error.path.replace(/^workflow/, `workflows[${i}]`),
          details: error.details,
          cause: error,
        });
      }
      throw error;
    }
    const key = `${prepared.def.id}@${prepared.def.version}`;
    const existing = registry.get(key);
    if (existing !== undefined && existing.hash !== prepared.hash) {
      throw new HubspokeError(
        'E_VALIDATION',
        `Invalid workflows[${i}]: two different definitions claim to be ${key}; give the changed one a new version`,
        { path: `workflows[${i}].version` },
      );
    }
    registry.set(key, prepared);
  });

  const directory = async (): Promise<readonly PrincipalInput[]> =>
    typeof options.directory === 'function' ? options.directory() : (options.directory ?? []);

  function workflowFor(
    state: SubmissionState,
    command: CommandInput,
    input: { workflowId?: string | undefined; workflowVersion?: number | undefined },
  ): PreparedWorkflow {
    if (command.type !== 'submit') {
      const pinned = registry.get(`${state.workflow.id}@${state.workflow.version}`);
      if (pinned === undefined)
        throw new HubspokeError(
          'E_NOT_FOUND',
          `Submission ${state.streamId} runs workflow ${state.workflow.id}@${state.workflow.version}, which is not registered`,
          { hint: 'Keep every workflow version that running submissions pin in `workflows`.' },
        );
      return pinned;
    }
    const candidates = [...registry.values()].filter(
      (w) =>
        (input.workflowId === undefined || w.def.id === input.workflowId) &&
        (input.workflowVersion === undefined || w.def.version === input.workflowVersion),
    );
    const workflowIds = new Set(candidates.map((w) => w.def.id));
    if (workflowIds.size > 1)
      throw new HubspokeError(
        'E_VALIDATION',
        `Invalid submission: workflowId: several workflows are registered (${[...workflowIds].join(', ')}); say which`,
        { path: 'workflowId' },
      );
    const newest = candidates.sort((a, b) => b.def.version - a.def.version)[0];
    if (newest === undefined) {
      const wanted = `${input.workflowId ?? 'any workflow'}${input.workflowVersion === undefined ? '' : `@${input.workflowVersion}`}`;
      throw new HubspokeError('E_NOT_FOUND', `No registered workflow matches ${wanted}`, { path: 'workflowId' });
    }
    return newest;
  }

  async function load(streamId: string): Promise<Loaded> {
    const snapshot = snapshotEvery > 0 ? await store.loadSnapshot(streamId) : undefined;
    if (snapshot?.format === STATE_FORMAT) {
      const tail = await store.read(streamId, snapshot.seq);
      if (tail.length === 0 || tail[0]?.prevHash === snapshot.state.head)
        return { state: fold(tail, snapshot.state), snapshotSeq: snapshot.seq };
    }
    return { state: fold(await store.read(streamId), initialState(streamId)), snapshotSeq: 0 };
  }

  async function replay(key: string, requestHash: string): Promise<CommandResult | undefined> {
    const record = await store.findIdempotency(key);
    if (record === undefined) return undefined;
    if (record.requestHash !== requestHash) {
      throw new HubspokeError('E_CONFLICT', `Idempotency key ${JSON.stringify(key)} was used for a different request`, {
        details: { reason: 'idempotency', key },
        hint: 'Use a new key for a new request.',
      });
    }
    const all = await store.read(record.streamId);
    const before = fold(all.slice(0, record.firstSeq - 1), initialState(record.streamId));
    const events = all.slice(record.firstSeq - 1, record.lastSeq);
    // The effects were enqueued in the outbox with the first append; they are only reported here.
    const effects = eventEffectsOf(before, events).map((e) => e.effect);
    return {
      submissionId: record.streamId,
      events,
      state: fold(all.slice(record.firstSeq - 1), before),
      effects,
      retries: 0,
      replayed: true,
    };
  }

  async function execute(
    principalInput: PrincipalInput,
    submissionId: string | undefined,
    command: CommandInput,
    selection: { workflowId?: string | undefined; workflowVersion?: number | undefined } = {},
    now?: Date,
  ): Promise<CommandResult> {
    const principal: Principal = parse(PrincipalSchema, principalInput, 'principal');
    const key = typeof command.idempotencyKey === 'string' ? command.idempotencyKey : undefined;
    const requestHash =
      key === undefined
        ? ''
        : sha256(canonicalJson({ submissionId: submissionId ?? null, command, selection, principal: principal.id }));
    if (key !== undefined) {
      const earlier = await replay(key, requestHash);
      if (earlier !== undefined) return earlier;
    }
    const streamId = submissionId ?? ids();
    const people = await directory();
    for (let retries = 0; ; retries++) {
      const { state, snapshotSeq } = await load(streamId);
      if (command.type !== 'submit' && state.status === 'new')
        throw new HubspokeError('E_NOT_FOUND', `Submission ${streamId} does not exist`, {
          details: { submissionId: streamId },
        });
      const workflow = workflowFor(state, command, selection);
      const result = decide(state, command, {
        workflow: workflow.def,
        operatingModel: model,
        principal,
        now: now ?? clock(),
        newId: ids,
        directory: people,
      });
      if (!result.ok) throw result.error;
      if (result.events.length === 0)
        return { submissionId: streamId, events: [], state, effects: [], retries, replayed: false };
      try {
        await store.append({
          streamId,
          expectedVersion: state.seq,
          events: result.events,
          summary: summarize(result.state),
          effects: result.eventEffects,
          ...(key === undefined ? {} : { idempotency: { key, requestHash } }),
        });
      } catch (error) {
        const reason = isHubspokeError(error, 'E_CONFLICT') ? error.details.reason : undefined;
        if (reason === 'idempotency' && key !== undefined) {
          const earlier = await replay(key, requestHash);
          if (earlier !== undefined) return earlier;
        }
        if (reason === 'version' && retries < maxRetries) continue;
        throw error;
      }
      if (snapshotEvery > 0 && result.state.seq - snapshotSeq >= snapshotEvery) {
        // A snapshot is only a cache: failing to write one must not fail a command that is already stored.
        await store
          .saveSnapshot({ streamId, seq: result.state.seq, format: STATE_FORMAT, state: result.state })
          .catch(() => undefined);
      }
      return {
        submissionId: streamId,
        events: result.events,
        state: result.state,
        effects: result.effects,
        retries,
        replayed: false,
      };
    }
  }

  async function viewable(principalInput: PrincipalInput, submissionId: string): Promise<SubmissionState> {
    const principal = parse(PrincipalSchema, principalInput, 'principal');
    const { state } = await load(submissionId);
    if (state.status === 'new')
      throw new HubspokeError('E_NOT_FOUND', `Submission ${submissionId} does not exist`, {
        details: { submissionId },
      });
    const decision = can(model, principal, 'submission.view', {
      region: state.region,
      team: state.team,
      ownerId: state.author,
    });
    if (!decision.allowed && principal.id !== state.author && principal.id !== state.submitter)
      throw new HubspokeError('E_FORBIDDEN', decision.reason, {
        details: { principal: principal.id, action: 'submission.view' },
      });
    return state;
  }

  return {
    submit: (principal, input) => {
      const { submissionId, workflowId, workflowVersion, ...rest } = input;
      return execute(principal, submissionId, { type: 'submit', ...rest }, { workflowId, workflowVersion });
    },
    resubmit: (principal, id, input) => execute(principal, id, { type: 'resubmit', ...input }),
    decide: (principal, id, input) => execute(principal, id, { type: 'decide', ...input }),
    revoke: (principal, id, input = {}) => execute(principal, id, { type: 'revoke', ...input }),
    comment: (principal, id, input) => execute(principal, id, { type: 'comment', ...input }),
    resolve: (principal, id, commentId) => execute(principal, id, { type: 'resolveComment', commentId }),
    reopen: (principal, id, commentId) => execute(principal, id, { type: 'reopenComment', commentId }),
    attachDiagnostics: (principal, id, diagnostics) =>
      execute(principal, id, { type: 'attachDiagnostics', diagnostics: [...diagnostics] }),
    override: (principal, id, reason) => execute(principal, id, { type: 'override', reason }),
    forceApprove: (principal, id, reason) => execute(principal, id, { type: 'forceApprove', reason }),
    withdraw: (principal, id, reason) =>
      execute(principal, id, reason === undefined ? { type: 'withdraw' } : { type: 'withdraw', reason }),
    execute: (principal, id, command) => execute(principal, id, command),
    status: viewable,
    history: async (principal, id) => {
      await viewable(principal, id);
      return store.read(id);
    },
    verify: async (principal, id) => {
      await viewable(principal, id);
      return verifyAudit(await store.read(id));
    },
    list: async (principalInput, query) => {
      const principal = parse(PrincipalSchema, principalInput, 'principal');
      const { limit, offset, ...filters } = parseListQuery(query);
      const visible = (s: SubmissionSummary) =>
        principal.id === s.author ||
        principal.id === s.submitter ||
        can(model, principal, 'submission.view', { region: s.region, ownerId: s.author }).allowed;
      // Visibility is judged per row, so page through the store until `limit` visible rows are found.
      const found: SubmissionSummary[] = [];
      let skip = offset;
      const page = Math.max(limit, 100);
      for (let at = 0; found.length < limit; at += page) {
        const rows = await store.list({ ...filters, limit: page, offset: at });
        for (const row of rows) {
          if (!visible(row)) continue;
          if (skip > 0) skip -= 1;
          else if (found.length < limit) found.push(row);
        }
        if (rows.length < page) break;
      }
      return found;
    },
    due: async (now = clock()) => {
      const run: DueRun = { items: [], effects: [] };
      for (let offset = 0; ; offset += 500) {
        const page = await store.list({ status: 'inReview', limit: 500, offset });
        for (const summary of page) {
          const { state } = await load(summary.submissionId);
          const items = due(state, now);
          if (items.length === 0) continue;
          const result = await execute(scheduler, summary.submissionId, { type: 'tick' }, {}, now);
          run.items.push({ submissionId: summary.submissionId, items });
          run.effects.push(...result.effects);
        }
        if (page.length < 500) return run;
      }
    },
  };
}
