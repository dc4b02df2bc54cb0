import { randomUUID } from 'node:crypto';
import {
  HubspokeError,
  PrincipalSchema,
  can,
  canonicalJson,
  checkPrincipal,
  checkArgs,
  describeValue,
  isHubspokeError,
  parse,
  resolveOperatingModel,
  type ApprovalEvent,
  type OperatingModel,
  type Principal,
  type PrincipalInput,
  type WorkflowEffect,
} from '@hubspoke/core';
import { CheckpointKeys, type Checkpoint, type CheckpointStore } from './audit/checkpoints.js';
import { sha256, verifyAudit, type AuditReport } from './audit/hash-chain.js';
import { AuditKeyring, type AuditKeysInput, type Ed25519KeyInput } from './audit/keys.js';
import {
  checkCheckpoints,
  checkMacs,
  sealEvents,
  snapshotMac,
  snapshotVerifies,
  type AuditTrail,
  type TrailProblem,
  TrailVerifier,
} from './audit/trail.js';

/** How many stored events `verify` reads at a time. */
const AUDIT_PAGE = 5000;
import { CommandSchema, type CommandInput } from './commands.js';
import { decide } from './decide.js';
import { due, type DueItem } from './due.js';
import { eventEffectsOf } from './effects.js';
import { STATE_FORMAT, fold, initialState, type SubmissionState } from './state.js';
import {
  parseListQuery,
  parseStored,
  summarize,
  tampered,
  type EventStore,
  type ListQuery,
  type Snapshot,
  type StoredEvent,
  type SubmissionSummary,
} from './store/event-store.js';
import { prepareWorkflow, type PreparedWorkflow } from './workflow.js';

type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Input<T extends CommandInput['type']> = Without<Extract<CommandInput, { type: T }>, 'type'>;

/**
 * The keyed, anchored audit trail. Keys come from the hub's secret store or environment and never
 * from the database: with them, an edit to the stored history (even with every hash recomputed)
 * is named at the event it changed, and with checkpoints a cut from the end is too.
 */
export interface AuditOptions {
  /** HMAC-SHA-256 keys, oldest first; the last seals new events (`id:base64,…` or a list). */
  keys: AuditKeysInput;
  /** Where signed checkpoints are published: a place the database's users cannot rewrite. */
  checkpoints?: CheckpointStore;
  /** The Ed25519 private key that signs checkpoints (PEM or KeyObject); without it checkpoints are only read. */
  signingKey?: Ed25519KeyInput;
  /** More Ed25519 public keys whose checkpoints count (earlier signing keys). */
  publicKeys?: readonly Ed25519KeyInput[];
  /** Told when a checkpoint could not be published; the command itself is stored and succeeds. */
  onCheckpointError?: (error: unknown) => void;
}

export interface ApprovalsOptions {
  store: EventStore;
  /** MAC keys and checkpoints for the audit trail (strongly recommended; without them the trail is only hash-chained). */
  audit?: AuditOptions;
  /** Every workflow version in use: new submissions start on the newest, running ones keep theirs. */
  workflows: readonly unknown[];
  /** An operating model or a preset name. */
  operatingModel: OperatingModel | string;
  /**
   * The people reviewer roles and groups resolve to (a list, or a function for a live directory).
   * When given, every principal handed to a method must be its entry (same id, roles, regions,
   * teams and groups) or vouched for by one of `trustedIssuers`: otherwise `E_FORBIDDEN` with
   * details.reason `unknown-principal` or `principal-mismatch`, before anything is read or written.
   */
  directory?: readonly PrincipalInput[] | (() => readonly PrincipalInput[] | Promise<readonly PrincipalInput[]>);
  /** OpenID issuers whose principals (`principal.issuer`) were authenticated by the caller and need not be in `directory`. */
  trustedIssuers?: readonly string[];
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
  /** The checkpoint published for the new head, when checkpoints are signed. */
  checkpoint?: Checkpoint;
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
  /** Checks the stored history (MACs, checkpoints and snapshot with audit keys; the hash chain without). Names the first bad event. */
  verify(principal: PrincipalInput, submissionId: string): Promise<AuditReport>;
  /** The stored history as written, with its checkpoints, for `verifyTrail` elsewhere; needs `submission.view`. */
  exportAudit(principal: PrincipalInput, submissionId: string): Promise<AuditTrail>;
  /** Submissions the principal may view, newest first. */
  list(principal: PrincipalInput, query?: ListQuery): Promise<SubmissionSummary[]>;
  /** Records reminders, escalations and timed stage starts that are due, and returns their effects. */
  due(now?: Date): Promise<DueRun>;
}

interface Loaded {
  state: SubmissionState;
  /** The seq of the snapshot the state was built from (0 if none). */
  snapshotSeq: number;
  /** The MAC of the last event ('' for none or without audit keys). */
  mac: string;
}

interface PreparedAudit {
  keys: AuditKeyring;
  checkpoints: { store: CheckpointStore; keys: CheckpointKeys } | undefined;
  onCheckpointError: (error: unknown) => void;
}

function prepareAudit(input: unknown): PreparedAudit | undefined {
  if (input === undefined) return undefined;
  if (input === null || typeof input !== 'object')
    throw new HubspokeError(
      'E_VALIDATION',
      'Invalid audit: expected { keys, checkpoints?, signingKey?, publicKeys? }',
      {
        path: 'audit',
      },
    );
  const options = input as AuditOptions;
  const store = options.checkpoints as Partial<CheckpointStore> | null | undefined;
  if (
    store !== undefined &&
    (store === null ||
      typeof store.publish !== 'function' ||
      typeof store.latest !== 'function' ||
      typeof store.list !== 'function')
  )
    throw new HubspokeError(
      'E_VALIDATION',
      'Invalid audit.checkpoints: expected a CheckpointStore (publish, latest, list)',
      {
        path: 'audit.checkpoints',
      },
    );
  return {
    keys: AuditKeyring.from(options.keys),
    checkpoints:
      store === undefined
        ? undefined
        : {
            store: store as CheckpointStore,
            keys: new CheckpointKeys({ signingKey: options.signingKey, publicKeys: options.publicKeys }),
          },
    onCheckpointError: typeof options.onCheckpointError === 'function' ? options.onCheckpointError : () => undefined,
  };
}

function tamperedBy(streamId: string, problem: TrailProblem): HubspokeError {
  return tampered(streamId, problem.seq, problem.problem, problem.message, undefined, problem.eventId);
}

/** The hash of a stored event, if its text parses. */
function storedHash(record: StoredEvent | undefined): string | undefined {
  if (record === undefined) return undefined;
  try {
    const hash: unknown = (JSON.parse(record.body) as { hash?: unknown } | null)?.hash;
    return typeof hash === 'string' ? hash : undefined;
  } catch {
    return undefined;
  }
}

/** Region, team and author from the first stored event, read leniently (for deciding who may see a report on a damaged history). */
function partiesOf(record: StoredEvent | undefined): { region?: string; team?: string; ownerId?: string } {
  try {
    const data = (JSON.parse(record?.body ?? '') as { data?: Record<string, unknown> } | null)?.data ?? {};
    const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const parties: { region?: string; team?: string; ownerId?: string } = {};
    const region = text(data.region);
    const team = text(data.team);
    const owner = text(data.author);
    if (region !== undefined) parties.region = region;
    if (team !== undefined) parties.team = team;
    if (owner !== undefined) parties.ownerId = owner;
    return parties;
  } catch {
    return {};
  }
}

/**
 * A command's input as given: an object, checked in O(1) before it is spread (spreading a 10 MB
 * string would copy every character into a key).
 */
function objectInput<T>(input: T, label: string): T & object {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new HubspokeError('E_VALIDATION', `Invalid ${label}: expected an object, got ${describeValue(input)}`, {
      path: label,
    });
  return input;
}

/**
 * A small service over the pure engine and an {@link EventStore}: loads a submission, decides,
 * appends with the expected version, retries after a lost race, honours idempotency keys and
 * keeps snapshots. What a CLI or HTTP handler calls.
 */
export function createApprovals(options: ApprovalsOptions): Approvals {
  checkArgs('createApprovals', ['options:object'], [options]);
  const given: { workflows?: unknown; store?: unknown } = options;
  if (!Array.isArray(given.workflows))
    throw new HubspokeError('E_VALIDATION', 'Invalid options.workflows: expected a list of workflow definitions', {
      path: 'options.workflows',
    });
  if (typeof given.store !== 'object' || given.store === null)
    throw new HubspokeError('E_VALIDATION', 'Invalid options.store: expected an EventStore', { path: 'options.store' });
  const { store } = options;
  const clock = options.clock ?? (() => new Date());
  const ids = options.ids ?? randomUUID;
  const maxRetries = options.maxRetries ?? 100;
  const snapshotEvery = options.snapshotEvery ?? 50;
  const model = resolveOperatingModel(options.operatingModel);
  const scheduler = options.scheduler ?? { id: 'system:scheduler', roles: [] };
  const audit = prepareAudit(options.audit);
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
  if (
    options.trustedIssuers !== undefined &&
    (!Array.isArray(options.trustedIssuers) || !options.trustedIssuers.every((i) => typeof i === 'string'))
  )
    throw new HubspokeError('E_VALIDATION', 'Invalid options.trustedIssuers: expected a list of issuer URLs', {
      path: 'options.trustedIssuers',
    });
  const trustedIssuers = [...(options.trustedIssuers ?? [])];

  /**
   * The principal, validated and, when there is a directory, checked against it: a principal the
   * directory does not know, or knows with other roles, regions, teams or groups, is refused.
   */
  async function checked(principalInput: PrincipalInput): Promise<Principal> {
    const principal = parse(PrincipalSchema, principalInput, 'principal');
    if (options.directory === undefined) return principal;
    return checkPrincipal(principal, { directory: await directory(), trustedIssuers });
  }

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
    if (audit !== undefined) return loadSealed(streamId, audit);
    const snapshot = snapshotEvery > 0 ? await store.loadSnapshot(streamId) : undefined;
    if (snapshot?.format === STATE_FORMAT) {
      const tail = await store.read(streamId, snapshot.seq);
      if (tail.length === 0 || tail[0]?.prevHash === snapshot.state.head)
        return { state: fold(tail, snapshot.state), snapshotSeq: snapshot.seq, mac: '' };
    }
    return { state: fold(await store.read(streamId), initialState(streamId)), snapshotSeq: 0, mac: '' };
  }

  /** The latest checkpoint of a stream, if checkpoints are configured (its signature is checked by the caller). */
  async function latestCheckpoint(streamId: string): Promise<Checkpoint | undefined> {
    return audit?.checkpoints === undefined ? undefined : audit.checkpoints.store.latest(streamId);
  }

  /**
   * Loads a submission from a history checked as it is read: every event read has a valid MAC, the
   * history reaches the latest checkpoint and matches it, and a snapshot is used only if its MAC
   * ties it to the event it folds to (else it is ignored and the state refolded). Reads from just
   * before the snapshot or checkpoint, so a command costs as before plus one HMAC per event read.
   */
  async function loadSealed(streamId: string, a: PreparedAudit): Promise<Loaded> {
    const [stored, checkpoint] = await Promise.all([
      snapshotEvery > 0 ? store.loadSnapshot(streamId) : undefined,
      latestCheckpoint(streamId),
    ]);
    const snapshot =
      stored?.format === STATE_FORMAT && stored.seq >= 1 && typeof stored.mac === 'string' ? stored : undefined;
    // Without a snapshot every event is folded, so read them all; with one, from just before it (or the checkpoint).
    const need = snapshot === undefined ? 0 : Math.min(snapshot.seq, checkpoint?.seq ?? Infinity);
    let base = need >= 2 ? need - 1 : 0;
    let records = await store.readStored(streamId, Math.max(base - 1, 0));
    let anchor: { seq: number; mac: string } | undefined;
    if (base > 0) {
      const first = records[0];
      if (first?.seq === base && typeof first.mac === 'string') {
        anchor = { seq: first.seq, mac: first.mac };
        records = records.slice(1);
      } else {
        // The event before the window is gone or unsealed: check from the start, which names it.
        base = 0;
        records = await store.readStored(streamId);
      }
    }
    const problem = checkMacs(a.keys, streamId, records, anchor);
    if (problem !== undefined) throw tamperedBy(streamId, problem);
    const count = records[records.length - 1]?.seq ?? base;
    const at = (seq: number) => records[seq - base - 1];
    if (checkpoint !== undefined && a.checkpoints !== undefined) {
      const anchored = checkCheckpoints(a.checkpoints.keys, streamId, [checkpoint], at, count);
      const bad = anchored.problem ?? anchored.invalid;
      if (bad !== undefined) throw tamperedBy(streamId, bad);
    }
    const mac = records[records.length - 1]?.mac ?? anchor?.mac ?? '';
    if (snapshot !== undefined) {
      const event = at(snapshot.seq);
      if (
        event?.mac !== undefined &&
        snapshot.state.seq === snapshot.seq &&
        snapshot.state.streamId === streamId &&
        storedHash(event) === snapshot.state.head &&
        snapshotVerifies(a.keys, snapshot, event.mac)
      ) {
        const tail = records.filter((r) => r.seq > snapshot.seq).map((r) => parseStored(streamId, r));
        return { state: fold(tail, snapshot.state), snapshotSeq: snapshot.seq, mac };
      }
    }
    if (base > 0) {
      // The snapshot did not verify: refold from the start, checking the part not read yet.
      const head = await store.readStored(streamId, 0);
      const again = checkMacs(a.keys, streamId, head);
      if (again !== undefined) throw tamperedBy(streamId, again);
      records = head;
    }
    return {
      state: fold(
        records.map((r) => parseStored(streamId, r)),
        initialState(streamId),
      ),
      snapshotSeq: 0,
      mac: records[records.length - 1]?.mac ?? '',
    };
  }

  /** Every event of a stream, checked like `load` checks what it reads. */
  async function readChecked(streamId: string): Promise<ApprovalEvent[]> {
    if (audit === undefined) return store.read(streamId);
    const records = await store.readStored(streamId);
    const problem = checkMacs(audit.keys, streamId, records);
    if (problem !== undefined) throw tamperedBy(streamId, problem);
    const checkpoint = await latestCheckpoint(streamId);
    if (checkpoint !== undefined && audit.checkpoints !== undefined) {
      const anchored = checkCheckpoints(
        audit.checkpoints.keys,
        streamId,
        [checkpoint],
        (seq) => records[seq - 1],
        records.length,
      );
      const bad = anchored.problem ?? anchored.invalid;
      if (bad !== undefined) throw tamperedBy(streamId, bad);
    }
    return records.map((r) => parseStored(streamId, r));
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
    const all = await readChecked(record.streamId);
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
    /** The service's own scheduler, which is no person of the directory. */
    system = false,
  ): Promise<CommandResult> {
    const principal: Principal = system
      ? parse(PrincipalSchema, principalInput, 'principal')
      : await checked(principalInput);
    if (
      submissionId !== undefined &&
      (typeof submissionId !== 'string' || submissionId === '' || submissionId.length > 256)
    )
      throw new HubspokeError(
        'E_VALIDATION',
        `Invalid submissionId: expected a submission id, got ${describeValue(submissionId)}`,
        {
          path: 'submissionId',
        },
      );
    // Validated before anything proportional to it (the request hash reads all of it).
    parse(CommandSchema, command, 'command');
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
      const { state, snapshotSeq, mac } = await load(streamId);
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
      const macs = audit === undefined ? undefined : sealEvents(audit.keys, streamId, mac, result.events);
      try {
        await store.append({
          streamId,
          expectedVersion: state.seq,
          events: result.events,
          summary: summarize(result.state),
          effects: result.eventEffects,
          ...(key === undefined ? {} : { idempotency: { key, requestHash } }),
          ...(macs === undefined ? {} : { macs }),
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
      const headMac = macs?.[macs.length - 1];
      if (snapshotEvery > 0 && result.state.seq - snapshotSeq >= snapshotEvery) {
        const snapshot: Snapshot = { streamId, seq: result.state.seq, format: STATE_FORMAT, state: result.state };
        if (audit !== undefined && headMac !== undefined)
          snapshot.mac = snapshotMac(audit.keys, audit.keys.current, snapshot, headMac);
        // A snapshot is only a cache: failing to write one must not fail a command that is already stored.
        await store.saveSnapshot(snapshot).catch(() => undefined);
      }
      const done: CommandResult = {
        submissionId: streamId,
        events: result.events,
        state: result.state,
        effects: result.effects,
        retries,
        replayed: false,
      };
      const last = result.events[result.events.length - 1];
      if (audit?.checkpoints?.keys.canSign === true && last !== undefined && headMac !== undefined) {
        // Published after the events are stored; a failure leaves the new events protected by their MACs only.
        try {
          const checkpoint = audit.checkpoints.keys.sign({
            streamId,
            seq: last.seq,
            eventId: last.id,
            hash: last.hash,
            mac: headMac,
            at: clock().toISOString(),
          });
          await audit.checkpoints.store.publish(checkpoint);
          done.checkpoint = checkpoint;
        } catch (error) {
          audit.onCheckpointError(error);
        }
      }
      return done;
    }
  }

  /**
   * Who may see the audit of a submission: judged from its first stored event, read leniently since
   * the history may be damaged. Returns the checkpoints asked for; `E_NOT_FOUND` if there is nothing.
   */
  async function authorizeAudit(
    principalInput: PrincipalInput,
    id: string,
    checkpoints: 'latest' | 'all',
  ): Promise<Checkpoint[]> {
    const principal = await checked(principalInput);
    if (typeof id !== 'string' || id === '' || id.length > 256)
      throw new HubspokeError('E_VALIDATION', 'Invalid submissionId: expected a submission id', {
        path: 'submissionId',
      });
    const [first] = await store.readStored(id, 0, 1);
    const anchors =
      audit?.checkpoints === undefined
        ? []
        : checkpoints === 'all'
          ? await audit.checkpoints.store.list(id)
          : [await audit.checkpoints.store.latest(id)].filter((c) => c !== undefined);
    if (first === undefined && anchors.length === 0)
      throw new HubspokeError('E_NOT_FOUND', `Submission ${id} does not exist`, { details: { submissionId: id } });
    const parties = partiesOf(first);
    const decision = can(model, principal, 'submission.view', parties);
    if (!decision.allowed && principal.id !== parties.ownerId)
      throw new HubspokeError('E_FORBIDDEN', decision.reason, {
        details: { principal: principal.id, action: 'submission.view' },
      });
    return anchors;
  }

  /** Every stored event of a submission, read a page at a time. */
  async function* pages(id: string): AsyncGenerator<StoredEvent[]> {
    for (let after = 0; ;) {
      const page = await store.readStored(id, after, AUDIT_PAGE);
      if (page.length > 0) yield page;
      const last = page[page.length - 1];
      if (last === undefined || page.length < AUDIT_PAGE) return;
      after = last.seq;
    }
  }

  /** The keyed check, a page at a time so a long history never sits in memory whole. */
  async function verifySealed(a: PreparedAudit, id: string, checkpoints: readonly Checkpoint[]): Promise<AuditReport> {
    const verifier = new TrailVerifier(a.keys, a.checkpoints?.keys, id, checkpoints);
    for await (const page of pages(id)) verifier.push(page);
    return verifier.finish();
  }

  /** Without audit keys: the SHA-256 chain, and the snapshot against a refold. */
  async function verifyUnsealed(id: string): Promise<AuditReport> {
    const records = await store.readStored(id);
    const events: ApprovalEvent[] = [];
    for (const [index, record] of records.entries()) {
      try {
        events.push(parseStored(id, record));
      } catch {
        return {
          ok: false,
          index,
          seq: record.seq,
          eventId: undefined,
          problem: 'invalid',
          message: `event seq ${record.seq} is stored as text that is not JSON`,
        };
      }
    }
    const report = verifyAudit(events);
    if (!report.ok) return report;
    const snapshot = snapshotEvery > 0 ? await store.loadSnapshot(id) : undefined;
    if (snapshot?.format !== STATE_FORMAT) return report;
    const upTo = events.slice(0, snapshot.seq);
    if (upTo.length === snapshot.seq && canonicalJson(fold(upTo, initialState(id))) === canonicalJson(snapshot.state))
      return report;
    return snapshotProblem(snapshot.seq, events[snapshot.seq - 1]?.id);
  }

  /** With audit keys: a snapshot must carry a MAC that ties it to the event it folds to. */
  async function checkSnapshot(id: string, report: AuditReport): Promise<AuditReport> {
    if (audit === undefined || snapshotEvery === 0) return report;
    const snapshot = await store.loadSnapshot(id);
    if (snapshot?.format !== STATE_FORMAT) return report;
    const [event] = snapshot.seq >= 1 ? await store.readStored(id, snapshot.seq - 1, 1) : [];
    const fine =
      event?.mac !== undefined &&
      event.seq === snapshot.seq &&
      snapshot.state.seq === snapshot.seq &&
      storedHash(event) === snapshot.state.head &&
      snapshotVerifies(audit.keys, snapshot, event.mac);
    if (fine) return report;
    const eventId = event === undefined ? undefined : parseStored(id, event).id;
    return snapshotProblem(snapshot.seq, eventId);
  }

  function snapshotProblem(seq: number, eventId: string | undefined): AuditReport {
    return {
      ok: false,
      index: Math.max(seq - 1, 0),
      seq,
      eventId,
      problem: 'snapshot-mismatch',
      message: `the stored snapshot at event seq ${seq} does not match the events it claims to fold (it was edited); it is ignored and rebuilt, and the events themselves verify`,
    };
  }

  async function viewable(principalInput: PrincipalInput, submissionId: string): Promise<SubmissionState> {
    const principal = await checked(principalInput);
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
      const { submissionId, workflowId, workflowVersion, ...rest } = objectInput(input, 'submission');
      return execute(principal, submissionId, { type: 'submit', ...rest }, { workflowId, workflowVersion });
    },
    resubmit: (principal, id, input) => execute(principal, id, { type: 'resubmit', ...objectInput(input, 'input') }),
    decide: (principal, id, input) => execute(principal, id, { type: 'decide', ...objectInput(input, 'decision') }),
    revoke: (principal, id, input = {}) => execute(principal, id, { type: 'revoke', ...objectInput(input, 'input') }),
    comment: (principal, id, input) => execute(principal, id, { type: 'comment', ...objectInput(input, 'comment') }),
    resolve: (principal, id, commentId) => execute(principal, id, { type: 'resolveComment', commentId }),
    reopen: (principal, id, commentId) => execute(principal, id, { type: 'reopenComment', commentId }),
    attachDiagnostics: (principal, id, diagnostics) =>
      execute(principal, id, {
        type: 'attachDiagnostics',
        // Copied when it is a list; anything else goes to the command's validation, which names it.
        diagnostics: Array.isArray(diagnostics) ? [...diagnostics] : diagnostics,
      }),
    override: (principal, id, reason) => execute(principal, id, { type: 'override', reason }),
    forceApprove: (principal, id, reason) => execute(principal, id, { type: 'forceApprove', reason }),
    withdraw: (principal, id, reason) =>
      execute(principal, id, reason === undefined ? { type: 'withdraw' } : { type: 'withdraw', reason }),
    execute: (principal, id, command) => execute(principal, id, command),
    status: viewable,
    history: async (principal, id) => {
      await viewable(principal, id);
      return readChecked(id);
    },
    verify: async (principalInput, id) => {
      const checkpoints = await authorizeAudit(principalInput, id, 'latest');
      if (audit === undefined) return verifyUnsealed(id);
      let report = await verifySealed(audit, id, checkpoints);
      if (!report.ok && report.problem === 'checkpoint-mismatch' && audit.checkpoints !== undefined)
        // Name the first range that differs with every checkpoint, not only the latest.
        report = await verifySealed(audit, id, await audit.checkpoints.store.list(id));
      return report.ok ? checkSnapshot(id, report) : report;
    },
    exportAudit: async (principalInput, id) => {
      const checkpoints = await authorizeAudit(principalInput, id, 'all');
      return { format: 'hubspoke-audit/1', streamId: id, records: await store.readStored(id), checkpoints };
    },
    list: async (principalInput, query) => {
      const principal = await checked(principalInput);
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
      if (!(now instanceof Date) || Number.isNaN(now.getTime()))
        throw new HubspokeError('E_VALIDATION', `Invalid now: expected a valid Date, got ${describeValue(now)}`, {
          path: 'now',
        });
      const run: DueRun = { items: [], effects: [] };
      for (let offset = 0; ; offset += 500) {
        const page = await store.list({ status: 'inReview', limit: 500, offset });
        for (const summary of page) {
          const { state } = await load(summary.submissionId);
          const items = due(state, now);
          if (items.length === 0) continue;
          const result = await execute(scheduler, summary.submissionId, { type: 'tick' }, {}, now, true);
          run.items.push({ submissionId: summary.submissionId, items });
          run.effects.push(...result.effects);
        }
        if (page.length < 500) return run;
      }
    },
  };
}
